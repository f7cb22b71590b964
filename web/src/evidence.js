// The evidence (minh chứng) of one item of a record: what is attached (file
// name, size, note, when) and, while the record may change, a form to attach
// a PDF, PNG or JPEG scan (at most 10 MiB) or only a note. The file itself is
// the request's body (POST /api/v1/evidence, api.js uploadEvidence), sent
// with a progress bar; the server judges the file by its content.
import { useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { uploadEvidence } from './api.js';
import { fill } from './i18n.js';
import { formatDateTime } from './format.js';
import { errorText } from './shell.js';
import { formatSize } from './record-common.js';

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

/** The problem with a chosen file before sending it, or null. */
function fileProblem(t, file) {
  if (!file) return null;
  if (!/\.(pdf|png|jpe?g)$/i.test(file.name)) return t.evidenceType;
  if (file.size > MAX_BYTES) return t.evidenceTooLarge;
  return null;
}

export function EvidencePanel({ t, lang, item, required, editable, target, onRecord }) {
  const list = Array.isArray(item.evidence) ? item.evidence : [];
  const [file, setFile] = useState(null);
  const [note, setNote] = useState('');
  const [run, setRun] = useState({ state: 'idle', sent: 0, total: 0, error: null });
  const [problem, setProblem] = useState(null);
  const fileInput = useRef(null);
  if (!editable && list.length === 0 && !required) return null;
  const id = `evidence-${item.key}`;
  const busy = run.state === 'uploading';

  const send = () => {
    const found = !note.trim() ? t.evidenceNoteMissing : fileProblem(t, file);
    setProblem(found);
    if (found) return;
    setRun({ state: 'uploading', sent: 0, total: file ? file.size : 0, error: null });
    uploadEvidence({ ...target, item: item.key, note: note.trim() }, file, {
      onProgress: (sent, total) => setRun((previous) => ({ ...previous, sent, total })),
    }).then(
      (record) => {
        setRun({ state: 'done', sent: 0, total: 0, error: null });
        setFile(null);
        setNote('');
        if (fileInput.current) fileInput.current.value = '';
        onRecord(record);
      },
      (error) => setRun({ state: 'error', sent: 0, total: 0, error }),
    );
  };
  const percent = run.total ? Math.min(100, Math.round((run.sent * 100) / run.total)) : 0;
  const shownError = problem || (run.state === 'error' ? errorText(run.error, t, lang) : null);

  return html`<details class="evidence" open=${required || list.length > 0} data-testid="evidence" data-count=${list.length}>
    <summary>
      ${fill(t.evidenceHeading, { n: list.length })}
      ${required && list.length === 0 ? html` <span class="evidence-needed">${t.evidenceRequired}</span>` : null}
    </summary>
    ${list.length
      ? html`<ul class="evidence-list" data-testid="evidence-list">
          ${list.map(
            (entry, index) => html`<li key=${index} data-testid="evidence-entry">
              <span class="evidence-file">${entry.file_name || t.evidenceNoFile}</span>
              ${entry.file_name ? html` <span class="muted">(${formatSize(entry.size, lang)})</span>` : null}
              <span class="evidence-note">${entry.note}</span>
              <span class="row-kind">${formatDateTime(entry.at)}</span>
            </li>`,
          )}
        </ul>`
      : html`<p class="muted evidence-empty">${t.evidenceNone}</p>`}
    ${editable
      ? html`<div class="evidence-form" role="group" aria-label=${fill(t.evidenceAdd, { key: item.key })}>
          <label class="field">
            <span class="field-label">${t.evidenceFile}</span>
            <input
              ref=${fileInput}
              type="file"
              accept=${ACCEPT}
              data-testid="evidence-file"
              disabled=${busy}
              onChange=${(e) => {
                setFile(e.currentTarget.files[0] || null);
                setProblem(null);
                setRun({ state: 'idle', sent: 0, total: 0, error: null });
              }}
            />
          </label>
          <label class="field">
            <span class="field-label">${t.evidenceNote} *</span>
            <input
              id=${`${id}-note`}
              type="text"
              class="text-input"
              data-testid="evidence-note"
              value=${note}
              disabled=${busy}
              onInput=${(e) => {
                setNote(e.currentTarget.value);
                setProblem(null);
              }}
            />
          </label>
          <button type="button" class="btn btn-small" data-testid="evidence-upload" disabled=${busy} onClick=${send}>
            ${t.evidenceUpload}
          </button>
          ${busy
            ? html`<div class="import-progress" role="status">
                <progress max="100" value=${percent} aria-label=${t.evidenceUploading}></progress>
                <span>${fill(t.importUploadingPercent, { percent })}</span>
              </div>`
            : null}
          ${run.state === 'done' ? html`<p class="field-hint" role="status" data-testid="evidence-done">${t.evidenceDone}</p>` : null}
          ${shownError ? html`<p class="field-error" role="alert" data-testid="evidence-error">${shownError}</p>` : null}
        </div>`
      : null}
  </details>`;
}
