// The panel beside the table: the current unit's facts, its figures on the
// date, and its history across the 2025 reform (domain README §3: merges record
// which old units became which new unit, from which date).
import { html } from './html.js';
import { apiText, groupLabel } from './i18n.js';
import { addDays, formatCount, formatDate } from './format.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, evalHash, importHash, recordHash, regformHash, stagesHash, unitHash } from './route.js';
import { can, useSession } from './session.js';
import { canImport } from './import.js';
import { ENTITY_TITLES } from './record-common.js';

const COUNT_FIELDS = [
  ['households', 'colHouseholds'],
  ['persons', 'colPersons'],
  ['clans', 'colClans'],
  ['organisations', 'colOrganisations'],
];

function validity(t, from, to) {
  return `${from ? formatDate(from) : '…'} – ${to ? formatDate(to) : t.present}`;
}

function Figures({ t, lang, counts, childCount, date }) {
  return html`
    <section class="detail-section">
      <h3>${t.countsOn} ${formatDate(date)}</h3>
      <dl class="figures">
        ${COUNT_FIELDS.map(
          ([field, label]) => html`<div class="figure">
            <dt>${t[label]}</dt>
            <dd data-testid=${`detail-${field}`}>${formatCount(counts ? counts[field] : null, lang)}</dd>
          </div>`,
        )}
        ${childCount != null
          ? html`<div class="figure">
              <dt>${t.subUnits}</dt>
              <dd>${formatCount(childCount, lang)}</dd>
            </div>`
          : null}
      </dl>
      <p class="note">${t.countsNote}</p>
    </section>
  `;
}

/**
 * Predecessors and successors as links. A predecessor link opens the old unit on
 * the day before the change (the last day it existed); a successor link opens the
 * new unit on the change date.
 */
function Links({ t, items, testId, before }) {
  const list = Array.isArray(items) ? items : [];
  return html`
    <ul class="links" data-testid=${testId}>
      ${list.map((item) => {
        const target = before ? addDays(item.date, -1) : item.date;
        return html`<li>
          <a href=${unitHash(item.code, target)} title=${`${t.viewOn} ${formatDate(target)}`} data-code=${item.code}>
            ${item.name || item.code}
          </a>
          <span class="link-meta">${item.code} · ${t.changedOn} ${formatDate(item.date)}</span>
        </li>`;
      })}
    </ul>
    ${list.length === 0 ? html`<p class="muted none">${t.none}</p>` : null}
  `;
}

function History({ t, predecessors, successors }) {
  return html`
    <section class="detail-section">
      <h3>${t.historyHeading}</h3>
      <h4>${t.predecessors}</h4>
      <${Links} t=${t} items=${predecessors} testId="predecessors" before=${true} />
      <h4>${t.successors}</h4>
      <${Links} t=${t} items=${successors} testId="successors" before=${false} />
    </section>
  `;
}

/** The chosen date moved into [from, to], so a version link keeps the date when it can. */
function clampDate(date, from, to) {
  if (from && date < from) return from;
  if (to && date > to) return to;
  return date;
}

/** Every dated version of the unit (renames, moves), each a link to a day it was valid. */
function Versions({ t, lang, code, history, date, open }) {
  const versions = history && Array.isArray(history.versions) ? history.versions : [];
  if (versions.length === 0 || (versions.length === 1 && !open)) return null;
  const covers = (version) =>
    (!version.valid_from || version.valid_from <= date) && (!version.valid_to || date <= version.valid_to);
  return html`
    <details class="detail-section versions" open=${open}>
      <summary>${t.versions} (${versions.length})</summary>
      <ol>
        ${versions.map(
          (version) => html`<li class=${covers(version) ? 'current' : ''}>
            <a href=${unitHash(code, clampDate(date, version.valid_from, version.valid_to))}>${validity(t, version.valid_from, version.valid_to)}</a>
            <div>${version.name}${version.kind_name ? ` · ${apiText(version, 'kind_name', lang)}` : ''}</div>
            ${version.parent_name ? html`<div class="link-meta">${t.fieldParent}: ${version.parent_name}</div>` : null}
          </li>`,
        )}
      </ol>
    </details>
  `;
}

/**
 * The unit's evaluation (with its import templates); for those who may, its
 * import page and the forms that register a household, a clan or a learning
 * unit there; and the workflow: the unit's own record of the title of its
 * level (village, commune…) and the records waiting at or below it.
 */
