// The home page, "Tổng quan" (#/?year=Y&unit=CODE&title=T&targets=SET&basis=B):
// where a unit stands against the learning-society targets in a year
// (GET /api/v1/dashboard, docs/dashboard-page.md). For each title: the unit's
// rate and registered rate against the applicable target of the chosen target
// set (the unit group's own target where one applies), its sub-units ranked
// by rate with the gap to target, the units below it furthest behind, a tile
// map of the sub-units, the trend since 2022 (a commune created by the 2025
// reform shows its predecessors' combined figures for the years before), and
// the learning-citizen measures of QĐ 677. Every count opens the list behind
// it (#/danh-gia?…), every unit its own dashboard. The figures are asked for
// again every 10 s while the tab is visible (load.js useLiveLoad), so a record
// saved elsewhere shows within seconds, without a reload.
//
// On screen one title is shown at a time (the tabs); the others are rendered
// too, hidden, so that printing gives every title, one a page.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLiveLoad, useLoad } from './load.js';
import { LANGS, apiText, fill, groupLabel } from './i18n.js';
import { formatCount, formatDate, formatDateTime, formatPercent } from './format.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, dashHash, evalHash, pageOf, parseDashHash, tasksHash } from './route.js';
import { ErrorAlert, PageFrame, Refusal, errorText } from './shell.js';
import { can, useSession } from './session.js';
import { StatusSign, entityWord } from './eval-common.js';
import {
  Bar,
  RankLegend,
  RankedChart,
  TileLegend,
  TileMap,
  TrendChart,
  TrendLegend,
  bandOf,
  gapShort,
  gapWords,
  isNumber,
  targetStatus,
  targetWords,
} from './dash-charts.js';

const RANKED_LIMIT = 15; // sub-units shown in the ranking before "show all"

