// The account page (#/tai-khoan): who I am, change my password, my API token
// (create — shown once —, replace, revoke), and "Đăng xuất khỏi mọi thiết bị".
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS } from './i18n.js';
import { formatDateTime } from './format.js';
import { PageFrame, errorText } from './shell.js';
import { roleName, useSession } from './session.js';
import { ChangePasswordForm } from './login.js';
import { ConfirmDialog, SecretBox, useConfirmedAction } from './widgets.js';

export function AccountPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user, setUser, endSession } = useSession();
  const [changed, setChanged] = useState(false);
  const [asking, setAsking] = useState(null); // null | 'logout-all'
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const logoutAll = () => {
    setBusy(true);
    setError(null);
    api.logoutAll().then(
      () => endSession('loggedOutAll'),
      (failure) => {
        setBusy(false);
        setError(failure);
      },
    );
  };

  return html`<${PageFrame}
    t=${t}
    lang=${lang}
    onLang=${onLang}
    page="account"
    testId="account"
    state="ready"
    title=${t.accountTitle}
    lead=${t.accountLead}
  >
    <div class="account-grid">
      <section class="panel" aria-labelledby="profile-heading">
        <div class="panel-head"><h2 id="profile-heading">${t.profileHeading}</h2></div>
        <div class="panel-body">
          <dl class="facts account-facts">
            <div><dt>${t.usernameLabel}</dt><dd data-testid="account-username">${user.username}</dd></div>
            <div><dt>${t.fullNameLabel}</dt><dd>${user.full_name}</dd></div>
            <div><dt>${t.roleLabel}</dt><dd data-testid="account-role">${roleName(user, lang)}</dd></div>
            <div>
              <dt>${t.unitLabel}</dt>
              <dd>${user.unit ? `${user.unit.name} (${user.unit.code})` : ''}</dd>
            </div>
            <div>
              <dt>${t.permsLabel}</dt>
              <dd data-testid="account-perms">
                ${(user.perms || []).map(
                  (perm) => html`<span class="tag" key=${perm} title=${perm}>${t.permNames[perm] || perm}</span>`,
                )}
              </dd>
            </div>
          </dl>
        </div>
      </section>

      <section class="panel" aria-labelledby="password-heading">
        <div class="panel-head"><h2 id="password-heading">${t.changeTitle}</h2></div>
        <div class="panel-body">
          ${changed ? html`<p class="notice" role="status" data-testid="password-changed">${t.passwordChanged}</p>` : null}
          <${ChangePasswordForm}
            t=${t}
            lang=${lang}
            onDone=${(next) => {
              setChanged(true);
              if (next) setUser(next);
            }}
          />
        </div>
      </section>

      <${TokenPanel} t=${t} lang=${lang} />

      <section class="panel" aria-labelledby="logout-all-heading">
        <div class="panel-head"><h2 id="logout-all-heading">${t.logoutAllHeading}</h2></div>
        <div class="panel-body">
          <p class="panel-text">${t.logoutAllLead}</p>
          <button type="button" class="btn btn-danger" data-testid="logout-all" onClick=${() => setAsking('logout-all')}>
            ${t.logoutAllButton}
          </button>
        </div>
      </section>
    </div>
    ${asking === 'logout-all'
      ? html`<${ConfirmDialog}
          t=${t}
          title=${t.logoutAllTitle}
          text=${t.logoutAllText}
          confirmLabel=${t.logoutAllButton}
          danger=${true}
          busy=${busy}
          error=${error ? errorText(error, t, lang) : null}
          onConfirm=${logoutAll}
          onCancel=${() => {
            setAsking(null);
            setError(null);
          }}
        />`
      : null}
  </${PageFrame}>`;
}