function UnitLinks({ t, code, level, date }) {
  const { user } = useSession();
  const asked = Number(String(date || '').slice(0, 4));
  const year = EVAL_YEARS.includes(asked) ? asked : DEFAULT_EVAL_YEAR;
  const mayImport = ['households', 'assessments'].some((kind) => canImport(user, kind));
  const ownTitle = ENTITY_TITLES[level] || null;
  return html`<p class="unit-links no-print">
      <a href=${evalHash({ year, unit: code })} data-testid="detail-evaluation">${t.unitEvaluationLink}</a>
      ${mayImport ? html` · <a href=${importHash({ unit: code, year })} data-testid="detail-import">${t.unitImportLink}</a>` : null}
      ${can(user, 'records.read') && ownTitle
        ? html` · <a href=${recordHash(ownTitle, year, code)} data-testid="detail-record">${t.unitRecordLink} ${year}</a>`
        : null}
      ${can(user, 'records.read')
        ? html` · <a href=${stagesHash({ year, unit: code })} data-testid="detail-stages">${t.unitStagesLink}</a>`
        : null}
    </p>
    ${can(user, 'registry.write')
      ? html`<ul class="unit-register no-print" data-testid="detail-register">
          <li><a href=${regformHash({ form: 'household', unit: code, year })} data-testid="detail-register-household">${t.unitRegisterHousehold}</a></li>
          <li><a href=${regformHash({ form: 'clan', unit: code, year })} data-testid="detail-register-clan">${t.unitRegisterClan}</a></li>
          <li><a href=${regformHash({ form: 'unit', unit: code, year })} data-testid="detail-register-unit">${t.unitRegisterUnit}</a></li>
        </ul>`
      : null}`;
}

export function DetailPanel({ t, lang, view }) {
  // Top level: a summary of the listed units.
  if (!view.code) {
    const units = view.units || [];
    const counts = {};
    for (const [field] of COUNT_FIELDS) {
      counts[field] = units.reduce((sum, unit) => sum + ((unit.counts && unit.counts[field]) || 0), 0);
    }
    return html`
      <aside class="panel detail-panel" data-testid="detail">
        <div class="panel-head"><h2>${t.allUnits}</h2></div>
        <div class="panel-body">
          <p class="muted">${t.pickHint}</p>
          ${view.units
            ? html`<${Figures} t=${t} lang=${lang} counts=${counts} childCount=${units.length} date=${view.date} />`
            : null}
        </div>
      </aside>
    `;
  }

  const detail = view.detail;
  const unit = detail && detail.unit;
  if (!unit) {
    // The unit could not be shown on this date: offer its versions and relatives.
    const history = view.history;
    const versions = history && Array.isArray(history.versions) ? history.versions : [];
    const latest = versions.length ? versions[versions.length - 1] : null;
    return html`
      <aside class="panel detail-panel" data-testid="detail">
        <div class="panel-head">
          <div>
            <p class="eyebrow">${t.detailHeading} · ${view.code}</p>
            <h2>${latest ? latest.name : view.code}</h2>
          </div>
        </div>
        <div class="panel-body">
          ${history
            ? html`<p class="muted">${t.notValidHint}</p>
                <${Versions} t=${t} lang=${lang} code=${view.code} history=${history} date=${view.date} open=${true} />
                <${History} t=${t} predecessors=${history.predecessors} successors=${history.successors} />`
            : html`<p class="muted">${view.state === 'loading' ? t.loading : t.none}</p>`}
        </div>
      </aside>
    `;
  }

  const groups = Array.isArray(unit.groups) ? unit.groups : [];
  const parentName =
    detail.ancestors && detail.ancestors.length ? detail.ancestors[detail.ancestors.length - 1].name : null;
  return html`
    <aside class="panel detail-panel" data-testid="detail" data-code=${unit.code}>
      <div class="panel-head">
        <div>
          <p class="eyebrow">${t.detailHeading}</p>
          <h2 data-testid="detail-name">${unit.name}</h2>
        </div>
      </div>
      <div class="panel-body">
        <dl class="facts">
          <div><dt>${t.fieldKind}</dt><dd>${apiText(unit, 'kind_name', lang) || unit.kind}</dd></div>
          ${unit.level_name
            ? html`<div><dt>${t.fieldLevel}</dt><dd>${apiText(unit, 'level_name', lang)}</dd></div>`
            : null}
          <div><dt>${t.fieldCode}</dt><dd class="code">${unit.code}</dd></div>
          ${parentName ? html`<div><dt>${t.fieldParent}</dt><dd>${parentName}</dd></div>` : null}
          <div>
            <dt>${t.fieldGroups}</dt>
            <dd>
              ${groups.length
                ? groups.map((group) => html`<span class="tag">${groupLabel(t, group)}</span>`)
                : t.none}
            </dd>
          </div>
          <div>
            <dt>${t.fieldValidity}</dt>
            <dd data-testid="detail-validity">${validity(t, unit.valid_from, unit.valid_to)}</dd>
          </div>
        </dl>
        <${Figures} t=${t} lang=${lang} counts=${unit.counts} childCount=${unit.child_count} date=${view.date} />
        <${UnitLinks} t=${t} code=${unit.code} level=${unit.level} date=${view.date} />
        <${History} t=${t} predecessors=${detail.predecessors} successors=${detail.successors} />
        <${Versions} t=${t} lang=${lang} code=${unit.code} history=${view.history} date=${view.date} open=${false} />
      </div>
    </aside>
  `;
}