export function DashboardPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const [route, setRoute] = useState(() => parseDashHash(window.location.hash));
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'dashboard') setRoute(parseDashHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const allowed = can(user, 'units.read');
  const year = route.year || DEFAULT_EVAL_YEAR;
  const { unit, targets, basis } = route;
  const slot = useLiveLoad(
    allowed ? `${year}|${unit || ''}|${targets || ''}|${basis}` : null,
    () => api.dashboard({ year, unit, targets, basis }),
    reloads,
  );
  const sets = useLoad(allowed ? 'targets' : null, () => api.targets(), reloads);
  const tasks = useLoad(can(user, 'records.read') ? `tasks|${year}` : null, () => api.tasks(year), reloads);

  const go = (changes) => {
    const next = dashHash({ ...route, year, ...changes });
    if (window.location.hash !== next) window.location.hash = next;
  };

  const data = slot.data;
  const shownUnit = data && data.unit ? data.unit : null;
  const frame = {
    t,
    lang,
    onLang,
    page: 'dashboard',
    title: t.dashTitle,
    lead: fill(t.dashLead, { unit: shownUnit ? shownUnit.name : (user.unit && user.unit.name) || '' }),
  };
  if (!allowed) {
    return html`<${PageFrame} ...${frame} testId="dashboard" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }

  const titles = data && Array.isArray(data.titles) ? data.titles : [];
  const current = titles.find((title) => title.key === route.title) || titles[0] || null;
  const setsList = sets.state === 'ready' && Array.isArray(sets.data.sets) ? sets.data.sets : [];
  const view = { t, lang, data, year, route, sets: setsList, records: can(user, 'records.read') };
  const busy = slot.state === 'loading';

  return html`<${PageFrame}
    ...${frame}
    testId="dashboard"
    state=${slot.state === 'idle' ? 'loading' : slot.state}
    attrs=${{
      'data-year': data ? data.year : '',
      'data-unit': shownUnit ? shownUnit.code : '',
      'data-title': current ? current.key : '',
      'data-targets': data ? data.targets || '' : '',
      'data-basis': data ? data.basis : '',
      'data-refreshes': slot.refreshes || 0,
    }}
  >
    <${Controls} t=${t} lang=${lang} year=${year} route=${route} sets=${setsList} slot=${slot} go=${go} />
    ${tasks.state !== 'idle' ? html`<${TasksStrip} t=${t} lang=${lang} slot=${tasks} year=${year} />` : null}
    <${Breadcrumb} t=${t} data=${data} route=${route} year=${year} />
    ${slot.state === 'error'
      ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
      : null}
    ${data
      ? html`<div class=${busy ? 'dash-body is-busy' : 'dash-body'} aria-busy=${busy ? 'true' : 'false'}>
          <${PrintHeading} t=${t} lang=${lang} data=${data} sets=${setsList} />
          ${titles.length === 0
            ? html`<p class="panel panel-body muted" data-testid="dash-no-titles">
                ${fill(t.dashNoTitles, { unit: data.unit.name, year: data.year })}
              </p>`
            : html`<${TitleTabs} ...${view} titles=${titles} current=${current} />
                ${route.title && current && route.title !== current.key
                  ? html`<p class="panel-note" role="status" data-testid="dash-unknown-title">
                      ${fill(t.dashUnknownTitle, { title: route.title, shown: apiText(current, 'name', lang) })}
                    </p>`
                  : null}
                ${titles.map(
                  (title) => html`<${TitleSection} key=${title.key} ...${view} title=${title} isCurrent=${title === current} />`,
                )}`}
          <${Measures} ...${view} />
        </div>`
      : slot.state === 'loading' || slot.state === 'idle'
        ? html`<p class="panel panel-body muted" role="status" data-testid="dash-loading">${t.loading}</p>`
        : null}
  </${PageFrame}>`;
}

/** Year, target set, basis, and when the figures were last asked for. */
function Controls({ t, lang, year, route, sets, slot, go }) {
  const known = sets.some((set) => set.key === route.targets);
  return html`<section class="controls dash-controls no-print" aria-label=${t.dashControls}>
    <div class="date-field">
      <span class="field-label" id="dash-year-label">${t.yearLabel}</span>
      <div class="quick-dates" role="group" aria-labelledby="dash-year-label" data-testid="dash-year">
        ${EVAL_YEARS.map(
          (value) => html`<button
            type="button"
            class="quick year-option"
            data-testid="dash-year-option"
            data-year=${value}
            aria-pressed=${value === year ? 'true' : 'false'}
            onClick=${() => go({ year: value })}
          >
            <span class="quick-label">${value}</span>
          </button>`,
        )}
      </div>
    </div>
    <label class="date-field dash-targets-field">
      <span class="field-label">${t.dashTargets}</span>
      <select
        class="dash-select"
        data-testid="dash-targets"
        value=${route.targets || ''}
        onChange=${(event) => go({ targets: event.currentTarget.value || null })}
      >
        <option value="">${t.dashTargetsApplicable}</option>
        ${sets.map(
          (set) => html`<option key=${set.key} value=${set.key}>
            ${set.decision || set.key}${set.province ? ` (${t.dashTargetsProvince})` : ''} — ${apiText(set, 'name', lang)}
          </option>`,
        )}
        ${route.targets && !known ? html`<option value=${route.targets}>${route.targets}</option>` : null}
      </select>
    </label>
    <div class="date-field">
      <span class="field-label" id="dash-basis-label">${t.dashBasis}</span>
      <div class="quick-dates" role="group" aria-labelledby="dash-basis-label" data-testid="dash-basis">
        ${['evaluation', 'decision'].map(
          (basis) => html`<button
            type="button"
            class="quick basis-option"
            data-testid="dash-basis-option"
            data-basis=${basis}
            aria-pressed=${route.basis === basis ? 'true' : 'false'}
            title=${t.dashBasisHints[basis]}
            onClick=${() => go({ basis })}
          >
            <span class="quick-label">${t.dashBasisNames[basis]}</span>
          </button>`,
        )}
      </div>
    </div>
    <p class="date-readout dash-live" aria-live="off">
      <span class="field-label">${t.dashLive}</span>
      <span
        class=${slot.refreshError ? 'dash-updated is-stale' : 'dash-updated'}
        data-testid="dash-updated"
        data-refreshes=${slot.refreshes || 0}
      >
        ${slot.updatedAt
          ? slot.refreshError
            ? fill(t.dashStale, { error: errorText(slot.refreshError, t, lang), time: clock(slot.updatedAt) })
            : fill(t.dashUpdated, { time: clock(slot.updatedAt) })
          : t.loading}
      </span>
    </p>
  </section>`;
}

/** hh:mm:ss of a Date, in the browser's time. */
function clock(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * What waits for the user (the tasks page, #/viec-can-lam), in one line. The
 * line is there from the start, so its answer does not push the page down
 * under the reader; without an answer it is only the link.
 */
function TasksStrip({ t, lang, slot, year }) {
  const data = slot.state === 'ready' ? slot.data : null;
  const mine = data && Array.isArray(data.tasks) ? data.tasks.filter((task) => task.mine) : [];
  const count = mine.reduce((sum, task) => sum + (Number(task.count) || 0), 0);
  const overdue = mine.reduce((sum, task) => sum + (Number(task.overdue) || 0), 0);
  return html`<p
    class="dash-tasks no-print"
    data-testid="dash-tasks"
    data-state=${slot.state}
    data-count=${data ? count : ''}
    data-overdue=${data ? overdue : ''}
  >
    <a href=${tasksHash(year)} data-testid="dash-tasks-link">
      <strong>${t.dashTasksLink}</strong>
      ${data
        ? html`: ${count ? fill(t.dashTasksCount, { n: formatCount(count, lang) }) : t.dashTasksNone}
            ${overdue ? html` · <span class="is-late">${fill(t.dashTasksOverdue, { n: formatCount(overdue, lang) })}</span>` : null}`
        : slot.state === 'loading'
          ? html`<span class="muted">: ${t.loading}</span>`
          : null}
      ${' →'}
    </a>
  </p>`;
}

/** Province › … › unit; every step opens its dashboard with the same choices. */
function Breadcrumb({ t, data, route, year }) {
  if (!data || !data.unit) return html`<nav class="breadcrumb" aria-label=${t.breadcrumbLabel}><ol></ol></nav>`;
  const ancestors = Array.isArray(data.ancestors) ? data.ancestors : [];
  return html`<nav class="breadcrumb" aria-label=${t.breadcrumbLabel} data-testid="dash-breadcrumb">
    <ol>
      ${ancestors.map(
        (ancestor) => html`<li key=${ancestor.code}>
          <a href=${dashHash({ ...route, year, unit: ancestor.code })} data-code=${ancestor.code}>${ancestor.name}</a>
        </li>`,
      )}
      <li><span aria-current="page" data-code=${data.unit.code}>${data.unit.name}</span></li>
    </ol>
  </nav>`;
}

/** On paper, what the controls said on screen. */
function PrintHeading({ t, lang, data, sets }) {
  const set = sets.find((item) => item.key === data.targets);
  const parts = [
    data.unit.name,
    `${t.yearLabel} ${data.year} (${formatDate(data.date)})`,
    `${t.dashTargets}: ${data.targets ? (set ? set.decision || set.key : data.targets) : t.dashTargetsApplicable}`,
    `${t.dashBasis}: ${t.dashBasisNames[data.basis] || data.basis}`,
    fill(t.dashPrinted, { time: formatDateTime(new Date().toISOString()) }),
  ];
  return html`<p class="print-only dash-print-heading">${parts.join(' · ')}</p>`;
}

/** The decision's short name ("QĐ 387/QĐ-TTg") of a target set key. */
function setName(sets, key) {
  if (!key) return '';
  const set = sets.find((item) => item.key === key);
  return set ? set.decision || set.key : key;
}

/** The titles as tabs: each shows its rate and status; the current one is marked. */
function TitleTabs({ t, lang, data, year, route, titles, current }) {
  return html`<nav class="dash-tabs no-print" aria-label=${t.dashTitles} data-testid="dash-tabs">
    <ul>
      ${titles.map((title) => {
        const figure = title.figure || {};
        const status = targetStatus(figure);
        const name = apiText(title, 'name', lang) || title.key;
        return html`<li key=${title.key}>
          <a
            class=${`dash-tab ${status}`}
            href=${dashHash({ ...route, year, unit: data.unit.code, title: title.key })}
            aria-current=${title === current ? 'page' : null}
            data-testid="dash-tab"
            data-title=${title.key}
          >
            <span class="tab-name">${name}</span>
            <span class="tab-figures">
              <strong>${formatPercent(figure.rate, lang)}</strong>
              ${status === 'empty' ? html`<span class="visually-hidden">${t.noEligibleShort}</span>` : html`<${StatusSign} t=${t} status=${status} />`}
              ${isNumber(figure.target) ? html`<span class="tab-target">/ ${formatPercent(figure.target, lang)}</span>` : null}
            </span>
            <${Bar} rate=${figure.rate} target=${figure.target} status=${status} size="small" label=${`${name}: ${formatPercent(figure.rate, lang)}; ${targetWords(t, lang, figure.target)}`} />
          </a>
        </li>`;
      })}
    </ul>
  </nav>`;
}

/** Everything about one title; hidden on screen unless current, always printed. */
function TitleSection(props) {
  const { t, lang, data, title, isCurrent } = props;
  const name = apiText(title, 'name', lang) || title.key;
  const headingId = `dash-title-${title.key}`;
  return html`<section
    class=${isCurrent ? 'dash-title is-current' : 'dash-title'}
    aria-labelledby=${headingId}
    data-testid="dash-title"
    data-title=${title.key}
    data-current=${isCurrent ? 'true' : 'false'}
  >
    <h2 class="section-heading dash-title-heading" id=${headingId}>
      ${name} — ${data.unit.name}, ${t.yearWord} ${data.year}
    </h2>
    <div class="dash-grid dash-grid-top">
      <${Summary} ...${props} name=${name} />
      <${Trend} ...${props} name=${name} />
    </div>
    ${hasUnitsBelow(data, title)
      ? html`<div class="dash-grid dash-grid-units">
          <${Ranked} ...${props} name=${name} />
          <${Behind} ...${props} name=${name} />
        </div>`
      : null}
    <${Tiles} ...${props} name=${name} />
  </section>`;
}

/** Whether the unit has units below it to rank (a village has none). */
function hasUnitsBelow(data, title) {
  return (
    (Array.isArray(data.children) && data.children.length > 0) ||
    (Array.isArray(title.children) && title.children.length > 0) ||
    (Array.isArray(title.behind) && title.behind.length > 0)
  );
}

/** The list behind a count of `title` in `unit` (#/danh-gia …); null without records.read. */
function listHref({ records, year, title, code, filters = {} }) {
  return records ? evalHash({ year, unit: code, title: title.key, ...filters }) : null;
}

/** The filters of the list behind each count. */
const COUNT_FILTERS = {
  eligible: {},
  registered: { registered: 'yes' },
  unregistered: { registered: 'no' },
  meets: { recognised: 'yes' },
  recognised: { decided: 'yes' },
};

/** A count, linking to its list when there is one. */
function Count({ t, lang, name, value, href }) {
  const shown = formatCount(value, lang);
  return html`<div class="dash-count" data-testid=${`dash-count-${name}`} data-value=${isNumber(value) ? value : ''}>
    <dt>${t.dashCountNames[name]}</dt>
    <dd>
      ${href
        ? html`<a href=${href} data-testid=${`dash-count-${name}-link`} title=${t.dashCountTitles[name]}>${shown}</a>`
        : shown}
    </dd>
  </div>`;
}

/** The unit's own figure: the rate against the target, the registered rate, the counts. */
function Summary({ t, lang, data, year, title, sets, records, name }) {
  const figure = title.figure || {};
  const status = targetStatus(figure);
  const basis = data.basis;
  const counted = basis === 'decision' ? figure.recognised : figure.meets;
  const link = (key) => listHref({ records, year: data.year, title, code: data.unit.code, filters: COUNT_FILTERS[key] });
  const unregistered = isNumber(figure.eligible) && isNumber(figure.registered) ? figure.eligible - figure.registered : null;
  const rateLabel = `${t.dashRate[basis]} ${formatPercent(figure.rate, lang)}; ${targetWords(t, lang, figure.target)}`;
  return html`<article class="panel dash-summary" data-testid="dash-summary" data-status=${status}>
    <div class="panel-body">
      <p class="eyebrow">${fill(t.dashEntity, { entity: entityWord(t, title.entity) })}</p>
      <div class="rate-row">
        <span class="rate-label">${t.dashRate[basis]}</span>
        <strong class="rate-value" data-testid="dash-rate" data-value=${isNumber(figure.rate) ? figure.rate : ''}>
          ${formatPercent(figure.rate, lang)}
        </strong>
        <span class=${`target-badge ${status}`} data-testid="dash-status">
          <${StatusSign} t=${t} status=${status} showText=${true} />
        </span>
        <span class="rate-hint">${formatCount(counted, lang)}/${formatCount(figure.eligible, lang)} · ${t.dashRateHint[basis]}</span>
      </div>
      <div class="dash-big-bar">
        <${Bar} rate=${figure.rate} target=${figure.target} status=${status} label=${rateLabel} testId="dash-rate-bar" />
        ${isNumber(figure.target)
          ? html`<span class="bar-target-label" style=${{ left: `${Math.max(0, Math.min(1, figure.target)) * 100}%` }}>
              ${formatPercent(figure.target, lang)}
            </span>`
          : null}
      </div>
      <p class="target-line" data-testid="dash-target" data-value=${isNumber(figure.target) ? figure.target : ''}>
        ${isNumber(figure.target)
          ? html`${t.dashTarget} <strong>${formatPercent(figure.target, lang)}</strong>
              ${figure.target_year ? ` ${fill(t.dashTargetBy, { year: figure.target_year })}` : ''}
              ${figure.target_set ? html` · <span data-testid="dash-target-set">${setName(sets, figure.target_set)}</span>` : null}
              ${figure.target_group
                ? html` · <span class="target-group" data-testid="dash-target-group" data-group=${figure.target_group}>
                      ${fill(t.dashTargetGroup, { group: groupLabel(t, figure.target_group) })}
                    </span>`
                : null}
              ${isNumber(figure.gap)
                ? html`<br /><span class=${figure.gap > 0 ? 'gap' : 'gap is-ahead'} data-testid="dash-gap" data-value=${figure.gap}>
                      ${gapWords(t, lang, figure.gap)}
                    </span>`
                : null}`
          : html`<span class="muted">${t.dashNoTarget}</span>`}
      </p>
      <div class="rate-row dash-registered">
        <span class="rate-label">${t.dashRegisteredRate}</span>
        <strong class="rate-value is-small" data-testid="dash-registered-rate" data-value=${isNumber(figure.registered_rate) ? figure.registered_rate : ''}>
          ${formatPercent(figure.registered_rate, lang)}
        </strong>
        <span class="rate-hint">
          ${formatCount(figure.registered, lang)}/${formatCount(figure.eligible, lang)} · ${t.dashRegisteredHint}
        </span>
      </div>
      <${Bar}
        rate=${figure.registered_rate}
        status="registered"
        size="small"
        label=${`${t.dashRegisteredRate} ${formatPercent(figure.registered_rate, lang)}`}
        testId="dash-registered-bar"
      />
      <dl class="card-counts dash-counts" aria-label=${t.dashCounts}>
        <${Count} t=${t} lang=${lang} name="eligible" value=${figure.eligible} href=${link('eligible')} />
        <${Count} t=${t} lang=${lang} name="registered" value=${figure.registered} href=${link('registered')} />
        <${Count} t=${t} lang=${lang} name="unregistered" value=${unregistered} href=${link('unregistered')} />
        <${Count} t=${t} lang=${lang} name="meets" value=${figure.meets} href=${link('meets')} />
        <${Count} t=${t} lang=${lang} name="recognised" value=${figure.recognised} href=${link('recognised')} />
        ${title.levels ? html`<${Count} t=${t} lang=${lang} name="level2" value=${figure.level2} href=${null} />` : null}
      </dl>
    </div>
  </article>`;
}

/** A table inside a closed <details>: the figures of a chart, for reading and screen readers. */
function DataTable({ t, caption, head, rows, testId }) {
  return html`<details class="data-details" data-testid=${`${testId}-details`}>
    <summary>${t.dashTable}</summary>
    <div class="table-wrap" tabindex="0">
      <table class="data-table dash-table" data-testid=${testId}>
        <caption class="visually-hidden">${caption}</caption>
        <thead>
          <tr>
            ${head.map((cell) => html`<th scope="col" class=${cell.num ? 'num' : ''}>${cell.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
  </details>`;
}

/** The trend since 2022 as a line chart, with the notes on combined years. */
function Trend({ t, lang, data, title, name }) {
  const trend = Array.isArray(title.trend) ? title.trend : [];
  if (trend.length === 0) return html`<section class="panel dash-trend"></section>`;
  const from = trend[0].year;
  const to = trend[trend.length - 1].year;
  const combined = trend.filter((point) => point.available && point.combined);
  const missing = trend.filter((point) => !point.available);
  // Years with the same predecessors are told together.
  const groups = [];
  for (const point of combined) {
    const units = (point.from || []).map((unit) => unit.name || unit.code).join(', ');
    const group = groups.find((item) => item.units === units);
    if (group) group.years.push(point.year);
    else groups.push({ units, years: [point.year] });
  }
  const label = fill(t.dashTrendAria, { title: name, unit: data.unit.name, from, to });
  const basis = data.basis;
  return html`<section class="panel dash-trend" aria-labelledby=${`trend-${title.key}`} data-testid="dash-trend">
    <div class="panel-head">
      <div>
        <h3 id=${`trend-${title.key}`}>${t.dashTrend}</h3>
        <p class="panel-text muted">${fill(combined.length ? t.dashTrendLead : t.dashTrendLeadPlain, { from, to })}</p>
      </div>
    </div>
    <div class="panel-body">
      <${TrendLegend} t=${t} basis=${basis} combined=${combined.length > 0} />
      <${TrendChart} t=${t} lang=${lang} trend=${trend} label=${label} />
      ${groups.map(
        (group) => html`<p class="chart-note" data-testid="dash-trend-note" data-years=${group.years.join(',')}>
          ${fill(t.dashTrendCombined, { years: group.years.join(', '), units: group.units })}
        </p>`,
      )}
      ${combined.some((point) => point.shared) ? html`<p class="chart-note">${t.dashTrendShared}</p>` : null}
      ${missing.length
        ? html`<p class="chart-note muted">${fill(t.dashTrendMissing, { years: missing.map((point) => point.year).join(', ') })}</p>`
        : null}
      <${DataTable}
        t=${t}
        caption=${label}
        testId="dash-trend-table"
        head=${[
          { label: t.dashColYear },
          { label: t.dashTrendRate[basis], num: true },
          { label: t.dashColRegistered, num: true },
          { label: t.dashColTarget, num: true },
          { label: t.dashColCounts, num: true },
          { label: t.dashColNote },
        ]}
        rows=${trend.map((point) => {
          const figure = point.figure || {};
          return html`<tr key=${point.year} data-year=${point.year}>
            <th scope="row">${point.year}</th>
            <td class="num">${formatPercent(figure.rate, lang)}</td>
            <td class="num">${formatPercent(figure.registered_rate, lang)}</td>
            <td class="num">${formatPercent(figure.target, lang)}</td>
            <td class="num">
              ${point.figure
                ? `${formatCount(basis === 'decision' ? figure.recognised : figure.meets, lang)}/${formatCount(figure.eligible, lang)}`
                : '–'}
            </td>
            <td>
              ${!point.available
                ? t.dashNoFigures
                : point.combined
                  ? `${t.dashCombinedShort}: ${(point.from || []).map((unit) => unit.name || unit.code).join(', ')}`
                  : ''}
            </td>
          </tr>`;
        })}
      />
    </div>
  </section>`;
}

/** The sub-units ranked by rate, as a bar chart, with its table. */
function Ranked({ t, lang, data, year, route, title, records, name }) {
  const [expanded, setExpanded] = useState(false);
  const rows = Array.isArray(title.children) ? title.children : [];
  const basis = data.basis;
  const hrefOf = (row) => dashHash({ ...route, year, unit: row.code, title: title.key });
  const label = `${t.dashRanked}: ${name}`;
  return html`<section class="panel dash-ranked" aria-labelledby=${`ranked-${title.key}`} data-testid="dash-ranked">
    <div class="panel-head">
      <div>
        <h3 id=${`ranked-${title.key}`}>${t.dashRanked}</h3>
        <p class="panel-text muted">${fill(t.dashRankedLead, { rate: t.dashRate[basis].toLowerCase() })}</p>
      </div>
    </div>
    <div class="panel-body">
      ${rows.length === 0
        ? html`<p class="muted" data-testid="dash-ranked-empty">${t.dashRankedNone}</p>`
        : html`<${RankLegend} t=${t} basis=${basis} />
            <${RankedChart}
              t=${t}
              lang=${lang}
              rows=${rows}
              hrefOf=${hrefOf}
              limit=${RANKED_LIMIT}
              expanded=${expanded}
              testId="dash-ranked"
              label=${label}
            />
            ${rows.length > RANKED_LIMIT
              ? html`<button
                  type="button"
                  class="link-button no-print"
                  data-testid="dash-ranked-more"
                  aria-expanded=${expanded ? 'true' : 'false'}
                  onClick=${() => setExpanded(!expanded)}
                >
                  ${expanded
                    ? fill(t.dashShowFewer, { n: RANKED_LIMIT })
                    : fill(t.dashShowAll, { n: formatCount(rows.length, lang) })}
                </button>`
              : null}
            <${UnitsTable} t=${t} lang=${lang} data=${data} title=${title} rows=${rows} records=${records}
              hrefOf=${hrefOf} caption=${label} testId="dash-ranked-table" />`}
    </div>
  </section>`;
}

/** Units with their figures as a table: rank, unit, rate, registered, target, gap, counts (to the list). */
function UnitsTable({ t, lang, data, title, rows, records, hrefOf, caption, testId, showParent = false }) {
  const basis = data.basis;
  return html`<${DataTable}
    t=${t}
    caption=${caption}
    testId=${testId}
    head=${[
      { label: t.dashColRank, num: true },
      { label: t.dashColUnit },
      { label: t.colCode },
      ...(showParent ? [{ label: t.dashColParent }] : []),
      { label: t.dashColRate, num: true },
      { label: t.dashColRegistered, num: true },
      { label: t.dashColTarget, num: true },
      { label: t.dashColGap, num: true },
      { label: t.dashColCounts, num: true },
    ]}
    rows=${rows.map((row, i) => {
      const figure = row.figure || {};
      const status = targetStatus(figure);
      const counted = basis === 'decision' ? figure.recognised : figure.meets;
      const list = listHref({
        records,
        year: data.year,
        title,
        code: row.code,
        filters: basis === 'decision' ? COUNT_FILTERS.recognised : COUNT_FILTERS.meets,
      });
      return html`<tr key=${row.code} data-code=${row.code}>
        <td class="num">${i + 1}</td>
        <th scope="row"><a href=${hrefOf(row)}>${row.name}</a></th>
        <td class="code">${row.code}</td>
        ${showParent ? html`<td>${row.parent_name || ''}</td>` : null}
        <td class="num">${formatPercent(figure.rate, lang)} <${StatusSign} t=${t} status=${status} /></td>
        <td class="num">${formatPercent(figure.registered_rate, lang)}</td>
        <td class="num">${formatPercent(figure.target, lang)}</td>
        <td class="num">${gapShort(lang, figure.gap)}</td>
        <td class="num">
          ${list ? html`<a href=${list}>${formatCount(counted, lang)}</a>` : formatCount(counted, lang)}/${formatCount(figure.eligible, lang)}
        </td>
      </tr>`;
    })}
  />`;
}

/** The units below furthest behind their target, worst first. */
function Behind({ t, lang, data, year, route, title, records, name }) {
  // The API lists the 10 with the largest gap even when some of them meet
  // their target (a commune of few villages): those are not behind.
  const listed = Array.isArray(title.behind) ? title.behind : [];
  const rows = listed.filter((row) => !row.figure || !isNumber(row.figure.gap) || row.figure.gap > 1e-9);
  const hrefOf = (row) => dashHash({ ...route, year, unit: row.code, title: title.key });
  // The unit a row lies in, unless it is the unit shown (the communes of a city since 2025).
  const parentOf = (row) => (row.parent_name && row.parent_name !== data.unit.name ? row.parent_name : null);
  const noTarget = listed.length > 0 && listed.every((row) => !row.figure || !isNumber(row.figure.target));
  return html`<section class="panel dash-behind" aria-labelledby=${`behind-${title.key}`} data-testid="dash-behind">
    <div class="panel-head">
      <div>
        <h3 id=${`behind-${title.key}`}>${noTarget ? t.dashLowest : t.dashBehind}</h3>
        <p class="panel-text muted">${noTarget ? t.dashLowestLead : t.dashBehindLead}</p>
      </div>
    </div>
    <div class="panel-body">
      ${rows.length === 0
        ? html`<p class="muted" data-testid="dash-behind-empty">${t.dashBehindNone}</p>`
        : html`<${RankedChart}
              t=${t}
              lang=${lang}
              rows=${rows}
              hrefOf=${hrefOf}
              testId="dash-behind"
              parentOf=${parentOf}
              others=${data.children || []}
              label=${`${t.dashBehind}: ${name}`}
            />
            <${UnitsTable} t=${t} lang=${lang} data=${data} title=${title} rows=${rows} records=${records}
              hrefOf=${hrefOf} caption=${`${t.dashBehind}: ${name}`} testId="dash-behind-table" showParent=${true} />`}
    </div>
  </section>`;
}

/** The sub-units as a tile map in name order, each tile opening that unit's dashboard. */
function Tiles({ t, lang, data, year, route, title, name }) {
  const figures = new Map((Array.isArray(title.children) ? title.children : []).map((row) => [row.code, row.figure]));
  const children = Array.isArray(data.children) ? data.children : [];
  if (children.length === 0) return null;
  const tiles = children.map((child) => ({ code: child.code, name: child.name, figure: figures.get(child.code) || null }));
  const bands = new Set(tiles.map((tile) => bandOf(tile.figure)));
  const hrefOf = (tile) => dashHash({ ...route, year, unit: tile.code, title: title.key });
  return html`<section class="panel dash-tiles" aria-labelledby=${`tiles-${title.key}`}>
    <div class="panel-head">
      <div>
        <h3 id=${`tiles-${title.key}`}>${t.dashTiles}</h3>
        <p class="panel-text muted">${t.dashTilesLead}</p>
      </div>
    </div>
    <div class="panel-body">
      <${TileLegend} t=${t} bands=${bands} />
      <${TileMap} t=${t} lang=${lang} tiles=${tiles} hrefOf=${hrefOf} label=${`${t.dashTiles}: ${name}`} />
    </div>
  </section>`;
}

/** The QĐ 677 learning-citizen measures as bars against their targets. */
function Measures({ t, lang, data, sets }) {
  const measures = Array.isArray(data.measures) ? data.measures : [];
  return html`<section class="panel dash-measures" aria-labelledby="dash-measures-heading" data-testid="dash-measures" data-count=${measures.length}>
    <div class="panel-head">
      <div>
        <h2 id="dash-measures-heading">${t.dashMeasures}</h2>
        <p class="panel-text muted">${t.dashMeasuresLead}</p>
      </div>
    </div>
    <div class="panel-body">
      ${measures.length === 0
        ? html`<p class="muted" data-testid="dash-measures-empty">${t.dashMeasuresNone}</p>`
        : html`<ul class="measure-list">
            ${measures.map((measure) => {
              const status = targetStatus(measure);
              const name = apiText(measure, 'name', lang) || measure.key;
              const rate = formatPercent(measure.rate, lang);
              return html`<li
                key=${measure.key}
                class=${`measure-row ${status}`}
                data-testid="dash-measure"
                data-key=${measure.key}
                data-value=${isNumber(measure.rate) ? measure.rate : ''}
              >
                <div class="measure-head">
                  <span class="measure-name">${name}</span>
                  <span class="measure-rate">
                    <strong>${rate}</strong> ${status === 'empty' ? null : html`<${StatusSign} t=${t} status=${status} />`}
                  </span>
                </div>
                <${Bar} rate=${measure.rate} target=${measure.target} status=${status} label=${`${name}: ${rate}; ${targetWords(t, lang, measure.target)}`} />
                <p class="measure-note">
                  ${fill(t.dashMeasureCount, {
                    numerator: formatCount(measure.numerator, lang),
                    denominator: formatCount(measure.denominator, lang),
                  })}
                  ${isNumber(measure.target)
                    ? ` · ${t.dashTarget} ${formatPercent(measure.target, lang)}${measure.target_year ? ` ${fill(t.dashTargetBy, { year: measure.target_year })}` : ''}${measure.target_set ? ` (${setName(sets, measure.target_set)})` : ''}`
                    : ` · ${t.dashNoTargetShort}`}
                  ${isNumber(measure.target) && isNumber(measure.rate) ? ` · ${gapWords(t, lang, measure.target - measure.rate)}` : ''}
                </p>
              </li>`;
            })}
          </ul>`}
    </div>
  </section>`;
}
