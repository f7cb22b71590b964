// "Mục tiêu của tỉnh" on the settings page (#/cai-dat, criteria.manage): the target sets in
// force (shipped with hoctap and imported by the province; docs/targets-format.md) and a form to
// import a province's own targets file (PUT /targets/{name}: checked with the shipped sets, every
// problem with its line, nothing saved when there is one) or remove an imported one (DELETE).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { fill } from './i18n.js';
import { useLoad } from './load.js';
import { ErrorAlert, errorText } from './shell.js';
import { ConfirmDialog } from './widgets.js';
import { problemText } from './record-common.js';
import { formatPercent } from './format.js';

/** The name a file is stored under: its name without folders and ".tgt". */
const nameOf = (fileName) => fileName.replace(/^.*[\\/]/, '').replace(/\.tgt$/i, '');

export function TargetsSettings({ t, lang }) {
  const [reloads, setReloads] = useState(0);
  const slot = useLoad('targets', () => api.targets(), reloads);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState([]);
  const [failure, setFailure] = useState(null);
  const [notice, setNotice] = useState(null);
  const [removing, setRemoving] = useState(null);

  const done = (message) => {
    setBusy(false);
    setNotice(message);
    setReloads((n) => n + 1);
  };
  const fail = (error) => {
    setBusy(false);
    if (error.status === 422 && error.problems && error.problems.length) setProblems(error.problems);
    else setFailure(error);
  };
  const start = () => {
    setBusy(true);
    setProblems([]);
    setFailure(null);
    setNotice(null);
  };
  const save = (event) => {
    event.preventDefault();
    start();
    api.saveTargets(name.trim(), text).then(() => {
      setText('');
      setName('');
      done(t.targetsSaved);
    }, fail);
  };
  const remove = () => {
    const which = removing;
    start();
    api.removeTargets(which).then(() => {
      setRemoving(null);
      done(fill(t.targetsRemoved, { name: which }));
    }, (error) => {
      setRemoving(null);
      fail(error);
    });
  };
  const readFile = (event) => {
    const file = event.currentTarget.files && event.currentTarget.files[0];
    if (!file) return;
    file.text().then((content) => {
      setText(content);
      if (!name) setName(nameOf(file.name));
      setNotice(null);
    });
  };

  const data = slot.state === 'ready' ? slot.data : null;
  const imported = new Set(data ? data.imported : []);
  const fileName = (set) => nameOf(set.file || '');
  return html`<section class="panel settings-panel" aria-labelledby="targets-heading" data-testid="targets-settings" data-state=${slot.state}>
    <div class="panel-head">
      <div>
        <h2 id="targets-heading">${t.targetsTitle}</h2>
        <p class="panel-text muted">${t.targetsLead}</p>
      </div>
    </div>
    <div class="panel-body">
      ${slot.state === 'error'
        ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
        : !data
          ? html`<p class="muted" role="status">${t.loading}</p>`
          : html`<div class="table-wrap">
              <table class="data-table" data-testid="targets-table">
                <caption class="visually-hidden">${t.targetsTitle}</caption>
                <thead>
                  <tr><th scope="col">${t.targetsColSet}</th><th scope="col">${t.targetsColDecision}</th><th scope="col">${t.targetsColTargets}</th><th scope="col">${t.targetsColSource}</th></tr>
                </thead>
                <tbody>
                  ${data.sets.map((set) => {
                    const own = imported.has(fileName(set));
                    return html`<tr data-testid="targets-row" data-key=${set.key} data-imported=${String(own)}>
                      <th scope="row"><strong>${lang === 'en' && set.name_en ? set.name_en : set.name}</strong><br /><code>${set.key}</code></th>
                      <td>${set.decision}${set.decision_date ? html`<br /><span class="muted">${set.decision_date}</span>` : null}</td>
                      <td>${set.targets.length}
                        <span class="muted"> (${[...new Set(set.targets.map((x) => x.year))].sort().join(', ')})</span>
                        ${set.targets.slice(0, 3).map((x) => html`<br /><span class="muted">${x.measure} ${x.year}: ${formatPercent(x.value, lang)}${x.group ? ` (${x.group})` : ''}</span>`)}
                      </td>
                      <td>${own
                        ? html`${t.targetsImported} <code>${fileName(set)}</code>
                            <button type="button" class="btn btn-danger btn-small" data-testid="targets-remove" data-name=${fileName(set)} disabled=${busy} onClick=${() => setRemoving(fileName(set))}>${t.targetsRemove}</button>`
                        : t.targetsShipped}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`}
      <form class="settings-form" data-testid="targets-form" onSubmit=${save}>
        <h3>${t.targetsImportTitle}</h3>
        <p class="field-hint" id="targets-hint">${t.targetsImportHint}</p>
        <label class="field">
          <span>${t.targetsFile}</span>
          <input type="file" accept=".tgt,.txt,text/plain" data-testid="targets-file" onChange=${readFile} />
        </label>
        <label class="field">
          <span>${t.targetsName}</span>
          <input class="text-input" required pattern="[A-Za-z0-9._\\-]{1,60}" data-testid="targets-name" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>${t.targetsText}</span>
          <textarea class="text-input settings-text" rows="12" spellcheck="false" required data-testid="targets-text" aria-describedby="targets-hint" value=${text}
            onInput=${(e) => { setText(e.currentTarget.value); setNotice(null); }}></textarea>
        </label>
        ${notice ? html`<p class="notice" role="status" data-testid="targets-notice">${notice}</p>` : null}
        ${problems.length
          ? html`<div class="form-alert" role="alert" data-testid="targets-problems" data-count=${problems.length}>
              <p><strong>${fill(t.settingsRefused, { n: problems.length })}</strong></p>
              <ul>
                ${problems.map((problem) => html`<li data-testid="targets-problem" data-line=${problem.line || ''}>
                  ${problem.line ? html`<strong>${fill(t.settingsLine, { line: problem.line })}:</strong> ` : null}${problemText(problem, lang)}
                </li>`)}
              </ul>
            </div>`
          : null}
        ${failure ? html`<p class="form-alert" role="alert">${errorText(failure, t, lang)}</p>` : null}
        <div class="button-row">
          <button type="submit" class="btn btn-primary" data-testid="targets-save" disabled=${busy || !name.trim() || !text.trim()}>${t.targetsSave}</button>
        </div>
      </form>
      ${removing
        ? html`<${ConfirmDialog} t=${t} title=${fill(t.targetsRemoveTitle, { name: removing })} text=${t.targetsRemoveText}
            confirmLabel=${t.targetsRemove} danger=${true} busy=${busy} onConfirm=${remove} onCancel=${() => setRemoving(null)} />`
        : null}
    </div>
  </section>`;
}
