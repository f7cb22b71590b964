// "Việc cần làm" (#/viec-can-lam?year=Y), linked from the home page and the
// navigation: what waits in the user's area in a year (GET /api/v1/tasks),
// per title and stage of the workflow
// (docs/workflow.md): how many records, how many are past the step's
// deadline, the deadline. The rows the user's role acts on come first
// ("Chờ bạn xử lý"); the others are shown greyed, for information. Each row
// opens the stage list of that title and stage.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatCount, formatDate } from './format.js';
import { useLoad } from './load.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, pageOf, parseTasksHash, stagesHash, tasksHash } from './route.js';
import { ErrorAlert, PageFrame, Refusal } from './shell.js';
import { can, useSession } from './session.js';
import { titleName } from './record-common.js';

export function TasksPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const [route, setRoute] = useState(() => parseTasksHash(window.location.hash));
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'tasks') setRoute(parseTasksHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const allowed = can(user, 'records.read');
  const year = route.year || DEFAULT_EVAL_YEAR;
  const slot = useLoad(allowed ? String(year) : null, () => api.tasks(year), reloads);
  const frame = { t, lang, onLang, page: 'tasks', title: t.tasksTitle };

  if (!allowed) {
    return html`<${PageFrame} ...${frame} testId="tasks" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  const data = slot.state === 'ready' ? slot.data : null;
  return html`<${PageFrame}
    ...${frame}
    testId="tasks"
    state=${slot.state === 'idle' ? 'loading' : slot.state}
    attrs=${{ 'data-year': year }}
    lead=${fill(t.tasksLead, { unit: user.unit ? user.unit.name || user.unit.code : '' })}
  >
    <section class="controls no-print" aria-label=${t.yearLabel}>
      <div class="date-field">
        <span class="field-label" id="tasks-year-label">${t.yearLabel}</span>
        <div class="quick-dates" role="group" aria-labelledby="tasks-year-label">
          ${EVAL_YEARS.map(
            (value) => html`<a
              class="quick year-option"
              href=${tasksHash(value)}
              data-testid="tasks-year"
              data-year=${value}
              aria-current=${value === year ? 'true' : null}
            >
              <span class="quick-label">${value}</span>
            </a>`,
          )}
        </div>
      </div>
      ${data && data.today
        ? html`<p class="date-readout">
            <span class="field-label">${t.today}</span>
            <strong data-testid="tasks-today">${formatDate(data.today)}</strong>
          </p>`
        : null}
    </section>
    ${slot.state === 'error'
      ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
      : !data
        ? html`<p class="panel panel-body muted" role="status">${t.loading}</p>`
        : html`<${TaskLists} t=${t} lang=${lang} data=${data} year=${year} />`}
    <p class="task-more no-print">
      <a href=${stagesHash({ year })} data-testid="tasks-all-records">${t.tasksAllRecords}</a>
    </p>
  </${PageFrame}>`;
}

function TaskLists({ t, lang, data, year }) {
  const tasks = Array.isArray(data.tasks) ? data.tasks : [];
  const mine = tasks.filter((task) => task.mine);
  const others = tasks.filter((task) => !task.mine);
  if (tasks.length === 0) {
    return html`<section class="panel">
      <p class="panel-body muted" data-testid="tasks-empty">${fill(t.tasksEmpty, { year })}</p>
    </section>`;
  }
  return html`
    <section class="panel task-panel" aria-labelledby="tasks-mine-heading" data-testid="tasks-mine" data-count=${mine.length}>
      <div class="panel-head">
        <h2 id="tasks-mine-heading">${t.tasksMine} (${formatCount(mine.length, lang)})</h2>
      </div>
      ${mine.length
        ? html`<ul class="task-list">
            ${mine.map((task) => html`<${TaskRow} key=${`${task.title}|${task.stage}`} t=${t} lang=${lang} task=${task} year=${year} today=${data.today} />`)}
          </ul>`
        : html`<p class="panel-body muted" data-testid="tasks-mine-empty">${t.tasksMineEmpty}</p>`}
    </section>
    ${others.length
      ? html`<section class="panel task-panel is-others" aria-labelledby="tasks-others-heading" data-testid="tasks-others">
          <div class="panel-head">
            <h2 id="tasks-others-heading">${t.tasksOthers} (${formatCount(others.length, lang)})</h2>
            <p class="panel-text muted">${t.tasksOthersHint}</p>
          </div>
          <ul class="task-list">
            ${others.map((task) => html`<${TaskRow} key=${`${task.title}|${task.stage}`} t=${t} lang=${lang} task=${task} year=${year} today=${data.today} />`)}
          </ul>
        </section>`
      : null}
  `;
}

/** One title at one stage: a link to its stage list with the count, the overdue count and the deadline. */
function TaskRow({ t, lang, task, year, today }) {
  // Certificates about to expire are found among the recognised records.
  const stage = task.stage === 'expiring' ? 'recognised' : task.stage;
  const late = task.due && today && task.due < today;
  return html`<li
    class=${`task-row${task.mine ? ' is-mine' : ''}`}
    data-testid="task-row"
    data-title=${task.title}
    data-stage=${task.stage}
    data-mine=${task.mine ? 'true' : 'false'}
    data-count=${task.count}
    data-overdue=${task.overdue}
  >
    <a class="task-link" href=${stagesHash({ title: task.title, year, stage })} data-testid="task-link">
      <span class="task-title">${titleName(task, lang)}</span>
      <span class="task-stage">${(t.taskStages && t.taskStages[task.stage]) || task.stage}</span>
    </a>
    <span class="task-count" data-testid="task-count">
      <strong>${formatCount(task.count, lang)}</strong> ${t.tasksRecords}
    </span>
    <span class=${task.overdue > 0 ? 'task-overdue is-late' : 'task-overdue'} data-testid="task-overdue">
      ${task.overdue > 0 ? fill(t.tasksOverdue, { n: formatCount(task.overdue, lang) }) : t.tasksNoneOverdue}
    </span>
    <span class=${late ? 'task-due is-late' : 'task-due'} data-testid="task-due">
      ${task.due ? fill(t.tasksDue, { date: formatDate(task.due) }) : t.tasksNoDue}
    </span>
  </li>`;
}
