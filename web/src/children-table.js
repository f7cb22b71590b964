// The table of the sub-units of the current unit (or the top-level units) on the
// chosen date, in the order the API gives (Vietnamese collation), with a total row.
import { html } from './html.js';
import { DownloadLinks } from './widgets.js';
import { formatCount, formatDate } from './format.js';
import { unitHash } from './route.js';
import { apiText } from './i18n.js';

// Count columns: the API field, the test id and the header text key.
const COUNT_COLUMNS = [
  { field: 'households', testId: 'count-households', label: 'colHouseholds' },
  { field: 'persons', testId: 'count-persons', label: 'colPersons' },
  { field: 'clans', testId: 'count-clans', label: 'colClans' },
  { field: 'organisations', testId: 'count-organisations', label: 'colOrganisations', title: 'colOrganisationsTitle' },
];

const countOf = (unit, field) => {
  const value = unit && unit.counts ? unit.counts[field] : null;
  return typeof value === 'number' ? value : null;
};

function heading(t, view) {
  const when = `${t.onDate} ${formatDate(view.date)}`;
  if (!view.code) return `${t.rootsHeading} — ${when}`;
  const name =
    (view.detail && view.detail.unit && view.detail.unit.name) || (view.parent && view.parent.name) || view.code;
  return `${t.childrenHeading} ${name} — ${when}`;
}

export function ChildrenTable({ t, lang, view, busy }) {
  const units = view.units;
  if (!units) {
    return html`<section class="panel children-panel">
      <div class="panel-body muted">${view.state === 'loading' ? t.loading : t.noData}</div>
    </section>`;
  }
  const totals = {};
  for (const column of COUNT_COLUMNS) {
    totals[column.field] = units.reduce((sum, unit) => sum + (countOf(unit, column.field) || 0), 0);
  }
  const childTotal = units.reduce((sum, unit) => sum + (unit.child_count || 0), 0);

  return html`
    <section class="panel children-panel">
      <div class="panel-head">
        <h2 id="children-heading">${heading(t, view)}</h2>
        ${busy ? html`<span class="loading-chip" role="status">${t.loading}</span>` : null}
        <${DownloadLinks} t=${t} path="api/v1/units" params=${{ date: view.date, parent: view.code }} testId="children-download" />
      </div>
      <div class="table-wrap" tabindex="0" aria-labelledby="children-heading">
        <table class="data-table" data-testid="children" data-count=${units.length}>
          <thead>
            <tr>
              <th scope="col" class="col-name">${t.colName}</th>
              <th scope="col">${t.colKind}</th>
              <th scope="col">${t.colCode}</th>
              ${COUNT_COLUMNS.map(
                (column) => html`<th scope="col" class="num" title=${column.title ? t[column.title] : null}>
                  ${t[column.label]}
                </th>`,
              )}
              <th scope="col" class="num" title=${t.colChildrenTitle}>${t.colChildren}</th>
            </tr>
          </thead>
          <tbody>
            ${units.length === 0
              ? html`<tr class="empty-row">
                  <td colspan=${4 + COUNT_COLUMNS.length}>${t.noChildren}</td>
                </tr>`
              : units.map(
                  (unit) => html`<tr data-testid="child-row" data-code=${unit.code} key=${unit.code}>
                    <th scope="row" class="col-name">
                      <a data-testid="child-link" href=${unitHash(unit.code, view.date)}>${unit.name}</a>
                    </th>
                    <td class="kind">${apiText(unit, 'kind_name', lang) || unit.kind || ''}</td>
                    <td class="code">${unit.code}</td>
                    ${COUNT_COLUMNS.map((column) => {
                      const value = countOf(unit, column.field);
                      return html`<td class="num" data-testid=${column.testId} data-value=${value ?? ''}>
                        ${formatCount(value, lang)}
                      </td>`;
                    })}
                    <td class="num" data-testid="count-children" data-value=${unit.child_count ?? ''}>
                      ${formatCount(unit.child_count, lang)}
                    </td>
                  </tr>`,
                )}
          </tbody>
          ${units.length > 0
            ? html`<tfoot>
                <tr data-testid="total-row">
                  <th scope="row" class="col-name" colspan="3">
                    ${t.total} (${formatCount(units.length, lang)} ${t.unitsWord})
                  </th>
                  ${COUNT_COLUMNS.map(
                    (column) => html`<td class="num" data-testid=${`total-${column.field}`} data-value=${totals[column.field]}>
                      ${formatCount(totals[column.field], lang)}
                    </td>`,
                  )}
                  <td class="num">${formatCount(childTotal, lang)}</td>
                </tr>
              </tfoot>`
            : null}
        </table>
      </div>
    </section>
  `;
}
