// The "Địa bàn hành chính" page: browse the administrative hierarchy on a date
// (domain README §3: the hierarchy is data with validity dates, and the 2025
// reform merged districts away). State is in the URL hash (route.js); the data
// come from the JSON API (api.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS } from './i18n.js';
import { formatDate, isIsoDate, localToday } from './format.js';
import { pageOf, parseHash, unitHash } from './route.js';
import { DemoBanner, ErrorAlert, TopBar, useMeta } from './shell.js';
import { ChildrenTable } from './children-table.js';
import { DetailPanel } from './detail-panel.js';

// The two dates officers compare most: the last day with districts and the
// first day of the two-level system (domain README §3).
const BEFORE_REFORM = '2024-06-30';
const AFTER_REFORM = '2025-07-01';

// The date field accepts years in this range. While a year is being typed the
// field already holds a valid but partial year (0002, 0020, 0202): those are
// ignored, and a short pause lets the typing finish before the page reloads.
const MIN_DATE = '1900-01-01';
const MAX_DATE = '2999-12-31';
const TYPING_PAUSE_MS = 300;

const EMPTY_VIEW = {
  state: 'loading',
  code: null,
  date: null,
  units: null,
  parent: null,
  detail: null,
  history: null,
  error: null,
};

/** The page; `lang` and `onLang` (the language toggle) come from the root. */
export function App({ lang, onLang }) {
  const t = LANGS[lang];
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  const [view, setView] = useState(EMPTY_VIEW);
  const [reloads, setReloads] = useState(0); // bumped by "Thử lại" (try again)
  const { meta, metaError, metaSettled } = useMeta(reloads);
  const requestSeq = useRef(0);

  const today = meta && isIsoDate(meta.today) ? meta.today : localToday();

  useEffect(() => {
    const onHashChange = () => {
      // Leaving for another page: the root unmounts this one; keep its route.
      if (pageOf(window.location.hash) === 'hierarchy') setRoute(parseHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    document.documentElement.lang = t.htmlLang;
    document.title = `${t.pageTitle} — hoctap`;
  }, [lang]);

  // No date in the hash: use the server's today, replacing (not adding) the history entry.
  useEffect(() => {
    if (!metaSettled || route.date) return;
    // The user may have moved to another page while the server's today was
    // asked (a link followed at once): that page's hash must stay.
    if (pageOf(window.location.hash) !== 'hierarchy') return;
    window.history.replaceState(null, '', unitHash(route.code, today));
    setRoute(parseHash(window.location.hash));
  }, [metaSettled, route.code, route.date]);

  // Load the list and the unit for the route. A newer navigation makes older
  // answers stale: they are dropped, so fast clicking never shows mixed data.
  useEffect(() => {
    if (!route.date) return;
    const seq = ++requestSeq.current;
    const { code, date } = route;
    setView((previous) => ({ ...previous, state: 'loading' }));
    Promise.allSettled([
      api.units(date, code),
      code ? api.unit(code, date) : Promise.resolve(null),
      code ? api.history(code) : Promise.resolve(null),
    ]).then(([list, detail, history]) => {
      if (seq !== requestSeq.current) return;
      // The unit's own error (e.g. not_valid_on_date) says more than the list's.
      const error =
        detail.status === 'rejected' ? detail.reason : list.status === 'rejected' ? list.reason : null;
      const listBody = list.status === 'fulfilled' ? list.value : null;
      setView({
        state: error ? 'error' : 'ready',
        code,
        date,
        units: listBody && Array.isArray(listBody.units) ? listBody.units : null,
        parent: listBody ? listBody.parent || null : null,
        detail: detail.status === 'fulfilled' ? detail.value : null,
        // The history is extra information: without it the page still works.
        history: history.status === 'fulfilled' ? history.value : null,
        error,
      });
    });
  }, [route.code, route.date, reloads]);

  // Opening another unit from far down a long list: bring its breadcrumb into view.
  const shownCode = useRef(undefined);
  useEffect(() => {
    if (view.state === 'loading') return;
    if (shownCode.current !== undefined && shownCode.current !== view.code) {
      const crumb = document.querySelector('[data-testid="breadcrumb"]');
      if (crumb && crumb.getBoundingClientRect().top < 0) crumb.scrollIntoView({ block: 'start' });
    }
    shownCode.current = view.code;
  }, [view]);

  const goToDate = (date) => {
    if (!isIsoDate(date)) return;
    const target = unitHash(route.code, date);
    if (window.location.hash !== target) window.location.hash = target;
  };

  const date = route.date || view.date || today;
  const busy = view.state === 'loading';
  const alerts = [view.error, metaError].filter(Boolean);

  return html`
    <div
      class="app"
      data-testid="app"
      data-state=${view.state}
      data-unit=${view.code || ''}
      data-date=${view.date || ''}
    >
      <${TopBar} t=${t} lang=${lang} page="hierarchy" homeHref="#/" onLang=${onLang} />
      <${DemoBanner} t=${t} meta=${meta} />
      <main class="page">
        <div class="page-head">
          <h1 data-testid="page-title">${t.pageTitle}</h1>
          <p class="lead">${t.pageLead}</p>
        </div>

        <${DateControls}
          t=${t}
          date=${date}
          today=${today}
          onDate=${goToDate}
        />

        <${Breadcrumb} t=${t} view=${view} date=${date} />

        ${alerts.map(
          (error) =>
            html`<${ErrorAlert} t=${t} lang=${lang} error=${error} onRetry=${() => setReloads((n) => n + 1)} />`,
        )}

        <div class=${busy ? 'layout is-busy' : 'layout'} aria-busy=${busy ? 'true' : 'false'}>
          <${ChildrenTable} t=${t} lang=${lang} view=${view} busy=${busy} />
          <${DetailPanel} t=${t} lang=${lang} view=${view} />
        </div>
      </main>
      <footer class="footer">
        <span>hoctap${meta && meta.version ? ` ${meta.version}` : ''}</span>
        <span class="print-only">${t.dateLabel}: ${formatDate(date)}</span>
      </footer>
    </div>
  `;
}

function DateControls({ t, date, today, onDate }) {
  const typingTimer = useRef(0);
  useEffect(() => () => clearTimeout(typingTimer.current), []);
  const onFieldChange = (event) => {
    const value = event.currentTarget.value;
    clearTimeout(typingTimer.current);
    // An emptied or half-typed field is left alone; the page keeps its date.
    if (!isIsoDate(value) || value < MIN_DATE || value > MAX_DATE) return;
    typingTimer.current = setTimeout(() => onDate(value), TYPING_PAUSE_MS);
  };
  const pick = (value) => {
    clearTimeout(typingTimer.current);
    onDate(value);
  };
  const quick = [
    { date: BEFORE_REFORM, label: formatDate(BEFORE_REFORM), note: t.quickBefore },
    { date: AFTER_REFORM, label: formatDate(AFTER_REFORM), note: t.quickAfter },
    { date: today, label: t.today, note: formatDate(today) },
  ];
  return html`
    <section class="controls no-print" aria-label=${t.dateLabel}>
      <label class="date-field">
        <span class="field-label">${t.dateLabel}</span>
        <input
          type="date"
          data-testid="date"
          value=${date}
          min=${MIN_DATE}
          max=${MAX_DATE}
          required
          onChange=${onFieldChange}
        />
      </label>
      <div class="quick-dates" role="group" aria-label=${t.dateLabel}>
        ${quick.map(
          (item) => html`<button
            type="button"
            class="quick"
            aria-pressed=${item.date === date ? 'true' : 'false'}
            data-date=${item.date}
            onClick=${() => pick(item.date)}
          >
            <span class="quick-label">${item.label}</span>
            <span class="quick-note">${item.note}</span>
          </button>`,
        )}
      </div>
      <p class="date-readout" aria-live="polite">
        <span class="field-label">${t.viewing}</span>
        <strong data-testid="date-display">${formatDate(date)}</strong>
      </p>
    </section>
  `;
}

function Breadcrumb({ t, view, date }) {
  const detail = view.detail;
  const ancestors = (detail && Array.isArray(detail.ancestors) && detail.ancestors) || [];
  const versions = view.history && Array.isArray(view.history.versions) ? view.history.versions : [];
  const latestName = versions.length ? versions[versions.length - 1].name : null;
  const current = view.code ? (detail && detail.unit && detail.unit.name) || latestName || view.code : null;
  return html`
    <nav class="breadcrumb" aria-label=${t.breadcrumbLabel} data-testid="breadcrumb">
      <ol>
        <li>
          ${current
            ? html`<a href=${unitHash(null, date)}>${t.allUnits}</a>`
            : html`<span aria-current="page">${t.allUnits}</span>`}
        </li>
        ${ancestors.map(
          (ancestor) => html`<li>
            <a href=${unitHash(ancestor.code, date)} data-code=${ancestor.code}>${ancestor.name}</a>
          </li>`,
        )}
        ${current ? html`<li><span aria-current="page">${current}</span></li>` : null}
      </ol>
    </nav>
  `;
}
