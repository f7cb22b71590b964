// The "Báo cáo" page (docs/reports.md): the three reports of issue 7 for a year and a
// unit, with the target set and the basis the rates are compared on, each as an Excel
// workbook or a PDF the server writes (GET /api/v1/reports/NAME.xlsx|.pdf). The choices
// live in the hash: #/bao-cao?year=2025&unit=31&targets=qd-387&basis=decision&decision=ID.
// The unit is chosen level by level (the province, then a commune or district, then a
// district's commune), from the units the user may see.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLoad } from './load.js';
import { LANGS } from './i18n.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, REPORTS_PATH, pageOf } from './route.js';
import { ErrorAlert, PageFrame } from './shell.js';
import { can, useSession } from './session.js';

const BASES = ['evaluation', 'decision'];
const DOSSIER_FROM = 2024; // the learning-commune title (Thông tư 25/2023) applies from 2024

/** The choices in a reports hash; missing or malformed ones are null. */
export function parseReportsHash(hash) {
  const text = (hash || '').replace(/^#/, '');
  const at = text.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : text.slice(at + 1));
  const year = Number(params.get('year'));
  const value = (name) => (params.get(name) || '').trim() || null;
  const basis = value('basis');
  return {
    year: EVAL_YEARS.includes(year) ? year : null,
    unit: value('unit'),
    targets: value('targets'),
    basis: BASES.includes(basis) ? basis : 'evaluation',
    decision: /^\d+$/.test(value('decision') || '') ? value('decision') : null,
  };
}

export function reportsHash({ year, unit, targets, basis, decision }) {
  const params = new URLSearchParams();
  if (year) params.set('year', String(year));
  if (unit) params.set('unit', unit);
  if (targets) params.set('targets', targets);
  if (basis && basis !== 'evaluation') params.set('basis', basis);
  if (decision) params.set('decision', decision);
  const query = params.toString();
  return `#${REPORTS_PATH}${query ? `?${query}` : ''}`;
}

/** The download address of a report with the non-empty parameters. */
function reportHref(name, format, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  return `api/v1/reports/${name}.${format}?${query.toString()}`;
}