/** GET /me/token: whether a token exists; create (shown once), replace, revoke. */
function TokenPanel({ t, lang }) {
  const [status, setStatus] = useState({ state: 'loading', data: null, error: null });
  const [reloads, setReloads] = useState(0);
  const [secret, setSecret] = useState(null); // the new token, until the user closes the box
  const [revoked, setRevoked] = useState(false);
  // asking: null | 'replace' | 'revoke'
  const { asking, setAsking, busy, actionError, setActionError, act } = useConfirmedAction(() =>
    setReloads((n) => n + 1),
  );

  useEffect(() => {
    let current = true;
    setStatus((previous) => ({ ...previous, state: 'loading' }));
    api.token().then(
      (data) => current && setStatus({ state: 'ready', data, error: null }),
      (error) => current && setStatus({ state: 'error', data: null, error }),
    );
    return () => {
      current = false;
    };
  }, [reloads]);

  const create = () =>
    act(api.createToken, (body) => {
      setRevoked(false);
      setSecret(body.token);
    });
  const revoke = () =>
    act(api.deleteToken, () => {
      setSecret(null);
      setRevoked(true);
    });

  const data = status.data;
  const exists = Boolean(data && data.exists);
  return html`<section
    class="panel"
    aria-labelledby="token-heading"
    data-testid="token-panel"
    data-state=${status.state}
    data-exists=${data ? String(exists) : ''}
  >
    <div class="panel-head"><h2 id="token-heading">${t.tokenHeading}</h2></div>
    <div class="panel-body">
      <p class="panel-text">${t.tokenLead}</p>
      ${secret
        ? html`<${SecretBox}
            t=${t}
            heading=${t.tokenNew}
            label=${t.tokenHeading}
            value=${secret}
            warning=${t.tokenWarning}
            testId="token-secret"
            onClose=${() => setSecret(null)}
          />`
        : null}
      ${revoked ? html`<p class="notice" role="status" data-testid="token-revoked">${t.tokenRevoked}</p>` : null}
      ${status.state === 'error'
        ? html`<p class="form-alert" role="alert">${errorText(status.error, t, lang)}</p>`
        : data
          ? html`<p data-testid="token-status">${exists ? t.tokenExists : t.tokenNone}</p>
              ${exists
                ? html`<dl class="facts">
                    <div><dt>${t.tokenCreatedAt}</dt><dd>${formatDateTime(data.created_at)}</dd></div>
                    <div>
                      <dt>${t.tokenLastUsed}</dt>
                      <dd>${data.last_used_at ? formatDateTime(data.last_used_at) : t.tokenNeverUsed}</dd>
                    </div>
                  </dl>`
                : null}
              <div class="button-row">
                <button
                  type="button"
                  class="btn btn-primary"
                  data-testid="token-create"
                  disabled=${busy}
                  onClick=${() => (exists ? setAsking('replace') : create())}
                >
                  ${exists ? t.tokenReplace : t.tokenCreate}
                </button>
                ${exists
                  ? html`<button type="button" class="btn btn-danger" data-testid="token-revoke" onClick=${() => setAsking('revoke')}>
                      ${t.tokenRevoke}
                    </button>`
                  : null}
              </div>
              ${actionError && !asking ? html`<p class="form-alert" role="alert">${errorText(actionError, t, lang)}</p>` : null}`
          : html`<p class="muted" role="status">${t.loading}</p>`}
    </div>
    ${asking
      ? html`<${ConfirmDialog}
          t=${t}
          title=${asking === 'replace' ? t.tokenReplaceTitle : t.tokenRevokeTitle}
          text=${asking === 'replace' ? t.tokenReplaceText : t.tokenRevokeText}
          confirmLabel=${asking === 'replace' ? t.tokenReplace : t.tokenRevoke}
          danger=${asking === 'revoke'}
          busy=${busy}
          error=${actionError ? errorText(actionError, t, lang) : null}
          onConfirm=${asking === 'replace' ? create : revoke}
          onCancel=${() => {
            setAsking(null);
            setActionError(null);
          }}
        />`
      : null}
  </section>`;
}
