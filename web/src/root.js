// The root: holds the language and the session, and shows the page the hash
// names (route.js). Without a session it shows the login page; with a session
// whose password must be changed, the forced change page; else the home page,
// the dashboard (dashboard.js), what waits for the user (tasks.js), the
// hierarchy browser (app.js), the evaluation
// (evaluation.js), the workflow's stage lists and record pages, the account,
// users administration, audit log, household, settings page or the registry
// forms. Any request that finds the
// session gone (401) brings the login page back (api.js onSessionLost); the
// hash is kept, so the user lands where they were after logging in again.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, onSessionLost, setCsrf } from './api.js';
import { LANGS, loadLang, saveLang } from './i18n.js';
import { pageOf } from './route.js';
import { SessionContext } from './session.js';
import { ErrorAlert } from './shell.js';
import { App } from './app.js';
import { EvaluationPage } from './evaluation.js';
import { ForcedChangePage, LoginPage } from './login.js';
import { AccountPage } from './account.js';
import { AdminPage } from './admin.js';
import { AuditPage } from './audit.js';
import { HouseholdPage } from './household.js';
import { ImportPage } from './import.js';
import { RegformPage } from './regform.js';
import { TasksPage } from './tasks.js';
import { DashboardPage } from './dashboard.js';
import { StageListPage } from './stage-list.js';
import { RecordPage } from './record.js';
import { SettingsPage } from './settings.js';
import { ReportsPage } from './reports.js';
import { FundsPage } from './funds.js';

const PAGES = {
  dashboard: DashboardPage,
  tasks: TasksPage,
  hierarchy: App,
  evaluation: EvaluationPage,
  account: AccountPage,
  admin: AdminPage,
  audit: AuditPage,
  household: HouseholdPage,
  import: ImportPage,
  regform: RegformPage,
  stages: StageListPage,
  record: RecordPage,
  settings: SettingsPage,
  reports: ReportsPage,
  funds: FundsPage,
};

/** state: checking | out | in | error; notice: why the login page is shown (login.js). */
const CHECKING = { state: 'checking', user: null, notice: null, error: null };

export function Root() {
  const [lang, setLang] = useState(loadLang);
  const [page, setPage] = useState(() => pageOf(window.location.hash));
  const [auth, setAuth] = useState(CHECKING);
  const [checks, setChecks] = useState(0); // bumped to ask GET /session again

  useEffect(() => {
    const onHashChange = () => setPage(pageOf(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  // Who is logged in: GET /session at start, and again when asked.
  useEffect(() => {
    let current = true;
    api.session().then(
      (body) => {
        if (!current) return;
        setCsrf(body.csrf);
        setAuth({ state: 'in', user: body.user, notice: null, error: null });
      },
      (error) => {
        if (!current) return;
        if (error.status === 401) {
          setCsrf(null);
          setAuth((previous) => ({ state: 'out', user: null, notice: previous.notice, error: null }));
        } else setAuth({ state: 'error', user: null, notice: null, error });
      },
    );
    return () => {
      current = false;
    };
  }, [checks]);

  // A request found the session gone, or the password must be changed first.
  useEffect(() => {
    onSessionLost((code) => {
      if (code === 'password_change_required') {
        setChecks((n) => n + 1);
        return;
      }
      setCsrf(null);
      setAuth((previous) =>
        previous.state === 'out' ? previous : { state: 'out', user: null, notice: 'expired', error: null },
      );
    });
    return () => onSessionLost(null);
  }, []);

  const session = useMemo(
    () => ({
      user: auth.user,
      /** A fresher user (after a password change); without one, ask the server. */
      setUser: (user) => {
        if (user && typeof user === 'object') setAuth((previous) => ({ ...previous, user }));
        else setChecks((n) => n + 1);
      },
      /** DELETE /session, then the login page (starting from the home page). */
      logout: () => {
        api.logout().then(
          () => endSession('loggedOut'),
          (error) => endSession(error.status === 401 ? 'loggedOut' : 'logoutFailed'),
        );
      },
      /** The server already ended the session (logout-all): back to the login page. */
      endSession: (notice = 'loggedOut') => endSession(notice),
    }),
    [auth.user],
  );

  function endSession(notice) {
    setCsrf(null);
    window.history.replaceState(null, '', '#/');
    setPage(pageOf('#/'));
    setAuth({ state: 'out', user: null, notice, error: null });
  }

  const changeLang = () => {
    const next = lang === 'vi' ? 'en' : 'vi';
    saveLang(next);
    setLang(next);
  };

  const t = LANGS[lang];
  let body;
  if (auth.state === 'checking') {
    body = html`<div class="app" data-testid="session-check" data-state="loading">
      <p class="page muted" role="status">${t.checkingSession}</p>
    </div>`;
  } else if (auth.state === 'error') {
    body = html`<div class="app" data-testid="session-check" data-state="error">
      <main class="page">
        <${ErrorAlert} t=${t} lang=${lang} error=${auth.error} onRetry=${() => setChecks((n) => n + 1)} />
      </main>
    </div>`;
  } else if (auth.state === 'out') {
    body = html`<${LoginPage}
      lang=${lang}
      onLang=${changeLang}
      notice=${auth.notice}
      onLoggedIn=${(user) => setAuth({ state: 'in', user, notice: null, error: null })}
    />`;
  } else if (auth.user && auth.user.must_change_password) {
    body = html`<${ForcedChangePage} lang=${lang} onLang=${changeLang} />`;
  } else {
    const Page = PAGES[page] || App;
    // Keyed by user: another login starts every page afresh.
    body = html`<${Page} key=${auth.user ? auth.user.id : ''} lang=${lang} onLang=${changeLang} />`;
  }
  return html`<${SessionContext.Provider} value=${session}>${body}</${SessionContext.Provider}>`;
}
