// The sub-units of the evaluated unit with, per title, the recognition rate and
// whether it meets the target (✓/✗ and words as well as colour). A title's
// column header sorts by its rate: highest first, then lowest first, then by name.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { DownloadLinks } from './widgets.js';
import { apiText, fill } from './i18n.js';
import { compareVi, formatCount, formatPercent } from './format.js';
import { evalHash } from './route.js';
import { StatusSign, isNumber, targetStatus } from './eval-common.js';

const SORT_MARKS = { desc: '▼', asc: '▲', none: '↕' };

/** The title columns: the unit's titles that some child has, in the unit's order, then any others. */
function columnsOf(data, children) {
  const present = new Set();
  for (const child of children) for (const key of Object.keys(child.titles || {})) present.add(key);
  const columns = (data.titles || []).filter((title) => present.has(title.key));
  for (const key of present) if (!columns.some((title) => title.key === key)) columns.push({ key });
  return columns;
}

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Rows in Vietnamese order of name, or by one title's rate (units without a rate last either way). */
function sortRows(children, sort) {
  const rows = children.slice().sort((a, b) => compareVi(a.name, b.name) || byCode(a, b));
  if (!sort) return rows;
  const rateOf = (child) => {
    const row = child.titles && child.titles[sort.key];
    return row && isNumber(row.rate) ? row.rate : null;
  };
  // Array.prototype.sort is stable, so equal rates keep the name order.
  return rows.sort((a, b) => {
    const [x, y] = [rateOf(a), rateOf(b)];
    if (x === null || y === null) return (x === null) - (y === null);
    return sort.dir === 'asc' ? x - y : y - x;
  });
}

function RateCell({ t, lang, row, title, year, child }) {
  if (!row) {
    return html`<td class="num rate-cell" data-testid="eval-cell" data-title=${title.key} data-value="" data-status="empty">
      –
    </td>`;
  }
  const status = targetStatus(row);
  const hint = fill(t.cellTitle, {
    recognised: formatCount(row.recognised, lang),
    eligible: formatCount(row.eligible, lang),
    target: isNumber(row.target) ? formatPercent(row.target, lang) : '–',
  });
  return html`<td
    class=${`num rate-cell ${status}`}
    data-testid="eval-cell"
    data-title=${title.key}
    data-value=${row.rate ?? ''}
    data-status=${status}
    title=${hint}
  >
    <span class="cell-rate">
      ${isNumber(row.rate) ? html`<${StatusSign} t=${t} status=${status} /> ${formatPercent(row.rate, lang)}` : '–'}
    </span>
    <a class="cell-count" href=${evalHash({ year, unit: child.code, title: title.key })} data-testid="eval-cell-link">
      ${formatCount(row.recognised, lang)}/${formatCount(row.eligible, lang)}
    </a>
  </td>`;
}

export function EvalChildrenTable({ t, lang, data }) {
  const [sort, setSort] = useState(null); // null (by name) or { key, dir: 'desc' | 'asc' }
  const children = Array.isArray(data.children) ? data.children : [];
  const columns = columnsOf(data, children);
  const activeSort = sort && columns.some((title) => title.key === sort.key) ? sort : null;
  const rows = sortRows(children, activeSort);
  const cycle = (key) =>
    setSort((current) =>
      !current || current.key !== key ? { key, dir: 'desc' } : current.dir === 'desc' ? { key, dir: 'asc' } : null,
    );

  return html`
    <section class="panel eval-children-panel">
      <div class="panel-head">
        <h2 id="eval-children-heading">${fill(t.evalChildrenHeading, { unit: data.unit.name })}</h2>
        <${DownloadLinks} t=${t} path="api/v1/evaluation" params=${{ year: data.year, unit: data.unit.code }} testId="eval-download" />
      </div>
      ${children.length > 0 && columns.length > 0
        ? html`<p class="table-note no-print">${t.sortHint}</p>
            <p class="table-note" data-testid="eval-legend">${t.legend}</p>`
        : null}
      <div class="table-wrap" tabindex="0" aria-labelledby="eval-children-heading">
        <table
          class="data-table eval-table"
          data-testid="eval-children"
          data-count=${children.length}
          data-sort=${activeSort ? `${activeSort.key}:${activeSort.dir}` : ''}
        >
          <thead>
            <tr>
              <th scope="col" class="col-name">${t.colName}</th>
              ${columns.map((title) => {
                const name = apiText(title, 'name', lang) || title.key;
                const active = activeSort && activeSort.key === title.key ? activeSort.dir : null;
                return html`<th
                  scope="col"
                  class="num sort-col"
                  aria-sort=${active === 'desc' ? 'descending' : active === 'asc' ? 'ascending' : 'none'}
                >
                  <button
                    type="button"
                    class="sort-button"
                    data-testid="sort-button"
                    data-title=${title.key}
                    title=${fill(t.sortBy, { title: name })}
                    onClick=${() => cycle(title.key)}
                  >
                    <span>${name}</span>
                    <span class="sort-mark" aria-hidden="true">${SORT_MARKS[active || 'none']}</span>
                    ${active
                      ? html`<span class="visually-hidden">(${active === 'desc' ? t.sortedDesc : t.sortedAsc})</span>`
                      : null}
                  </button>
                </th>`;
              })}
            </tr>
          </thead>
          <tbody>
            ${rows.length === 0
              ? html`<tr class="empty-row">
                  <td colspan=${1 + columns.length}>${t.noEvalChildren}</td>
                </tr>`
              : rows.map(
                  (child) => html`<tr data-testid="eval-child-row" data-code=${child.code} key=${child.code}>
                    <th scope="row" class="col-name">
                      <a data-testid="eval-child-link" href=${evalHash({ year: data.year, unit: child.code })}>${child.name}</a>
                      <span class="row-kind">${apiText(child, 'kind_name', lang) || child.kind || ''} · ${child.code}</span>
                    </th>
                    ${columns.map(
                      (title) =>
                        html`<${RateCell}
                          t=${t}
                          lang=${lang}
                          row=${child.titles ? child.titles[title.key] : null}
                          title=${title}
                          year=${data.year}
                          child=${child}
                        />`,
                    )}
                  </tr>`,
                )}
          </tbody>
        </table>
      </div>
    </section>
  `;
}
