// The "Đánh giá danh hiệu" page: for a year and a unit, each title's recognition
// rate against its programme target, the same per sub-unit, then the list of the
// entities of a title in the unit and why one of them got its result
// (docs/evaluation.md). State is in the URL hash (route.js: #/danh-gia?year=...),
// data come from GET /api/v1/evaluation, /results and /explain (api.js).
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLoad } from './load.js';
import { LANGS, apiText } from './i18n.js';
import { formatDate } from './format.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, evalHash, pageOf, parseEvalHash } from './route.js';
import { DemoBanner, ErrorAlert, TopBar, useMeta } from './shell.js';
import { TitleCards } from './title-cards.js';
import { EvalChildrenTable } from './eval-table.js';
import { ResultsList, RESULTS_PAGE_SIZE } from './results-list.js';
import { ExplainPanel } from './explain-panel.js';
import { TemplatePanel } from './template-panel.js';

export function EvaluationPage({ lang, onLang }) {
  const t = LANGS[lang];
  const [route, setRoute] = useState(() => parseEvalHash(window.location.hash));
  const [reloads, setReloads] = useState(0); // bumped by "Thử lại" (try again)
  const { meta, metaError } = useMeta(reloads);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'evaluation') setRoute(parseEvalHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    document.documentElement.lang = t.htmlLang;
    document.title = `${t.evalTitle} — hoctap`;
  }, [lang]);

  // No (or an unknown) year in the hash: the default year, replacing the history entry.
  useEffect(() => {
    if (route.year) return;
    window.history.replaceState(null, '', evalHash({ ...route, year: DEFAULT_EVAL_YEAR }));
    setRoute(parseEvalHash(window.location.hash));
  }, [route.year]);

  const { year, unit, title, recognised, registered, decided, page, entity } = route;
  const offset = (page - 1) * RESULTS_PAGE_SIZE;

  const summary = useLoad(year ? `${year}|${unit || ''}` : null, () => api.evaluation(year, unit), reloads);
  const results = useLoad(
    year && title ? `${year}|${unit || ''}|${title}|${recognised || ''}|${registered || ''}|${decided || ''}|${offset}` : null,
    () => api.results({ year, title, unit, offset, limit: RESULTS_PAGE_SIZE, recognised, registered, decided }),
    reloads,
  );
  // The explanation's texts come in the page's language, so a toggle reloads it.
  const explain = useLoad(
    year && title && entity ? `${year}|${title}|${entity}|${lang}` : null,
    () => api.explain({ year, title, code: entity, lang }),
    reloads,
  );

  const data = summary.data;
  const shownUnit = data && data.unit ? data.unit : null;
  const alerts = [summary.error, results.error, metaError].filter(Boolean);
  const retry = () => setReloads((n) => n + 1);
  const go = (changes) => {
    const target = evalHash({ ...route, year: year || DEFAULT_EVAL_YEAR, ...changes });
    if (window.location.hash !== target) window.location.hash = target;
  };

  const titleInfo =
    (results.data && results.data.title) ||
    (data && Array.isArray(data.titles) ? data.titles.find((item) => item.key === title) : null) ||
    null;

  return html`
    <div
      class="app eval-page"
      data-testid="eval"
      data-state=${summary.state === 'idle' ? 'loading' : summary.state}
      data-year=${data ? data.year : ''}
      data-unit=${shownUnit ? shownUnit.code : ''}
      data-view=${title ? 'results' : 'summary'}
    >
      <${TopBar} t=${t} lang=${lang} page="evaluation" homeHref="#/" onLang=${onLang} />
      <${DemoBanner} t=${t} meta=${meta} />
      <main class="page">
        <div class="page-head">
          <h1 data-testid="page-title">${t.evalTitle}</h1>
          <p class="lead">${t.evalLead}</p>
        </div>

        <${YearControls} t=${t} year=${year || DEFAULT_EVAL_YEAR} onYear=${(value) => go({ year: value, page: 1 })} />

        <${EvalBreadcrumb} t=${t} lang=${lang} data=${data} year=${year} title=${title ? titleInfo || { key: title } : null} />

        ${alerts.map((error) => html`<${ErrorAlert} t=${t} lang=${lang} error=${error} onRetry=${retry} />`)}

        ${title
          ? html`<div class="results-layout">
              <${ResultsList}
                t=${t}
                lang=${lang}
                route=${route}
                slot=${results}
                titleInfo=${titleInfo}
                unitName=${shownUnit ? shownUnit.name : unit || ''}
                onFilter=${(value) => go({ recognised: value, page: 1 })}
                onClearFilter=${(name) => go({ [name]: null, page: 1 })}
              />
              <${ExplainPanel} t=${t} lang=${lang} route=${route} slot=${explain} onRetry=${retry} />
            </div>`
          : html`<div
              class=${summary.state === 'loading' ? 'eval-summary is-busy' : 'eval-summary'}
              aria-busy=${summary.state === 'loading' ? 'true' : 'false'}
            >
              ${data
                ? html`<${TitleCards} t=${t} lang=${lang} data=${data} />
                    <${TemplatePanel} t=${t} lang=${lang} year=${data.year} unit=${data.unit} titles=${data.titles} />
                    <${EvalChildrenTable} t=${t} lang=${lang} data=${data} />`
                : summary.state === 'loading' || summary.state === 'idle'
                  ? html`<p class="panel panel-body muted" role="status" data-testid="eval-loading">${t.loading}</p>`
                  : null}
            </div>`}
      </main>
      <footer class="footer">
        <span>hoctap${meta && meta.version ? ` ${meta.version}` : ''}</span>
        <span class="print-only">${t.yearLabel}: ${year || ''}</span>
      </footer>
    </div>
  `;
}

