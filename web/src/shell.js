// What every page shares: the top bar (brand, navigation between the pages,
// search, the user's menu, language toggle), the demo banner, the error alert,
// the server's meta, and the frame of the simpler pages (PageFrame).
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { fill } from './i18n.js';
import { EVAL_PATH, IMPORT_PATH, REPORTS_PATH, TASKS_PATH, UNITS_PATH } from './route.js';
import { can, useSession } from './session.js';
import { UserMenu } from './user-menu.js';
import { SearchBox } from './search.js';

/** The text to show for a failed request, in the page's language. */
export function errorText(error, t, lang) {
  if (!error) return '';
  if (error.status === 0) return t.errorNetwork;
  const message = lang === 'en' ? error.messageEn || error.messageVi : error.messageVi || error.messageEn;
  return message || fill(t.errorHttp, { status: error.status });
}

/**
 * GET /api/v1/meta once (again after `reloads` changes while it has failed).
 * `settled` turns true after the first answer or failure.
 */
export function useMeta(reloads) {
  const [meta, setMeta] = useState(null);
  const [error, setError] = useState(null);
  const [settled, setSettled] = useState(false);
  const loaded = meta !== null;
  useEffect(() => {
    if (loaded) return;
    api
      .meta()
      .then(
        (body) => {
          setMeta(body);
          setError(null);
        },
        setError,
      )
      .finally(() => setSettled(true));
  }, [reloads]);
  return { meta, metaError: error, metaSettled: settled };
}

/** The navigation between the pages; `page` names the page shown (route.js pageOf). */
const NAV = [
  {
    page: 'dashboard',
    href: '#/',
    label: 'navDashboard',
    testId: 'nav-dashboard',
    show: (user) => can(user, 'units.read'),
  },
  {
    page: 'tasks',
    also: ['stages', 'record'],
    href: `#${TASKS_PATH}`,
    label: 'navTasks',
    testId: 'nav-tasks',
    show: (user) => can(user, 'records.read'),
  },
  { page: 'hierarchy', href: `#${UNITS_PATH}`, label: 'navHierarchy', testId: 'nav-hierarchy' },
  { page: 'evaluation', href: `#${EVAL_PATH}`, label: 'navEvaluation', testId: 'nav-evaluation' },
  { page: 'reports', href: `#${REPORTS_PATH}`, label: 'navReports', testId: 'nav-reports' },
  { page: 'funds', href: '#/quy', label: 'navFunds', testId: 'nav-funds', show: (user) => can(user, 'funds.read') },
  {
    page: 'import',
    href: `#${IMPORT_PATH}`,
    label: 'navImport',
    testId: 'nav-import',
    show: (user) => can(user, 'registry.write') || can(user, 'records.write'),
  },
];

/**
 * The bar on top of every page. Without a user (the login page), or with
 * `minimal` (the forced password change), only the brand and the language.
 */
export function TopBar({ t, lang, page, homeHref, onLang, minimal = false }) {
  const { user } = useSession();
  const full = Boolean(user) && !minimal;
  return html`
    <header class="topbar">
      <div class=${full ? 'topbar-inner' : 'topbar-inner is-minimal'}>
        <a class="brand" href=${homeHref}>
          <span class="brand-mark" aria-hidden="true"></span>
          <span class="brand-name">hoctap</span>
          <span class="brand-sep" aria-hidden="true">—</span>
          <span class="brand-product">${t.product}</span>
        </a>
        ${full
          ? html`<nav class="main-nav no-print" aria-label=${t.navLabel} data-testid="nav">
                ${NAV.filter((item) => !item.show || item.show(user)).map(
                  (item) => html`<a
                    href=${item.href}
                    data-testid=${item.testId}
                    aria-current=${item.page === page || (item.also && item.also.includes(page)) ? 'page' : null}
                  >
                    ${t[item.label]}
                  </a>`,
                )}
              </nav>
              <${SearchBox} t=${t} lang=${lang} />
              <${UserMenu} t=${t} lang=${lang} page=${page} />`
          : null}
        <button
          type="button"
          class="lang-toggle no-print"
          data-testid="lang-toggle"
          lang=${lang === 'vi' ? 'en' : 'vi'}
          title=${t.langButtonTitle}
          onClick=${onLang}
        >
          <span class="lang-code" aria-hidden="true">${lang === 'vi' ? 'EN' : 'VI'}</span>
          ${t.langButton}
        </button>
      </div>
    </header>
  `;
}

export function DemoBanner({ t, meta }) {
  if (!meta || !meta.demo) return null;
  return html`<div class="demo-banner" role="note" data-testid="demo-banner">
    <div class="demo-inner">${t.demoBanner}</div>
  </div>`;
}

/** A failed request: what went wrong in the page's language, and "try again". */
export function ErrorAlert({ t, lang, error, onRetry, testId = 'error' }) {
  return html`<div class="alert" role="alert" data-testid=${testId}>
    <div class="alert-text"><strong>${t.errorTitle}.</strong> ${errorText(error, t, lang)}</div>
    ${onRetry
      ? html`<button type="button" class="button no-print" onClick=${onRetry}>${t.retry}</button>`
      : null}
  </div>`;
}

/** A page refused for lack of a permission: what happened and what to do. */
export function Refusal({ t, title, hint, testId = 'refusal' }) {
  return html`<div class="refusal" role="alert" data-testid=${testId}>
    <span class="refusal-mark" aria-hidden="true">!</span>
    <div>
      <p class="refusal-title">${title}</p>
      ${hint ? html`<p class="refusal-hint">${hint}</p>` : null}
    </div>
  </div>`;
}

/**
 * The frame of the pages added with accounts (account, admin, audit,
 * household): top bar, demo banner, heading, content, footer. `attrs` go on
 * the outer element (data-* hooks for tests); `title` names the page and the
 * browser tab.
 */
export function PageFrame({ t, lang, onLang, page, testId, state, attrs = {}, title, lead, children }) {
  const { meta } = useMeta(0);
  useEffect(() => {
    document.documentElement.lang = t.htmlLang;
    document.title = `${title} — hoctap`;
  }, [lang, title]);
  return html`
    <div class="app" data-testid=${testId} data-state=${state} ...${attrs}>
      <${TopBar} t=${t} lang=${lang} page=${page} homeHref="#/" onLang=${onLang} />
      <${DemoBanner} t=${t} meta=${meta} />
      <main class="page">
        <div class=${lead ? 'page-head' : 'page-head no-lead'}>
          <h1 data-testid="page-title">${title}</h1>
          ${lead ? html`<p class="lead">${lead}</p>` : null}
        </div>
        ${children}
      </main>
      <footer class="footer">
        <span>hoctap${meta && meta.version ? ` ${meta.version}` : ''}</span>
      </footer>
    </div>
  `;
}
