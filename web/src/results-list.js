// The entities of one title below one unit (GET /api/v1/results), 50 a page,
// filtered by recognised yes/no: code, name, total points (or level), registered
// and recognised. A name opens the entity's explanation beside the list.
import { html } from './html.js';
import { apiText, fill } from './i18n.js';
import { formatCount, formatPoints } from './format.js';
import { DEFAULT_EVAL_YEAR, evalHash, recordHash } from './route.js';
import { can, useSession } from './session.js';
import { DownloadLinks } from './widgets.js';

export const RESULTS_PAGE_SIZE = 50;

const FILTERS = [
  { value: null, label: 'filterAll', testId: 'filter-all' },
  { value: 'yes', label: 'filterYes', testId: 'filter-yes' },
  { value: 'no', label: 'filterNo', testId: 'filter-no' },
];

/** The most points a title gives: the sum of its items' maxima (null for level titles). */
function maxPoints(title) {
  if (!title || title.levels || !Array.isArray(title.items)) return null;
  return title.items.reduce((sum, item) => sum + (Number(item.max) || 0), 0);
}

/** "30/100" points, or "Mức 1/2" for a title with levels. */
export function scoreText(t, lang, title, entity) {
  if (title && title.levels) return `${t.levelWord} ${formatCount(entity.level, lang)}/${formatCount(title.levels, lang)}`;
  const max = maxPoints(title);
  return max ? `${formatPoints(entity.total, lang)}/${formatPoints(max, lang)}` : formatPoints(entity.total, lang);
}

function YesNo({ t, value, testId }) {
  return html`<td class=${value ? 'yes-no yes' : 'yes-no no'} data-testid=${testId} data-value=${value ? 'yes' : 'no'}>
    <span aria-hidden="true">${value ? '✓' : '✗'}</span> ${value ? t.yes : t.no}
  </td>`;
}

function Pager({ t, lang, route, total }) {
  const pages = Math.max(1, Math.ceil(total / RESULTS_PAGE_SIZE));
  const page = Math.min(route.page, pages);
  const from = total === 0 ? 0 : (route.page - 1) * RESULTS_PAGE_SIZE + 1;
  const to = Math.min(total, route.page * RESULTS_PAGE_SIZE);
  const link = (target, label, testId, rel) =>
    target >= 1 && target <= pages && target !== route.page
      ? html`<a class="pager-link" href=${evalHash({ ...route, page: target, entity: null })} rel=${rel} data-testid=${testId}>
          ${label}
        </a>`
      : html`<span class="pager-link is-disabled" aria-disabled="true" data-testid=${testId}>${label}</span>`;
  return html`
    <nav class="pager" aria-label=${t.pagesLabel}>
      ${link(route.page - 1, `← ${t.prevPage}`, 'results-prev', 'prev')}
      <span class="pager-info" data-testid="results-page-info" data-page=${page} data-pages=${pages}>
        ${fill(t.pageInfo, { from: formatCount(from, lang), to: formatCount(to, lang), total: formatCount(total, lang) })}
        · ${fill(t.pageOf, { page: formatCount(page, lang), pages: formatCount(pages, lang) })}
      </span>
      ${link(route.page + 1, `${t.nextPage} →`, 'results-next', 'next')}
    </nav>
  `;
}

/** The list's parameters for its download (the same filters, every page). */
function exportParams(route, data) {
  return {
    year: route.year || DEFAULT_EVAL_YEAR,
    title: route.title,
    unit: (data && data.unit && data.unit.code) || route.unit,
    recognised: route.recognised,
    registered: route.registered,
    decided: route.decided,
  };
}

// The filters a link from the dashboard may add beside recognised= (route.js
// RESULT_FILTERS), each shown as a chip that can be removed.
const EXTRA_FILTERS = ['registered', 'decided'];

/**
 * The extra filters the answer shows were not applied: a server without them
 * ignores the parameter and lists everything, which would pass for the
 * filtered list. An entity that contradicts the filter gives it away; a field
 * the server does not send cannot be checked and is trusted.
 */
export function ignoredFilters(route, data) {
  if (!data || !Array.isArray(data.entities)) return [];
  return EXTRA_FILTERS.filter((name) => {
    if (!route[name]) return false;
    const want = route[name] === 'yes';
    return data.entities.some((entity) => typeof entity[name] === 'boolean' && entity[name] !== want);
  });
}

function FilterChips({ t, route, ignored, onClear }) {
  const active = EXTRA_FILTERS.filter((name) => route[name]);
  if (active.length === 0) return null;
  return html`<div class="filter-chips" data-testid="results-extra-filters">
    ${active.map(
      (name) => html`<span
        class=${ignored.includes(name) ? 'filter-chip is-ignored' : 'filter-chip'}
        data-testid="filter-chip"
        data-filter=${name}
        data-value=${route[name]}
        data-applied=${ignored.includes(name) ? 'false' : 'true'}
      >
        ${t.filterChips[name][route[name]]}
        <button
          type="button"
          class="chip-clear no-print"
          aria-label=${fill(t.filterRemove, { filter: t.filterChips[name][route[name]] })}
          onClick=${() => onClear(name)}
        >
          ×
        </button>
      </span>`,
    )}
    ${ignored.length
      ? html`<p class="filter-ignored" role="status" data-testid="filter-ignored">
          ${fill(t.filterIgnored, { filters: ignored.map((name) => t.filterChips[name][route[name]]).join(', ') })}
        </p>`
      : null}
  </div>`;
}

