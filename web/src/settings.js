// The workflow settings page (#/cai-dat, criteria.manage), reached from the
// administration page and the user's menu: "Quy trình và hạn", the settings
// text in force (who decides each title, what the certificate prints as the
// issuing body and signer, the deadline of each step; docs/workflow.md) in a
// text box, saved whole (PUT /settings/workflow: a file with any error is
// refused with every problem and its line, nothing changes) or put back to
// the shipped default (DELETE); and "Mẫu giấy công nhận", the certificate
// template as one field per setting (GET /settings/certificate `fields`:
// a colour, a number, a choice or a text), saved as the changed fields
// (PUT {"values"}), previewed as a sample PDF, or put back to the shipped one; and "Mục tiêu
// của tỉnh", the target sets in force and a province's own targets file (targets-settings.js).
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { useLoad } from './load.js';
import { ADMIN_PATH } from './route.js';
import { ErrorAlert, PageFrame, Refusal, errorText } from './shell.js';
import { can, useSession } from './session.js';
import { ConfirmDialog } from './widgets.js';
import { problemText } from './record-common.js';
import { TargetsSettings } from './targets-settings.js';

export function SettingsPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const frame = { t, lang, onLang, page: 'settings', title: t.settingsTitle };
  if (!can(user, 'criteria.manage')) {
    return html`<${PageFrame} ...${frame} testId="settings" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  return html`<${PageFrame} ...${frame} testId="settings" state="ready" lead=${t.settingsLead}>
    <${WorkflowSettings} t=${t} lang=${lang} />
    <${CertificateSettings} t=${t} lang=${lang} />
    <${TargetsSettings} t=${t} lang=${lang} />
    <p class="no-print">
      ${can(user, 'users.manage') ? html`<a href=${`#${ADMIN_PATH}`} data-testid="settings-admin">← ${t.settingsBackToAdmin}</a>` : null}
    </p>
  </${PageFrame}>`;
}

/**
 * The state a settings section shares: busy, the server's problems, a failure, a notice
 * ("saved" | "reset"), the reset confirmation, and the two actions. save(request) and
 * reset(request) run a request and reload the section when it succeeds.
 */
function useSettingsActions() {
  const [reloads, setReloads] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState([]);
  const [failure, setFailure] = useState(null);
  const [notice, setNotice] = useState(null); // saved | reset
  const [asking, setAsking] = useState(false);
  const run = (request, done, onError) => {
    setBusy(true);
    setFailure(null);
    request().then(
      () => {
        setBusy(false);
        done();
        setReloads((n) => n + 1);
      },
      (error) => {
        setBusy(false);
        onError(error);
      },
    );
  };
  const save = (request) => {
    setProblems([]);
    setNotice(null);
    run(request, () => setNotice('saved'), (error) => {
      if (error.status === 422 && error.problems.length) setProblems(error.problems);
      else setFailure(error);
    });
  };
  const reset = (request) =>
    run(
      request,
      () => {
        setAsking(false);
        setProblems([]);
        setNotice('reset');
      },
      (error) => {
        setAsking(false);
        setFailure(error);
      },
    );
  return { reloads, setReloads, busy, problems, setProblems, failure, notice, setNotice, asking, setAsking, save, reset };
}

/**
 * The buttons of a settings section (save, undo the page's changes, go back to the shipped
 * default after a confirmation), for the data-testid prefix given.
 */
function SettingsButtons({ t, prefix, actions, canSave, canUndo, isDefault, onSave, onUndo, onReset }) {
  const { busy, asking, setAsking, setProblems } = actions;
  const undo = () => {
    onUndo();
    setProblems([]);
  };
  const titles = prefix === 'cert' ? [t.certResetTitle, t.certResetText] : [t.settingsResetTitle, t.settingsResetText];
  return html`<div class="button-row">
      <button type="button" class="btn btn-primary" data-testid=${`${prefix}-save`} disabled=${busy || !canSave} onClick=${onSave}>
        ${t.actionSave}
      </button>
      <button type="button" class="btn" data-testid=${`${prefix}-undo`} disabled=${busy || !canUndo} onClick=${undo}>
        ${t.settingsUndo}
      </button>
      <button type="button" class="btn btn-danger" data-testid=${`${prefix}-reset`} disabled=${busy || isDefault} onClick=${() => setAsking(true)}>
        ${t.settingsReset}
      </button>
    </div>
    ${asking
      ? html`<${ConfirmDialog}
          t=${t}
          title=${titles[0]}
          text=${titles[1]}
          confirmLabel=${t.settingsReset}
          danger=${true}
          busy=${busy}
          onConfirm=${onReset}
          onCancel=${() => setAsking(false)}
        />`
      : null}`;
}

function WorkflowSettings({ t, lang }) {
  const actions = useSettingsActions();
  const { reloads, setReloads, busy, problems, setProblems, failure, notice, setNotice, asking, setAsking } = actions;
  const slot = useLoad('workflow', () => api.workflowSettings(), reloads);
  const [text, setText] = useState(null); // null: as loaded

  useEffect(() => {
    if (slot.state === 'ready') setText(null);
  }, [slot.state, slot.data]);

  const loaded = slot.state === 'ready' ? slot.data : null;
  const value = text ?? (loaded ? loaded.text : '');
  const changed = loaded && text !== null && text !== loaded.text;

  const save = () => actions.save(() => api.saveWorkflowSettings(value));
  const reset = () => actions.reset(() => api.resetWorkflowSettings());

  return html`<section class="panel settings-panel" aria-labelledby="workflow-settings-heading" data-testid="workflow-settings" data-state=${slot.state} data-default=${loaded ? String(loaded.default) : ''}>
    <div class="panel-head">
      <div>
        <h2 id="workflow-settings-heading">${t.settingsWorkflow}</h2>
        ${loaded
          ? html`<p class="panel-text muted" data-testid="workflow-settings-source">
              ${loaded.default ? t.settingsIsDefault : t.settingsIsCustom}
            </p>`
          : null}
      </div>
    </div>
    <div class="panel-body">
      ${slot.state === 'error'
        ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
        : !loaded
          ? html`<p class="muted" role="status">${t.loading}</p>`
          : html`
              <p class="field-hint" id="workflow-text-hint">${t.settingsWorkflowHint}</p>
              <label class="visually-hidden" for="workflow-text">${t.settingsWorkflow}</label>
              <textarea
                id="workflow-text"
                class="text-input settings-text"
                data-testid="workflow-text"
                rows="24"
                spellcheck="false"
                aria-describedby=${problems.length ? 'workflow-text-hint workflow-problems' : 'workflow-text-hint'}
                value=${value}
                onInput=${(e) => {
                  setText(e.currentTarget.value);
                  setNotice(null);
                }}
              ></textarea>
              ${notice
                ? html`<p class="notice" role="status" data-testid="workflow-notice" data-kind=${notice}>
                    ${notice === 'saved' ? t.settingsSaved : t.settingsResetDone}
                  </p>`
                : null}
              ${problems.length
                ? html`<div class="form-alert" role="alert" id="workflow-problems" data-testid="workflow-problems" data-count=${problems.length}>
                    <p><strong>${fill(t.settingsRefused, { n: problems.length })}</strong></p>
                    <ul>
                      ${problems.map(
                        (problem) => html`<li data-testid="workflow-problem" data-line=${problem.line || ''}>
                          ${problem.line ? html`<strong>${fill(t.settingsLine, { line: problem.line })}:</strong> ` : null}${problemText(problem, lang)}
                        </li>`,
                      )}
                    </ul>
                  </div>`
                : null}
              ${failure ? html`<p class="form-alert" role="alert">${errorText(failure, t, lang)}</p>` : null}
              <${SettingsButtons}
                t=${t}
                prefix="workflow"
                actions=${actions}
                canSave=${changed}
                canUndo=${changed}
                isDefault=${loaded.default}
                onSave=${save}
                onUndo=${() => setText(null)}
                onReset=${reset}
              />
            `}
    </div>
  </section>`;
}

/** The problem with a value the page can judge (a number's range), or null. */
function certValueProblem(t, field, value) {
  if (field.type !== 'number') return null;
  const text = String(value).trim();
  if (!/^\d{1,4}$/.test(text) || Number(text) < field.min || Number(text) > field.max) {
    return fill(t.certNumberRange, { min: field.min, max: field.max });
  }
  return null;
}

/** A choice's words: known choices in the page's language, others as they are. */
const choiceText = (t, choice) => (t.certChoices && t.certChoices[choice]) || choice;

function CertificateSettings({ t, lang }) {
  const actions = useSettingsActions();
  const { reloads, setReloads, busy, problems, setProblems, failure, notice, setNotice, asking, setAsking } = actions;
  const slot = useLoad('certificate', () => api.certificateSettings(), reloads);
  const [values, setValues] = useState({}); // key -> value changed on the page

  useEffect(() => {
    if (slot.state === 'ready') setValues({});
  }, [slot.state, slot.data]);

  const loaded = slot.state === 'ready' ? slot.data : null;
  const fields = loaded && Array.isArray(loaded.fields) ? loaded.fields : [];
  const valueOf = (field) => (field.key in values ? values[field.key] : field.value ?? '');
  const changed = fields.filter((field) => field.key in values && String(values[field.key]) !== String(field.value ?? ''));
  const localProblems = {};
  for (const field of changed) {
    const problem = certValueProblem(t, field, values[field.key]);
    if (problem) localProblems[field.key] = problem;
  }
  // The server names a template line's key first ("heading_size: …"): shown at that field too.
  const serverProblems = {};
  for (const problem of problems) {
    const match = /^([a-z_]+):/.exec(problem.msg_en || '');
    if (match && !serverProblems[match[1]]) serverProblems[match[1]] = problemText(problem, lang);
  }

  const save = () => {
    if (Object.keys(localProblems).length) return;
    const body = Object.fromEntries(changed.map((field) => [field.key, String(values[field.key])]));
    actions.save(() => api.saveCertificateSettings(body));
  };
  const reset = () => actions.reset(() => api.resetCertificateSettings());

  const input = (field) => {
    const id = `cert-${field.key}`;
    const error = localProblems[field.key] || serverProblems[field.key] || null;
    const common = {
      id,
      'data-testid': 'cert-input',
      'aria-invalid': error ? 'true' : 'false',
      'aria-describedby': error ? `${id}-error` : null,
      disabled: busy,
    };
    const set = (event) => {
      const value = event.currentTarget.value;
      setValues((previous) => ({ ...previous, [field.key]: value }));
      setNotice(null);
    };
    let control;
    if (field.type === 'colour') {
      control = html`<input type="color" class="colour-input" ...${common} value=${String(valueOf(field)).toLowerCase()} onInput=${set} />`;
    } else if (field.type === 'number') {
      control = html`<input
        type="number"
        class="text-input number-input"
        inputmode="numeric"
        min=${field.min}
        max=${field.max}
        step="1"
        ...${common}
        value=${valueOf(field)}
        onInput=${set}
      />`;
    } else if (field.type === 'choice') {
      control = html`<select class="text-input" ...${common} value=${valueOf(field)} onChange=${set}>
        ${(field.choices || []).map((choice) => html`<option value=${choice}>${choiceText(t, choice)}</option>`)}
      </select>`;
    } else {
      control = html`<input type="text" class="text-input" ...${common} value=${valueOf(field)} onInput=${set} />`;
    }
    return html`<div
      class=${error ? 'field cert-field has-error' : 'field cert-field'}
      data-testid="cert-field"
      data-key=${field.key}
      data-type=${field.type}
      key=${field.key}
    >
      <label class="field-label" for=${id}>${lang === 'en' ? field.label_en || field.label_vi : field.label_vi || field.label_en}</label>
      ${control}
      ${field.type === 'number' ? html`<p class="field-hint">${fill(t.certNumberHint, { min: field.min, max: field.max })}</p>` : null}
      ${error ? html`<p class="field-error" id=${`${id}-error`} role="alert" data-testid="cert-error">${error}</p>` : null}
    </div>`;
  };

  return html`<section class="panel settings-panel" aria-labelledby="cert-settings-heading" data-testid="cert-settings" data-state=${slot.state} data-default=${loaded ? String(loaded.default) : ''}>
    <div class="panel-head">
      <div>
        <h2 id="cert-settings-heading">${t.certTemplate}</h2>
        ${loaded
          ? html`<p class="panel-text muted" data-testid="cert-settings-source">${loaded.default ? t.certIsDefault : t.certIsCustom}</p>`
          : null}
      </div>
      <a class="button-link" href="api/v1/certificates/sample.pdf" target="_blank" rel="noopener" data-testid="cert-preview">${t.certPreview}</a>
    </div>
    <div class="panel-body">
      ${slot.state === 'error'
        ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
        : !loaded
          ? html`<p class="muted" role="status">${t.loading}</p>`
          : html`
              <p class="field-hint">${t.certTemplateHint}</p>
              <div class="cert-fields">${fields.map(input)}</div>
              ${notice
                ? html`<p class="notice" role="status" data-testid="cert-notice" data-kind=${notice}>
                    ${notice === 'saved' ? t.certSaved : t.certResetDone}
                  </p>`
                : null}
              ${problems.length
                ? html`<div class="form-alert" role="alert" data-testid="cert-problems" data-count=${problems.length}>
                    <p><strong>${fill(t.settingsRefused, { n: problems.length })}</strong></p>
                    <ul>
                      ${problems.map(
                        (problem) => html`<li data-testid="cert-problem" data-line=${problem.line || ''}>
                          ${problem.line ? html`<strong>${fill(t.settingsLine, { line: problem.line })}:</strong> ` : null}${problemText(problem, lang)}
                        </li>`,
                      )}
                    </ul>
                  </div>`
                : null}
              ${failure ? html`<p class="form-alert" role="alert">${errorText(failure, t, lang)}</p>` : null}
              <${SettingsButtons}
                t=${t}
                prefix="cert"
                actions=${actions}
                canSave=${changed.length > 0 && Object.keys(localProblems).length === 0}
                canUndo=${Object.keys(values).length > 0}
                isDefault=${loaded.default}
                onSave=${save}
                onUndo=${() => setValues({})}
                onReset=${reset}
              />
            `}
    </div>
  </section>`;
}
