// Small pieces the account pages share: a form field with its hint and error,
// a confirmation dialog, the box that shows a secret once (a one-time
// password, an API token) with a copy button, and the state of a confirmed action.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';

/**
 * A labelled field: `children` is the input (give it id=`id`); `hint` under
 * it, `error` (text) shown in red and tied to the input by aria-describedby
 * through the ids `${id}-hint` / `${id}-error` (the caller sets them).
 */
export function Field({ id, label, hint, error, children, testId }) {
  return html`<div class=${error ? 'field has-error' : 'field'}>
    <label class="field-label" for=${id}>${label}</label>
    ${children}
    ${hint ? html`<p class="field-hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${error
      ? html`<p class="field-error" id=${`${id}-error`} role="alert" data-testid=${testId || `${id}-error`}>${error}</p>`
      : null}
  </div>`;
}

/** The ids an input should name in aria-describedby. */
export function describedBy(id, hint, error) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || null;
}

/**
 * A modal question (the browser's <dialog>: focus stays inside, Escape
 * cancels). Mounted only while asked. `danger` colours the confirm button red.
 */
export function ConfirmDialog({ t, title, text, confirmLabel, danger = false, busy = false, error = null, onConfirm, onCancel }) {
  const dialog = useRef(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      if (element && element.open) element.close();
    };
  }, []);
  return html`<dialog
    ref=${dialog}
    class="dialog"
    aria-labelledby="confirm-title"
    aria-describedby="confirm-text"
    data-testid="confirm-dialog"
    onCancel=${(event) => {
      event.preventDefault();
      if (!busy) onCancel();
    }}
  >
    <h2 id="confirm-title" class="dialog-title">${title}</h2>
    <p id="confirm-text" class="dialog-text">${text}</p>
    ${error ? html`<p class="field-error" role="alert" data-testid="confirm-error">${error}</p>` : null}
    <div class="dialog-actions">
      <button type="button" class="btn" data-testid="confirm-cancel" disabled=${busy} onClick=${onCancel}>${t.cancel}</button>
      <button
        type="button"
        class=${danger ? 'btn btn-danger' : 'btn btn-primary'}
        data-testid="confirm-ok"
        disabled=${busy}
        onClick=${onConfirm}
      >
        ${confirmLabel}
      </button>
    </div>
  </dialog>`;
}

/** Copy `text`: the clipboard API where the page may use it, else a selected field and execCommand. */
async function copyText(text, field) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the old way */
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/**
 * A secret shown once: the heading, the value in a read-only field (selected
 * on focus, so it can be copied by hand), a copy button, the warning, and
 * "close". `testId` names the box; the value is `${testId}-value`.
 */
export function SecretBox({ t, heading, label, value, warning, onClose, testId, attrs = {} }) {
  const box = useRef(null);
  const field = useRef(null);
  const [copy, setCopy] = useState('idle'); // idle | copied | failed
  // Shown: the whole box brought into view, the value selected, ready to copy.
  useEffect(() => {
    if (!field.current || !box.current) return;
    field.current.focus({ preventScroll: true });
    box.current.scrollIntoView({ block: 'nearest' });
  }, []);
  const onCopy = async () => setCopy((await copyText(value, field.current)) ? 'copied' : 'failed');
  return html`<section ref=${box} class="secret-box" role="status" aria-live="polite" data-testid=${testId} ...${attrs}>
    <h2 class="secret-heading">${heading}</h2>
    <label class="field-label" for=${`${testId}-field`}>${label}</label>
    <div class="secret-row">
      <input
        id=${`${testId}-field`}
        ref=${field}
        class="secret-value"
        data-testid=${`${testId}-value`}
        readonly
        value=${value}
        spellcheck="false"
        autocomplete="off"
        onFocus=${(event) => event.currentTarget.select()}
      />
      <button type="button" class="btn btn-primary" data-testid=${`${testId}-copy`} onClick=${onCopy}>
        ${copy === 'copied' ? `✓ ${t.copied}` : t.copy}
      </button>
    </div>
    ${copy === 'failed' ? html`<p class="field-error">${t.copyFailed}</p>` : null}
    <p class="secret-warning"><strong aria-hidden="true">⚠</strong> ${warning}</p>
    <button type="button" class="btn" data-testid=${`${testId}-close`} onClick=${onClose}>${t.secretDone}</button>
  </section>`;
}

/**
 * The state of an action the user confirms in a dialog: `asking` (what the
 * dialog asks about), `busy`, `actionError`, and `act(request, after)` which
 * runs request(), then on success closes the dialog, calls after(body) and
 * onDone() (e.g. reload the list); on failure keeps the dialog with the error.
 */
export function useConfirmedAction(onDone) {
  const [asking, setAsking] = useState(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState(null);
  const act = (request, after) => {
    setBusy(true);
    setActionError(null);
    request().then(
      (body) => {
        setBusy(false);
        setAsking(null);
        after(body);
        onDone();
      },
      (error) => {
        setBusy(false);
        setActionError(error);
      },
    );
  };
  return { asking, setAsking, busy, actionError, setActionError, act };
}

/**
 * "Tải về Excel" / "Tải về CSV": the list as a download (the server writes
 * it, every page at once). `path` is the API path without extension
 * (e.g. 'api/v1/units'), `params` the list's filters; `testId` prefixes the
 * links' test ids (`${testId}-xlsx`, `${testId}-csv`).
 */
export function DownloadLinks({ t, path, params = {}, testId, title }) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  const qs = query.toString();
  const href = (format) => `${path}.${format}${qs ? `?${qs}` : ''}`;
  return html`<span class="download-links no-print">
    <a class="button-link" href=${href('xlsx')} download data-testid=${`${testId}-xlsx`} title=${title || t.downloadListTitle}>
      ${t.downloadXlsx}
    </a>
    <a class="button-link" href=${href('csv')} download data-testid=${`${testId}-csv`} title=${title || t.downloadListTitle}>
      ${t.downloadCsv}
    </a>
  </span>`;
}

/**
 * A modal question that needs a text: a comment when returning a record, a
 * reason when unlocking one. `required` keeps the confirm button from sending
 * an empty text (the field then says so). onConfirm(text) with the trimmed text.
 */
export function TextDialog({
  t,
  title,
  text,
  label,
  confirmLabel,
  required = false,
  danger = false,
  busy = false,
  error = null,
  onConfirm,
  onCancel,
}) {
  const dialog = useRef(null);
  const field = useRef(null);
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    if (field.current) field.current.focus();
    return () => {
      if (element && element.open) element.close();
    };
  }, []);
  const confirm = () => {
    const trimmed = value.trim();
    if (required && !trimmed) {
      setMissing(true);
      if (field.current) field.current.focus();
      return;
    }
    onConfirm(trimmed);
  };
  const problem = missing ? t.textRequired : error;
  return html`<dialog
    ref=${dialog}
    class="dialog"
    aria-labelledby="text-dialog-title"
    aria-describedby=${text ? 'text-dialog-text' : null}
    data-testid="text-dialog"
    onCancel=${(event) => {
      event.preventDefault();
      if (!busy) onCancel();
    }}
  >
    <h2 id="text-dialog-title" class="dialog-title">${title}</h2>
    ${text ? html`<p id="text-dialog-text" class="dialog-text">${text}</p>` : null}
    <div class=${problem ? 'field has-error' : 'field'}>
      <label class="field-label" for="text-dialog-field">${label}${required ? ' *' : ''}</label>
      <textarea
        id="text-dialog-field"
        ref=${field}
        class="text-input dialog-textarea"
        rows="4"
        data-testid="text-dialog-field"
        required=${required}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? 'text-dialog-error' : null}
        value=${value}
        onInput=${(event) => {
          setValue(event.currentTarget.value);
          setMissing(false);
        }}
      ></textarea>
      ${problem
        ? html`<p class="field-error" id="text-dialog-error" role="alert" data-testid="text-dialog-error">${problem}</p>`
        : null}
    </div>
    <div class="dialog-actions">
      <button type="button" class="btn" data-testid="text-dialog-cancel" disabled=${busy} onClick=${onCancel}>${t.cancel}</button>
      <button
        type="button"
        class=${danger ? 'btn btn-danger' : 'btn btn-primary'}
        data-testid="text-dialog-ok"
        disabled=${busy}
        onClick=${confirm}
      >
        ${confirmLabel}
      </button>
    </div>
  </dialog>`;
}