export function ResultsList({ t, lang, route, slot, titleInfo, unitName, onFilter, onClearFilter }) {
  const { user } = useSession();
  const data = slot.data;
  const title = (data && data.title) || titleInfo;
  const name = title ? apiText(title, 'name', lang) || title.key : route.title;
  const entities = data && Array.isArray(data.entities) ? data.entities : [];
  const busy = slot.state === 'loading';
  const isPerson = title && title.entity === 'person';
  const scoreHeading = title && title.levels ? t.colLevel : t.colTotal;
  const where = fill(t.resultsIn, { unit: (data && data.unit && data.unit.name) || unitName, year: route.year });
  const ignored = ignoredFilters(route, data);
  return html`
    <section
      class=${busy ? 'panel results-panel is-busy' : 'panel results-panel'}
      data-testid="results"
      data-state=${slot.state}
      data-title=${data && data.title ? data.title.key : ''}
      data-unit=${data && data.unit ? data.unit.code : ''}
      data-offset=${data ? data.offset : ''}
      data-total=${data ? data.total : ''}
      data-filter=${route.recognised || 'all'}
      data-registered=${route.registered || 'all'}
      data-decided=${route.decided || 'all'}
      aria-busy=${busy ? 'true' : 'false'}
    >
      <div class="panel-head">
        <div>
          <p class="eyebrow">${where}</p>
          <h2 data-testid="results-heading">${fill(t.resultsHeading, { title: name })}</h2>
        </div>
        <div class="panel-tools">
          ${busy ? html`<span class="loading-chip" role="status">${t.loading}</span>` : null}
          ${can(user, 'personal.export') && can(user, 'records.read')
            ? html`<${DownloadLinks} t=${t} path="api/v1/results" params=${exportParams(route, data)} testId="results"
                title=${t.downloadCsvTitle} />`
            : null}
          <a class="back-link no-print" href=${evalHash({ year: route.year, unit: route.unit })} data-testid="results-back">
            ← ${t.backToSummary}
          </a>
        </div>
      </div>
      <div class="results-tools no-print">
        <div class="quick-dates" role="group" aria-label=${t.filterLabel}>
          <span class="field-label filter-label">${t.filterLabel}</span>
          ${FILTERS.map(
            (filter) => html`<button
              type="button"
              class="quick filter-option"
              data-testid=${filter.testId}
              aria-pressed=${route.recognised === filter.value ? 'true' : 'false'}
              onClick=${() => onFilter(filter.value)}
            >
              <span class="quick-label">${t[filter.label]}</span>
            </button>`,
          )}
        </div>
        <${FilterChips} t=${t} route=${route} ignored=${ignored} onClear=${onClearFilter} />
      </div>
      ${data
        ? html`<div class="table-wrap" tabindex="0" aria-labelledby="results-caption">
              <table class="data-table results-table" data-testid="results-table" data-count=${entities.length}>
                <caption id="results-caption" class="visually-hidden">${fill(t.resultsHeading, { title: name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t.colCode}</th>
                    <th scope="col" class="col-name">${t.colName}</th>
                    <th scope="col" class="num">${scoreHeading}</th>
                    <th scope="col">${t.colRegistered}</th>
                    <th scope="col">${t.colRecognised}</th>
                    <th scope="col"><span class="visually-hidden">${t.colRecord}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${entities.length === 0
                    ? html`<tr class="empty-row"><td colspan="6" data-testid="results-empty">${t.noResults}</td></tr>`
                    : entities.map(
                        (entity) => html`<tr
                          data-testid="result-row"
                          data-code=${entity.code}
                          key=${entity.code}
                          class=${entity.code === route.entity ? 'is-selected' : ''}
                        >
                          <td class="code">${entity.code}</td>
                          <th scope="row" class="col-name">
                            <a
                              href=${evalHash({ ...route, entity: entity.code })}
                              data-testid="result-link"
                              aria-current=${entity.code === route.entity ? 'true' : null}
                            >
                              ${entity.name || entity.code}
                            </a>
                            ${isPerson && (entity.citizen_id_masked || entity.age != null)
                              ? html`<span class="row-kind">
                                  ${entity.citizen_id_masked ? `${t.citizenId} ${entity.citizen_id_masked}` : ''}
                                  ${entity.citizen_id_masked && entity.age != null ? ' · ' : ''}
                                  ${entity.age != null ? fill(t.ageYears, { age: entity.age }) : ''}
                                </span>`
                              : null}
                          </th>
                          <td
                            class="num"
                            data-testid="result-total"
                            data-value=${title && title.levels ? entity.level ?? '' : entity.total ?? ''}
                          >
                            ${scoreText(t, lang, title, entity)}
                          </td>
                          <${YesNo} t=${t} value=${entity.registered} testId="result-registered" />
                          <${YesNo} t=${t} value=${entity.recognised} testId="result-recognised" />
                          <td>
                            <a
                              href=${recordHash(route.title, route.year || DEFAULT_EVAL_YEAR, entity.code)}
                              data-testid="result-record"
                              aria-label=${fill(t.recordOf, { name: entity.name || entity.code })}
                              >${t.openRecord}</a
                            >
                          </td>
                        </tr>`,
                      )}
                </tbody>
              </table>
            </div>
            <${Pager} t=${t} lang=${lang} route=${route} total=${data.total || 0} />`
        : slot.state === 'loading'
          ? html`<p class="panel-body muted" role="status">${t.loading}</p>`
          : null}
    </section>
  `;
}