/** The years as a group of toggle buttons, and the date the hierarchy is taken on. */
function YearControls({ t, year, onYear }) {
  return html`
    <section class="controls no-print" aria-label=${t.yearLabel}>
      <div class="date-field">
        <span class="field-label" id="year-label">${t.yearLabel}</span>
        <div class="quick-dates" role="group" aria-labelledby="year-label" data-testid="year">
          ${EVAL_YEARS.map(
            (value) => html`<button
              type="button"
              class="quick year-option"
              data-testid="year-option"
              data-year=${value}
              aria-pressed=${value === year ? 'true' : 'false'}
              onClick=${() => onYear(value)}
            >
              <span class="quick-label">${value}</span>
            </button>`,
          )}
        </div>
      </div>
      <p class="date-readout">
        <span class="field-label">${t.unitsAsOf}</span>
        <strong data-testid="eval-date">${formatDate(`${year}-12-31`)}</strong>
      </p>
    </section>
  `;
}

/** Province › … › unit (› title when a list is open); every step links to its summary. */
function EvalBreadcrumb({ t, lang, data, year, title }) {
  if (!data || !data.unit) return html`<nav class="breadcrumb" aria-label=${t.breadcrumbLabel}><ol></ol></nav>`;
  const ancestors = Array.isArray(data.ancestors) ? data.ancestors : [];
  const unit = data.unit;
  return html`
    <nav class="breadcrumb" aria-label=${t.breadcrumbLabel} data-testid="eval-breadcrumb">
      <ol>
        ${ancestors.map(
          (ancestor) => html`<li>
            <a href=${evalHash({ year, unit: ancestor.code })} data-code=${ancestor.code}>${ancestor.name}</a>
          </li>`,
        )}
        <li>
          ${title
            ? html`<a href=${evalHash({ year, unit: unit.code })} data-code=${unit.code}>${unit.name}</a>`
            : html`<span aria-current="page" data-code=${unit.code}>${unit.name}</span>`}
        </li>
        ${title
          ? html`<li><span aria-current="page">${apiText(title, 'name', lang) || title.key}</span></li>`
          : null}
      </ol>
    </nav>
  `;
}
