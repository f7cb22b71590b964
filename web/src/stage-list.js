// A stage list (#/ho-so?title=T&year=Y&stage=S&unit=U&page=N): the records of
// one title at one stage of the workflow at or below a unit
// (GET /api/v1/workflow/records, 200 a page), each with the engine's verdict
// now, the reviewer's comment, and a link to the record's page. Reviewers
// accept or return submitted records from the list; approvers make the
// recognition decision of the unit's accepted records (decision-form.js).
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatCount, formatDateTime } from './format.js';
import { useLoad } from './load.js';
import {
  DEFAULT_EVAL_YEAR,
  EVAL_YEARS,
  STAGES,
  pageOf,
  parseStagesHash,
  recordHash,
  stagesHash,
} from './route.js';
import { ErrorAlert, PageFrame, Refusal, errorText } from './shell.js';
import { can, useSession } from './session.js';
import { TextDialog } from './widgets.js';
import { StageBadge, scoreText, titleName } from './record-common.js';
import { DecisionForm, DecisionResult, useDecisionRows } from './decision-form.js';

export function StageListPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const frame = { t, lang, onLang, page: 'stages', title: t.stagesTitle };
  if (!can(user, 'records.read')) {
    return html`<${PageFrame} ...${frame} testId="stage-list" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  return html`<${StageList} t=${t} lang=${lang} user=${user} frame=${frame} />`;
}

function StageList({ t, lang, user, frame }) {
  const [route, setRoute] = useState(() => parseStagesHash(window.location.hash));
  const [reloads, setReloads] = useState(0);
  const [notice, setNotice] = useState(null);
  const [asking, setAsking] = useState(null); // the row being returned
  const [busy, setBusy] = useState(null); // code of the row being acted on
  const [actionError, setActionError] = useState(null);
  const [decided, setDecided] = useState(null); // {decision, certificates} after a decision

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'stages') setRoute(parseStagesHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const year = route.year || DEFAULT_EVAL_YEAR;
  const unit = route.unit || (user.unit ? user.unit.code : null);
  const stage = route.stage || 'submitted';
  const summary = useLoad(`${year}|${unit}`, () => api.evaluation(year, unit), reloads);
  const titles = summary.data && Array.isArray(summary.data.titles) ? summary.data.titles : [];
  const title = route.title || (titles[0] && titles[0].key) || null;
  const titleInfo = titles.find((item) => item.key === title) || null;
  const list = useLoad(
    title ? `${title}|${year}|${stage}|${unit}|${route.page}` : null,
    () => api.stageRecords({ title, year, stage, unit, page: route.page }),
    reloads,
  );

  const go = (change) => {
    const target = stagesHash({ title, year, stage, unit, page: 1, ...change });
    setNotice(null);
    setDecided(null);
    if (window.location.hash !== target) window.location.hash = target;
  };

  const mayReview = can(user, 'records.review') && stage === 'submitted';
  const mayDecide = can(user, 'records.approve') && stage === 'accepted';
  const decision = useDecisionRows(mayDecide && title ? { title, year, unit } : null, reloads);

  const reload = () => setReloads((n) => n + 1);
  const act = (row, step, comment) => {
    setBusy(row.code);
    setActionError(null);
    api.recordStep(step, { title, year, code: row.code, lang }, comment ? { comment } : {}).then(
      () => {
        setBusy(null);
        setAsking(null);
        setNotice({ kind: step, name: row.name || row.code, code: row.code });
        reload();
      },
      (error) => {
        setBusy(null);
        setActionError({ code: row.code, error });
      },
    );
  };

  const data = list.state === 'ready' || list.state === 'loading' ? list.data : null;
  const rows = data && Array.isArray(data.rows) ? data.rows : [];
  const unitInfo = summary.data && summary.data.unit ? summary.data.unit : null;
  const state = summary.state === 'error' ? 'error' : list.state === 'idle' ? summary.state : list.state;

  return html`<${PageFrame}
    ...${frame}
    testId="stage-list"
    state=${state === 'idle' ? 'loading' : state}
    attrs=${{
      'data-title': title || '',
      'data-stage': stage,
      'data-year': year,
      'data-unit': unit || '',
      'data-total': list.state === 'ready' && data ? data.total : '',
    }}
    lead=${t.stagesLead}
  >
    <${StageControls}
      t=${t}
      lang=${lang}
      user=${user}
      summary=${summary.data}
      titles=${titles}
      title=${title}
      year=${year}
      stage=${stage}
      unit=${unit}
      onChange=${go}
    />
    ${summary.state === 'error' ? html`<${ErrorAlert} t=${t} lang=${lang} error=${summary.error} onRetry=${reload} />` : null}
    ${list.state === 'error' ? html`<${ErrorAlert} t=${t} lang=${lang} error=${list.error} onRetry=${reload} />` : null}
    ${notice
      ? html`<p class="notice" role="status" data-testid="stage-notice" data-kind=${notice.kind} data-code=${notice.code}>
          ${fill(notice.kind === 'accept' ? t.stagesAccepted : t.stagesReturned, { name: notice.name })}
        </p>`
      : null}
    ${decided ? html`<${DecisionResult} t=${t} lang=${lang} result=${decided} />` : null}
    <section
      class=${list.state === 'loading' ? 'panel stage-panel is-busy' : 'panel stage-panel'}
      aria-labelledby="stage-heading"
      aria-busy=${list.state === 'loading' ? 'true' : 'false'}
    >
      <div class="panel-head">
        <div>
          <p class="eyebrow">${unitInfo ? `${unitInfo.name} · ${year}` : year}</p>
          <h2 id="stage-heading">
            ${titleInfo ? titleName(titleInfo, lang) : title || ''} — ${t.stageNames[stage]}
            ${data ? html` <span class="muted" data-testid="stage-total">(${formatCount(data.total, lang)})</span>` : null}
          </h2>
        </div>
        ${list.state === 'loading' ? html`<span class="loading-chip" role="status">${t.loading}</span>` : null}
      </div>
      ${mayDecide && rows.length ? html`<p class="panel-note table-note">${t.decisionTableHint}</p>` : null}
      ${data
        ? html`<div class="table-wrap" tabindex="0" aria-labelledby="stage-heading">
              <table class="data-table stage-table" data-testid="stage-table" data-count=${rows.length}>
                <thead>
                  <tr>
                    ${mayDecide ? html`<th scope="col" class="col-check">${t.decisionRecognise}</th>` : null}
                    <th scope="col" class="col-name">${t.colName}</th>
                    <th scope="col">${t.stagesVerdict}</th>
                    <th scope="col">${t.stagesComment}</th>
                    <th scope="col">${t.stagesUpdated}</th>
                    ${mayReview ? html`<th scope="col">${t.stagesActions}</th>` : null}
                  </tr>
                </thead>
                <tbody>
                  ${rows.length === 0
                    ? html`<tr class="empty-row">
                        <td colspan=${3 + (mayDecide ? 1 : 0) + (mayReview ? 1 : 0) + 1} data-testid="stage-empty">${t.stagesEmpty}</td>
                      </tr>`
                    : rows.map(
                        (row) => html`<${StageRow}
                          key=${row.code}
                          t=${t}
                          lang=${lang}
                          row=${row}
                          title=${title}
                          year=${year}
                          levels=${titleInfo ? titleInfo.levels : 0}
                          mayReview=${mayReview}
                          decision=${mayDecide ? decision : null}
                          busy=${busy === row.code}
                          error=${actionError && actionError.code === row.code && !asking ? errorText(actionError.error, t, lang) : null}
                          onAccept=${() => act(row, 'accept')}
                          onReturn=${() => {
                            setActionError(null);
                            setAsking(row);
                          }}
                        />`,
                      )}
                </tbody>
              </table>
            </div>
            <${Pager} t=${t} lang=${lang} data=${data} onPage=${(page) => go({ page })} />`
        : list.state === 'loading'
          ? html`<p class="panel-body muted" role="status">${t.loading}</p>`
          : null}
    </section>
    ${mayDecide && title
      ? html`<${DecisionForm}
          t=${t}
          lang=${lang}
          title=${title}
          titleInfo=${titleInfo}
          year=${year}
          unit=${unitInfo || { code: unit, name: unit }}
          decision=${decision}
          onDecided=${(result) => {
            setDecided(result);
            reload();
          }}
        />`
      : null}
    ${asking
      ? html`<${TextDialog}
          t=${t}
          title=${fill(t.returnTitle, { name: asking.name || asking.code })}
          text=${t.returnText}
          label=${t.returnComment}
          confirmLabel=${t.actionReturn}
          required=${true}
          danger=${true}
          busy=${busy === asking.code}
          error=${actionError && actionError.code === asking.code ? errorText(actionError.error, t, lang) : null}
          onConfirm=${(comment) => act(asking, 'return', comment)}
          onCancel=${() => setAsking(null)}
        />`
      : null}
  </${PageFrame}>`;
}

/** Year, title, stage and unit of the list; the unit among those the user may see. */
function StageControls({ t, lang, user, summary, titles, title, year, stage, unit, onChange }) {
  // The ancestors from the user's own unit down, the unit, and its sub-units.
  const ancestors = summary && Array.isArray(summary.ancestors) ? summary.ancestors : [];
  const own = user.unit ? user.unit.code : null;
  const from = ancestors.findIndex((item) => item.code === own);
  const above = from >= 0 ? ancestors.slice(from) : [];
  const current = summary && summary.unit ? [summary.unit] : unit ? [{ code: unit, name: unit }] : [];
  const below = summary && Array.isArray(summary.children) ? summary.children : [];
  const units = [...above, ...current, ...below];
  return html`<section class="controls stage-controls no-print" aria-label=${t.stagesFilters}>
    <label class="field">
      <span class="field-label">${t.yearLabel}</span>
      <select class="text-input" data-testid="stages-year" value=${year} onChange=${(e) => onChange({ year: Number(e.target.value) })}>
        ${EVAL_YEARS.map((value) => html`<option value=${value}>${value}</option>`)}
      </select>
    </label>
    <label class="field">
      <span class="field-label">${t.importTitleLabel}</span>
      <select class="text-input" data-testid="stages-title" value=${title || ''} onChange=${(e) => onChange({ title: e.target.value })}>
        ${titles.map((item) => html`<option value=${item.key}>${titleName(item, lang)}</option>`)}
      </select>
    </label>
    <label class="field">
      <span class="field-label">${t.stagesStage}</span>
      <select class="text-input" data-testid="stages-stage" value=${stage} onChange=${(e) => onChange({ stage: e.target.value })}>
        ${STAGES.map((value) => html`<option value=${value}>${t.stageNames[value]}</option>`)}
      </select>
    </label>
    <label class="field">
      <span class="field-label">${t.stagesUnit}</span>
      <select class="text-input" data-testid="stages-unit" value=${unit || ''} onChange=${(e) => onChange({ unit: e.target.value })}>
        ${units.map(
          (item) => html`<option value=${item.code}>
            ${below.includes(item) ? '↳ ' : ''}${item.name || item.code} (${item.code})
          </option>`,
        )}
      </select>
    </label>
  </section>`;
}

function StageRow({ t, lang, row, title, year, levels, mayReview, decision, busy, error, onAccept, onReturn }) {
  const verdictKnown = row.meets === true || row.meets === false;
  const choice = decision ? decision.choiceOf(row) : null;
  const rowProblems = decision ? decision.problemsOf(row.code) : [];
  return html`<tr
    data-testid="stage-row"
    data-code=${row.code}
    data-meets=${verdictKnown ? String(row.meets) : ''}
    class=${rowProblems.length ? 'has-problem' : ''}
  >
    ${decision
      ? html`<td class="col-check">
          <input
            type="checkbox"
            data-testid="decision-check"
            checked=${choice ? choice.recognise : false}
            disabled=${!choice}
            aria-label=${fill(t.decisionCheckLabel, { name: row.name || row.code })}
            onChange=${(e) => decision.setChoice(row.code, { recognise: e.currentTarget.checked })}
          />
        </td>`
      : null}
    <th scope="row" class="col-name">
      <a href=${recordHash(title, year, row.code)} data-testid="stage-row-link">${row.name || row.code}</a>
      <span class="row-kind">${row.code}</span>
      ${decision && choice && !choice.recognise
        ? html`<label class="decision-reason">
            <span>${t.decisionReason}</span>
            <input
              type="text"
              class="text-input"
              data-testid="decision-reason"
              value=${choice.reason}
              aria-invalid=${choice.reason.trim() ? 'false' : 'true'}
              onInput=${(e) => decision.setChoice(row.code, { reason: e.currentTarget.value })}
            />
          </label>`
        : null}
      ${rowProblems.map(
        (text) => html`<p class="field-error" data-testid="decision-row-problem">${text}</p>`,
      )}
    </th>
    <td data-testid="stage-verdict" data-value=${verdictKnown ? (row.meets ? 'yes' : 'no') : ''}>
      ${verdictKnown
        ? html`<span class=${row.meets ? 'verdict is-yes' : 'verdict is-no'}>
              <span aria-hidden="true">${row.meets ? '✓' : '✗'}</span> ${row.meets ? t.verdictYes : t.verdictNo}
            </span>
            <span class="row-kind">${scoreText(t, lang, { levels, total: row.total, level: row.level })}</span>`
        : html`<span class="muted">${t.verdictUnknown}</span>`}
    </td>
    <td class="stage-comment" data-testid="stage-comment">${row.comment || html`<span class="muted">—</span>`}</td>
    <td class="nowrap">${formatDateTime(row.submitted_at || row.updated_at).slice(0, 16)}</td>
    ${mayReview
      ? html`<td>
          <div class="row-actions">
            <button
              type="button"
              class="btn btn-small btn-primary"
              data-testid="row-accept"
              disabled=${busy}
              aria-label=${`${t.actionAccept}: ${row.name || row.code}`}
              onClick=${onAccept}
            >
              ${t.actionAccept}
            </button>
            <button
              type="button"
              class="btn btn-small btn-danger"
              data-testid="row-return"
              disabled=${busy}
              aria-label=${`${t.actionReturn}: ${row.name || row.code}`}
              onClick=${onReturn}
            >
              ${t.actionReturn}
            </button>
          </div>
          ${error ? html`<p class="field-error" role="alert">${error}</p>` : null}
        </td>`
      : null}
  </tr>`;
}

function Pager({ t, lang, data, onPage }) {
  const per = data.per_page || 200;
  const pages = Math.max(1, Math.ceil((data.total || 0) / per));
  if (pages <= 1) return null;
  const page = data.page || 1;
  return html`<nav class="pager" aria-label=${t.pagesLabel}>
    <button type="button" class="link-button pager-link" data-testid="stages-prev" disabled=${page <= 1} onClick=${() => onPage(page - 1)}>
      ← ${t.prevPage}
    </button>
    <span class="pager-info" data-testid="stages-page-info">
      ${fill(t.pageOf, { page: formatCount(page, lang), pages: formatCount(pages, lang) })}
    </span>
    <button type="button" class="link-button pager-link" data-testid="stages-next" disabled=${page >= pages} onClick=${() => onPage(page + 1)}>
      ${t.nextPage} →
    </button>
  </nav>`;
}