export function ReportsPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const [route, setRoute] = useState(() => parseReportsHash(window.location.hash));
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'reports') setRoute(parseReportsHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  // No year or unit in the hash: the default year and the user's own unit.
  useEffect(() => {
    if (route.year && route.unit) return;
    const own = user && user.unit ? user.unit.code : null;
    window.history.replaceState(
      null,
      '',
      reportsHash({ ...route, year: route.year || DEFAULT_EVAL_YEAR, unit: route.unit || own }),
    );
    setRoute(parseReportsHash(window.location.hash));
  }, [route.year, route.unit]);

  const go = (changes) => {
    const target = reportsHash({ ...route, ...changes });
    if (window.location.hash !== target) window.location.hash = target;
  };

  const { year, unit, targets, basis, decision } = route;
  const date = year ? `${year}-12-31` : null;
  const retry = () => setReloads((n) => n + 1);
  const shown = useLoad(date && unit ? `${date}|${unit}` : null, () => api.unit(unit, date), reloads);
  const roots = useLoad(date ? date : null, () => api.units(date), reloads);
  const sets = useLoad('targets', () => api.targets(), reloads);
  const records = can(user, 'records.read');
  const decisions = useLoad(records && year ? String(year) : null, () => api.decisions(year), reloads);

  // The chosen unit's path from its root: the selects show one level each.
  const info = shown.state === 'ready' ? shown.data : null;
  const path = info ? [...(info.ancestors || []).map((a) => a.code), info.unit.code] : [];
  const top = path[0] || (roots.data && roots.data.units[0] ? roots.data.units[0].code : null);
  const level2 = useLoad(date && top ? `${date}|${top}` : null, () => api.units(date, top), reloads);
  const middle = path.length > 1 ? path[1] : null;
  const middleUnit = level2.data ? level2.data.units.find((u) => u.code === middle) : null;
  const opensLevel3 = middleUnit && middleUnit.child_count > 0 && middleUnit.level !== 'commune';
  const level3 = useLoad(opensLevel3 ? `${date}|${middle}` : null, () => api.units(date, middle), reloads);

  const unitLevel = info ? info.unit.level : null;
  // The decisions taken by the chosen unit or a unit below it (the user's area is the
  // server's list; below a root every one, below a district its communes'). A list
  // needs a decision: with none, no links (the server would answer 404).
  const below = new Set([unit]);
  for (const list of [level2.data, level3.data]) {
    if (list && list.parent && list.parent.code === unit) list.units.forEach((u) => below.add(u.code));
  }
  const ownDecisions = decisions.data
    ? decisions.data.decisions.filter((d) => path.length === 1 || below.has(d.unit))
    : null;
  const hasDecisions = !ownDecisions || ownDecisions.length > 0;
  const errors = [shown.error, roots.error, level2.error, sets.error].filter(Boolean);
  const common = { year, unit, targets, basis };
  const ready = Boolean(year && unit && info);

  return html`<${PageFrame}
    t=${t}
    lang=${lang}
    onLang=${onLang}
    page="reports"
    testId="reports"
    state=${ready ? 'ready' : errors.length ? 'error' : 'loading'}
    title=${t.reportsTitle}
    lead=${t.reportsLead}
    attrs=${{ 'data-year': year || '', 'data-unit': unit || '' }}
  >
    ${errors.length ? html`<${ErrorAlert} t=${t} lang=${lang} error=${errors[0]} onRetry=${retry} />` : null}
    <form class="controls report-controls no-print" aria-label=${t.reportsChoices} onSubmit=${(e) => e.preventDefault()}>
      <label class="filter-field">
        <span class="field-label">${t.reportsYear}</span>
        <select
          class="text-input"
          data-testid="reports-year"
          value=${year || DEFAULT_EVAL_YEAR}
          onChange=${(e) => go({ year: Number(e.currentTarget.value), decision: null })}
        >
          ${EVAL_YEARS.map((y) => html`<option value=${y}>${y}</option>`)}
        </select>
      </label>
      <${UnitSelect}
        label=${t.reportsUnit}
        testId="reports-unit-1"
        units=${roots.data ? roots.data.units : []}
        value=${path[0] || ''}
        onChange=${(code) => go({ unit: code, decision: null })}
      />
      ${level2.data && level2.data.units.length
        ? html`<${UnitSelect}
            label=${level2.data.units[0].level_name || ''}
            testId="reports-unit-2"
            units=${level2.data.units}
            value=${path[1] || ''}
            empty="—"
            onChange=${(code) => go({ unit: code || top, decision: null })}
          />`
        : null}
      ${level3.data && level3.data.units.length
        ? html`<${UnitSelect}
            label=${level3.data.units[0].level_name || ''}
            testId="reports-unit-3"
            units=${level3.data.units}
            value=${path[2] || ''}
            empty="—"
            onChange=${(code) => go({ unit: code || middle, decision: null })}
          />`
        : null}
      <label class="filter-field">
        <span class="field-label">${t.reportsTargets}</span>
        <select
          class="text-input"
          data-testid="reports-targets"
          value=${targets || ''}
          onChange=${(e) => go({ targets: e.currentTarget.value || null })}
        >
          <option value="">${t.reportsTargetsDefault}</option>
          ${(sets.data ? sets.data.sets : []).map(
            (s) => html`<option value=${s.key}>${s.decision || s.key} — ${lang === 'en' ? s.name_en || s.name : s.name}</option>`,
          )}
        </select>
      </label>
      <label class="filter-field">
        <span class="field-label">${t.reportsBasis}</span>
        <select
          class="text-input"
          data-testid="reports-basis"
          value=${basis}
          onChange=${(e) => go({ basis: e.currentTarget.value })}
        >
          <option value="evaluation">${t.reportsBasisEvaluation}</option>
          <option value="decision">${t.reportsBasisDecision}</option>
        </select>
      </label>
    </form>
    <div class="report-cards">
      <${ReportCard}
        t=${t}
        name="annual"
        title=${`${t.reportsAnnual} ${year || ''}`}
        text=${t.reportsAnnualText}
        params=${ready ? common : null}
      />
      ${records
        ? html`<${ReportCard}
              t=${t}
              name="commune-dossier"
              title=${t.reportsDossier}
              text=${t.reportsDossierText}
              params=${ready && unitLevel === 'commune' && year >= DOSSIER_FROM ? common : null}
              hint=${year && year < DOSSIER_FROM
                ? t.reportsDossierFrom
                : ready && unitLevel !== 'commune'
                  ? t.reportsDossierNeedsCommune
                  : null}
            />
            <${ReportCard}
              t=${t}
              name="title-list"
              title=${t.reportsTitleList}
              text=${t.reportsTitleListText}
              params=${ready && hasDecisions ? (decision ? { decision } : { year, unit }) : null}
            >
              <${DecisionSelect}
                t=${t}
                decisions=${ownDecisions}
                value=${decision || ''}
                onChange=${(id) => go({ decision: id || null })}
              />
            </${ReportCard}>`
        : null}
    </div>
  </${PageFrame}>`;
}

function UnitSelect({ label, testId, units, value, empty = null, onChange }) {
  return html`<label class="filter-field">
    <span class="field-label">${label}</span>
    <select class="text-input" data-testid=${testId} value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${empty !== null ? html`<option value="">${empty}</option>` : null}
      ${units.map((u) => html`<option value=${u.code}>${u.name}</option>`)}
    </select>
  </label>`;
}

function DecisionSelect({ t, decisions, value, onChange }) {
  if (decisions && decisions.length === 0) return html`<p class="report-hint">${t.reportsNoDecisions}</p>`;
  return html`<label class="filter-field report-decision">
    <span class="field-label">${t.reportsDecision}</span>
    <select class="text-input" data-testid="reports-decision" value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      <option value="">${t.reportsAllDecisions}</option>
      ${(decisions || []).map(
        (d) => html`<option value=${d.id}>${d.number} — ${d.issuer} (${d.signed_on})</option>`,
      )}
    </select>
  </label>`;
}

/** One report: what it holds and its two downloads (none while params is null). */
function ReportCard({ t, name, title, text, params, hint = null, children }) {
  return html`<section class="panel report-card" data-testid=${`report-${name}`}>
    <div class="panel-head"><h2>${title}</h2></div>
    <div class="panel-body">
      <p class="report-text">${text}</p>
      ${children}
      ${hint ? html`<p class="report-hint" data-testid=${`report-${name}-hint`}>${hint}</p>` : null}
      <p class="report-links">
        ${['xlsx', 'pdf'].map((format) =>
          params
            ? html`<a
                class="button-link"
                href=${reportHref(name, format, params)}
                download
                data-testid=${`report-${name}-${format}`}
                title=${t.reportsDownloadTitle}
                >${format === 'xlsx' ? t.reportsDownloadXlsx : t.reportsDownloadPdf}</a
              >`
            : html`<span class="button-link is-disabled" aria-disabled="true">
                ${format === 'xlsx' ? t.reportsDownloadXlsx : t.reportsDownloadPdf}
              </span>`,
        )}
      </p>
    </div>
  </section>`;
}
