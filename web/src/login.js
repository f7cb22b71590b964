// The login page (shown whenever there is no session), the password change
// form, and the forced "Đổi mật khẩu" page shown after a login with a one-time
// password, before anything else (docs/web-access.md).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, setCsrf } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatWait } from './format.js';
import { DemoBanner, TopBar, errorText, useMeta } from './shell.js';
import { useSession } from './session.js';
import { Field, describedBy } from './widgets.js';

/** Seconds left until `until` (ms since the epoch), at `now`. */
const secondsLeft = (until, now) => Math.max(0, Math.ceil((until - now) / 1000));

/**
 * `notice` is what brought the user here ('expired', 'loggedOut',
 * 'loggedOutAll', 'logoutFailed' or null); `onLoggedIn(user)` after success.
 */
export function LoginPage({ lang, onLang, notice, onLoggedIn }) {
  const t = LANGS[lang];
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const passwordField = useRef(null);
  const usernameField = useRef(null);
  const { meta } = useMeta(0);

  useEffect(() => {
    document.documentElement.lang = t.htmlLang;
    document.title = `${t.loginTitle} — hoctap`;
  }, [lang]);
  useEffect(() => {
    if (usernameField.current) usernameField.current.focus();
  }, []);

  // The throttling countdown: one tick a second while there is a wait.
  useEffect(() => {
    if (!waitUntil) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const onSubmit = (event) => {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError({ local: t.loginRequired });
      return;
    }
    setBusy(true);
    setError(null);
    api
      .login(username.trim(), password)
      .then(
        (body) => {
          setCsrf(body.csrf);
          onLoggedIn(body.user);
        },
        (failure) => {
          setError(failure);
          setPassword('');
          if (failure.code === 'throttled' && failure.retryAfter) {
            setNow(Date.now());
            setWaitUntil(Date.now() + failure.retryAfter * 1000);
          }
          if (passwordField.current) passwordField.current.focus();
        },
      )
      .finally(() => setBusy(false));
  };

  const wait = waitUntil ? secondsLeft(waitUntil, now) : 0;
  const throttled = error && error.code === 'throttled';
  const notices = {
    expired: t.sessionExpired,
    loggedOut: t.loggedOut,
    loggedOutAll: t.loggedOutAll,
    logoutFailed: t.logoutFailed,
  };
  const errorId = 'login-error';

  return html`
    <div class="app login-page" data-testid="login" data-state=${busy ? 'busy' : 'ready'}>
      <${TopBar} t=${t} lang=${lang} page="login" homeHref="#/" onLang=${onLang} />
      <${DemoBanner} t=${t} meta=${meta} />
      <main class="page login-main">
        <section class="panel login-card">
          <div class="panel-body">
            <h1 class="login-title" data-testid="page-title">${t.loginTitle}</h1>
            <p class="lead">${t.loginLead}</p>
            ${notice && notices[notice] && !error
              ? html`<p class="notice" role="status" data-testid="login-notice" data-notice=${notice}>${notices[notice]}</p>`
              : null}
            ${error
              ? html`<div
                  class="form-alert"
                  role="alert"
                  id=${errorId}
                  data-testid="login-error"
                  data-code=${error.local ? 'required' : error.code}
                >
                  <p>${error.local || errorText(error, t, lang)}</p>
                  ${throttled && waitUntil
                    ? html`<p class="wait" data-testid="login-wait" data-seconds=${wait}>
                        ${wait > 0 ? fill(t.loginWait, { time: formatWait(wait, t) }) : t.loginWaitOver}
                      </p>`
                    : null}
                </div>`
              : null}
            <form class="form" onSubmit=${onSubmit} novalidate>
              <${Field} id="login-username" label=${t.usernameLabel}>
                <input
                  id="login-username"
                  ref=${usernameField}
                  name="username"
                  data-testid="login-username"
                  autocomplete="username"
                  autocapitalize="none"
                  spellcheck="false"
                  required
                  value=${username}
                  aria-describedby=${error ? errorId : null}
                  onInput=${(event) => setUsername(event.currentTarget.value)}
                />
              </${Field}>
              <${Field} id="login-password" label=${t.passwordLabel}>
                <input
                  id="login-password"
                  ref=${passwordField}
                  name="password"
                  type="password"
                  data-testid="login-password"
                  autocomplete="current-password"
                  required
                  value=${password}
                  aria-describedby=${error ? errorId : null}
                  onInput=${(event) => setPassword(event.currentTarget.value)}
                />
              </${Field}>
              <button type="submit" class="btn btn-primary btn-wide" data-testid="login-submit" disabled=${busy}>
                ${busy ? t.loggingIn : t.loginButton}
              </button>
            </form>
          </div>
        </section>
      </main>
    </div>
  `;
}

/**
 * Current password, new password twice. The server judges the new password
 * (its weak_password message is shown under the field); the page only checks
 * that the two new ones match. `onDone(user)` after success.
 */
export function ChangePasswordForm({ t, lang, onDone, testId = 'password-form' }) {
  const [fields, setFields] = useState({ current: '', next: '', repeat: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);

  const set = (name) => (event) => {
    const value = event.currentTarget.value;
    setFields((previous) => ({ ...previous, [name]: value }));
  };

  const onSubmit = (event) => {
    event.preventDefault();
    if (busy) return;
    if (!fields.current || !fields.next || !fields.repeat) {
      setErrors({ form: t.fillAll });
      return;
    }
    if (fields.next !== fields.repeat) {
      setErrors({ repeat: t.passwordMismatch });
      return;
    }
    setBusy(true);
    setErrors({});
    api
      .changePassword(fields.current, fields.next)
      .then(
        (body) => {
          // The server may renew the session's CSRF token with the password.
          if (body.csrf) setCsrf(body.csrf);
          setFields({ current: '', next: '', repeat: '' });
          onDone(body.user);
        },
        (failure) => {
          const message = errorText(failure, t, lang);
          if (failure.code === 'weak_password' || failure.parameter === 'new_password') setErrors({ next: message });
          else if (failure.code === 'bad_credentials' || failure.parameter === 'current_password') {
            setErrors({ current: message });
          } else setErrors({ form: message });
        },
      )
      .finally(() => setBusy(false));
  };

  const input = (id, name, label, autocomplete, hint) => html`<${Field}
    id=${id}
    label=${label}
    hint=${hint}
    error=${errors[name]}
    testId=${`${id}-error`}
  >
    <input
      id=${id}
      type="password"
      data-testid=${id}
      autocomplete=${autocomplete}
      required
      value=${fields[name]}
      aria-invalid=${errors[name] ? 'true' : null}
      aria-describedby=${describedBy(id, hint, errors[name])}
      onInput=${set(name)}
    />
  </${Field}>`;

  return html`<form class="form" data-testid=${testId} data-state=${busy ? 'busy' : 'ready'} onSubmit=${onSubmit} novalidate>
    ${errors.form ? html`<p class="form-alert" role="alert" data-testid="password-form-error">${errors.form}</p>` : null}
    ${input('pw-current', 'current', t.currentPassword, 'current-password')}
    ${input('pw-new', 'next', t.newPassword, 'new-password', t.passwordHint)}
    ${input('pw-repeat', 'repeat', t.repeatPassword, 'new-password')}
    <button type="submit" class="btn btn-primary" data-testid="pw-submit" disabled=${busy}>
      ${busy ? t.saving : t.changeButton}
    </button>
  </form>`;
}

/** After a login with a one-time password: change it before anything else. */
export function ForcedChangePage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user, setUser, logout } = useSession();
  useEffect(() => {
    document.documentElement.lang = t.htmlLang;
    document.title = `${t.changeTitle} — hoctap`;
  }, [lang]);
  return html`
    <div class="app login-page" data-testid="forced-change" data-state="ready">
      <${TopBar} t=${t} lang=${lang} page="password" homeHref="#/" onLang=${onLang} minimal=${true} />
      <main class="page login-main">
        <section class="panel login-card">
          <div class="panel-body">
            <h1 class="login-title" data-testid="page-title">${t.changeTitle}</h1>
            <p class="lead">${t.forcedLead}</p>
            <p class="who">
              ${t.usernameLabel}: <strong data-testid="forced-username">${user ? user.username : ''}</strong>
            </p>
            <${ChangePasswordForm} t=${t} lang=${lang} onDone=${(next) => setUser(next)} />
            <p class="login-aside">
              <button type="button" class="link-button" data-testid="forced-logout" onClick=${() => logout()}>
                ${t.menuLogout}
              </button>
            </p>
          </div>
        </section>
      </main>
    </div>
  `;
}
