// The workflow settings page (#/cai-dat, criteria.manage), reached from the
// administration page and the user's menu: "Quy trình và hạn", the settings
// text in force (who decides each title, what the certificate prints as the
// issuing body and signer, the deadline of each step; docs/workflow.md) in a
// text box, saved whole (PUT /settings/workflow: a file with any error is
// refused with every problem and its line, nothing changes) or put back to
// the shipped default (DELETE).
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
    <p class="no-print">
      ${can(user, 'users.manage') ? html`<a href=${`#${ADMIN_PATH}`} data-testid="settings-admin">← ${t.settingsBackToAdmin}</a>` : null}
    </p>
  </${PageFrame}>`;
}

function WorkflowSettings({ t, lang }) {
  const [reloads, setReloads] = useState(0);
  const slot = useLoad('workflow', () => api.workflowSettings(), reloads);
  const [text, setText] = useState(null); // null: as loaded
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState([]);
  const [failure, setFailure] = useState(null);
  const [notice, setNotice] = useState(null); // saved | reset
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    if (slot.state === 'ready') setText(null);
  }, [slot.state, slot.data]);

  const loaded = slot.state === 'ready' ? slot.data : null;
  const value = text ?? (loaded ? loaded.text : '');
  const changed = loaded && text !== null && text !== loaded.text;

  const save = () => {
    setBusy(true);
    setProblems([]);
    setFailure(null);
    setNotice(null);
    api.saveWorkflowSettings(value).then(
      () => {
        setBusy(false);
        setNotice('saved');
        setReloads((n) => n + 1);
      },
      (error) => {
        setBusy(false);
        if (error.status === 422 && error.problems.length) setProblems(error.problems);
        else setFailure(error);
      },
    );
  };
  const reset = () => {
    setBusy(true);
    setFailure(null);
    api.resetWorkflowSettings().then(
      () => {
        setBusy(false);
        setAsking(false);
        setProblems([]);
        setNotice('reset');
        setReloads((n) => n + 1);
      },
      (error) => {
        setBusy(false);
        setAsking(false);
        setFailure(error);
      },
    );
  };

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
              <div class="button-row">
                <button type="button" class="btn btn-primary" data-testid="workflow-save" disabled=${busy || !changed} onClick=${save}>
                  ${t.actionSave}
                </button>
                <button type="button" class="btn" data-testid="workflow-undo" disabled=${busy || !changed} onClick=${() => {
                  setText(null);
                  setProblems([]);
                }}>
                  ${t.settingsUndo}
                </button>
                <button type="button" class="btn btn-danger" data-testid="workflow-reset" disabled=${busy || loaded.default} onClick=${() => setAsking(true)}>
                  ${t.settingsReset}
                </button>
              </div>
            `}
    </div>
    ${asking
      ? html`<${ConfirmDialog}
          t=${t}
          title=${t.settingsResetTitle}
          text=${t.settingsResetText}
          confirmLabel=${t.settingsReset}
          danger=${true}
          busy=${busy}
          onConfirm=${reset}
          onCancel=${() => setAsking(false)}
        />`
      : null}
  </section>`;
}
