// Users administration (#/quan-tri, users.manage): the users of the admin's
// area with a text filter; create a user (username, full name, role from
// GET /roles, unit code) and show the one-time password once; disable, enable,
// reset the password (a new one-time password), each user's audit entries.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatCount, formatDateTime, localToday } from './format.js';
import { SETTINGS_PATH, auditHash } from './route.js';
import { PageFrame, Refusal, errorText } from './shell.js';
import { can, useSession } from './session.js';
import { ConfirmDialog, DownloadLinks, Field, SecretBox, describedBy, useConfirmedAction } from './widgets.js';

const FILTER_PAUSE_MS = 300;

// GET /roles marks with `grantable` the roles the admin may give (those whose
// permissions the admin holds); only those are offered.

/** Load `request()` when `key` changes or `reloads` is bumped; older answers are dropped. */
function useRequest(key, request, reloads = 0) {
  const [slot, setSlot] = useState({ state: 'loading', key: null, data: null, error: null });
  const seq = useRef(0);
  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    setSlot((previous) => ({ ...previous, state: 'loading', key }));
    request().then(
      (data) => mine === seq.current && setSlot({ state: 'ready', key, data, error: null }),
      (error) => mine === seq.current && setSlot({ state: 'error', key, data: null, error }),
    );
  }, [key, reloads]);
  return slot;
}

const nameIn = (item, lang) => (item ? (lang === 'en' ? item.name_en : item.name_vi) || item.name_vi || item.key : '');

export function AdminPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const allowed = can(user, 'users.manage');
  const frame = { t, lang, onLang, page: 'admin', title: t.adminTitle };

  if (!allowed) {
    return html`<${PageFrame} ...${frame} testId="admin" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  return html`<${PageFrame}
    ...${frame}
    testId="admin"
    state="ready"
    lead=${fill(t.adminLead, { unit: user.unit ? user.unit.name : '' })}
  >
    <${Admin} t=${t} lang=${lang} user=${user} />
  </${PageFrame}>`;
}

function Admin({ t, lang, user }) {
  const [filter, setFilter] = useState('');
  const [q, setQ] = useState('');
  const [reloads, setReloads] = useState(0);
  const [secret, setSecret] = useState(null); // {kind: created|reset, username, password}
  const [notice, setNotice] = useState(null);
  // asking: {action: disable|reset, user}
  const { asking, setAsking, busy, actionError, setActionError, act } = useConfirmedAction(() =>
    setReloads((n) => n + 1),
  );
  const filterTimer = useRef(0);
  useEffect(() => () => clearTimeout(filterTimer.current), []);

  const roles = useRequest('roles', () => api.roles());
  const users = useRequest(`users|${q}`, () => api.users({ q }), reloads);
  const unitCode = user.unit ? user.unit.code : null;
  const units = useRequest(unitCode ? `units|${unitCode}` : null, () => api.units(localToday(), unitCode));

  const roleList = roles.data && Array.isArray(roles.data.roles) ? roles.data.roles : [];
  const permissions = roles.data && Array.isArray(roles.data.permissions) ? roles.data.permissions : [];
  const unitOptions = [
    ...(user.unit ? [{ code: user.unit.code, name: user.unit.name }] : []),
    ...(units.data && Array.isArray(units.data.units) ? units.data.units : []),
  ];
  const list = users.data && Array.isArray(users.data.users) ? users.data.users : [];

  const onFilter = (event) => {
    const value = event.currentTarget.value;
    setFilter(value);
    clearTimeout(filterTimer.current);
    filterTimer.current = setTimeout(() => setQ(value.trim()), FILTER_PAUSE_MS);
  };

  const disable = (target) =>
    act(
      () => api.disableUser(target.id),
      () => {
        setSecret(null);
        setNotice(fill(t.userDisabled, { username: target.username }));
      },
    );
  const enable = (target) =>
    act(
      () => api.enableUser(target.id),
      () => {
        setSecret(null);
        setNotice(fill(t.userEnabled, { username: target.username }));
      },
    );
  const reset = (target) =>
    act(
      () => api.resetPassword(target.id),
      (body) => {
        setNotice(null);
        setSecret({ kind: 'reset', username: target.username, password: body.one_time_password });
      },
    );

  return html`
    ${can(user, 'criteria.manage')
      ? html`<p class="admin-links no-print">
          <a href=${`#${SETTINGS_PATH}`} data-testid="admin-settings">${t.adminSettingsLink} →</a>
        </p>`
      : null}
    ${secret
      ? html`<${SecretBox}
          t=${t}
          key=${`${secret.kind}|${secret.username}|${secret.password}`}
          heading=${fill(secret.kind === 'created' ? t.otpCreated : t.otpReset, { username: secret.username })}
          label=${t.otpLabel}
          value=${secret.password}
          warning=${t.otpWarning}
          testId="otp"
          attrs=${{ 'data-username': secret.username, 'data-kind': secret.kind }}
          onClose=${() => setSecret(null)}
        />`
      : null}
    ${notice ? html`<p class="notice" role="status" data-testid="admin-notice">${notice}</p>` : null}
    ${actionError && !asking
      ? html`<p class="form-alert" role="alert" data-testid="admin-error">${errorText(actionError, t, lang)}</p>`
      : null}
    <div class="admin-layout">
      <${CreateUser}
        t=${t}
        lang=${lang}
        roles=${roleList}
        rolesError=${roles.error}
        permissions=${permissions}
        unitOptions=${unitOptions}
        onCreated=${(body, username) => {
          setNotice(null);
          setSecret({ kind: 'created', username: (body.user && body.user.username) || username, password: body.one_time_password });
          setReloads((n) => n + 1);
        }}
      />
      <section
        class=${users.state === 'loading' ? 'panel users-panel is-busy' : 'panel users-panel'}
        aria-labelledby="users-heading"
        data-testid="users"
        data-state=${users.state}
        data-q=${users.key ? users.key.slice(6) : ''}
        data-count=${list.length}
      >
        <div class="panel-head">
          <h2 id="users-heading">${t.usersHeading}</h2>
          ${users.data ? html`<span class="muted">${fill(t.usersCount, { n: formatCount(list.length, lang) })}</span>` : null}
          <${DownloadLinks} t=${t} path="api/v1/users" params=${{ q }} testId="users-download" />
        </div>
        <div class="panel-body users-tools">
          <label class="field-label" for="users-filter">${t.usersFilter}</label>
          <input
            id="users-filter"
            type="search"
            class="text-input"
            data-testid="users-filter"
            placeholder=${t.usersFilterPlaceholder}
            value=${filter}
            onInput=${onFilter}
          />
        </div>
        ${users.state === 'error'
          ? html`<p class="form-alert panel-alert" role="alert">${errorText(users.error, t, lang)}</p>`
          : null}
        <div class="table-wrap" tabindex="0" aria-labelledby="users-heading">
          <table class="data-table users-table">
            <thead>
              <tr>
                <th scope="col" class="col-name">${t.colUser}</th>
                <th scope="col">${t.colRole}</th>
                <th scope="col">${t.colUnit}</th>
                <th scope="col">${t.colStatus}</th>
                <th scope="col">${t.colLastLogin}</th>
                <th scope="col">${t.colActions}</th>
              </tr>
            </thead>
            <tbody>
              ${list.length === 0 && users.state === 'ready'
                ? html`<tr class="empty-row"><td colspan="6">${t.noUsers}</td></tr>`
                : list.map(
                    (row) => html`<${UserRow}
                      key=${row.id}
                      t=${t}
                      lang=${lang}
                      row=${row}
                      self=${row.id === user.id || row.username === user.username}
                      roleItem=${roleList.find((role) => role.key === row.role)}
                      busy=${busy}
                      onDisable=${() => {
                        setActionError(null);
                        setAsking({ action: 'disable', user: row });
                      }}
                      onEnable=${() => enable(row)}
                      onReset=${() => {
                        setActionError(null);
                        setAsking({ action: 'reset', user: row });
                      }}
                    />`,
                  )}
            </tbody>
          </table>
        </div>
      </section>

    </div>
    ${asking
      ? html`<${ConfirmDialog}
          t=${t}
          title=${fill(asking.action === 'disable' ? t.disableTitle : t.resetTitle, { username: asking.user.username })}
          text=${fill(asking.action === 'disable' ? t.disableText : t.resetText, {
            name: asking.user.full_name || asking.user.username,
          })}
          confirmLabel=${asking.action === 'disable' ? t.disable : t.resetPassword}
          danger=${true}
          busy=${busy}
          error=${actionError ? errorText(actionError, t, lang) : null}
          onConfirm=${() => (asking.action === 'disable' ? disable(asking.user) : reset(asking.user))}
          onCancel=${() => {
            setAsking(null);
            setActionError(null);
          }}
        />`
      : null}
  `;
}

function UserRow({ t, lang, row, self, roleItem, busy, onDisable, onEnable, onReset }) {
  const status = row.disabled ? 'disabled' : row.must_change_password ? 'must-change' : 'active';
  const statusText = { disabled: t.statusDisabled, 'must-change': t.statusMustChange, active: t.statusActive }[status];
  return html`<tr data-testid="user-row" data-username=${row.username} data-id=${row.id} data-status=${status}>
    <th scope="row" class="col-name">
      <span class="user-cell-name">${row.full_name || row.username}</span>
      <span class="row-kind">
        ${row.username}${self ? html` <span class="tag">${t.you}</span>` : null}
      </span>
    </th>
    <td data-testid="user-role" data-role=${row.role}>${roleItem ? nameIn(roleItem, lang) : row.role}</td>
    <td>
      ${row.unit ? row.unit.name || row.unit.code : ''}
      ${row.unit ? html`<span class="row-kind">${row.unit.code}</span>` : null}
    </td>
    <td><span class=${`status-badge user-status-${status}`} data-testid="user-status">${statusText}</span></td>
    <td class="nowrap">${row.last_login_at ? formatDateTime(row.last_login_at) : html`<span class="muted">${t.never}</span>`}</td>
    <td>
      <div class="row-actions">
        ${self
          ? null
          : row.disabled
            ? html`<button type="button" class="btn btn-small" data-testid="user-enable" disabled=${busy} onClick=${onEnable}>
                ${t.enable}
              </button>`
            : html`<button type="button" class="btn btn-small" data-testid="user-disable" disabled=${busy} onClick=${onDisable}>
                ${t.disable}
              </button>`}
        ${self
          ? null
          : html`<button type="button" class="btn btn-small" data-testid="user-reset" disabled=${busy} onClick=${onReset}>
              ${t.resetPassword}
            </button>`}
        <a
          class="button-link btn-small"
          href=${auditHash({ actor: row.username })}
          data-testid="user-audit"
          title=${fill(t.userAuditTitle, { username: row.username })}
        >
          ${t.userAudit}
        </a>
      </div>
    </td>
  </tr>`;
}

const EMPTY_FORM = { username: '', fullName: '', role: '', unit: '' };

function CreateUser({ t, lang, roles, rolesError, permissions, unitOptions, onCreated }) {
  const [form, setForm] = useState(EMPTY_FORM);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);

  const set = (name) => (event) => {
    const value = event.currentTarget.value;
    setForm((previous) => ({ ...previous, [name]: value }));
  };
  const onSubmit = (event) => {
    event.preventDefault();
    if (busy) return;
    const missing = {};
    for (const name of ['username', 'fullName', 'role', 'unit']) if (!form[name].trim()) missing[name] = t.fillAll;
    if (Object.keys(missing).length) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    setErrors({});
    const request = { username: form.username.trim(), fullName: form.fullName.trim(), role: form.role, unit: form.unit.trim() };
    api
      .createUser(request)
      .then(
        (body) => {
          // Keep role and unit: officers of one commune are often created together.
          setForm((previous) => ({ ...previous, username: '', fullName: '' }));
          onCreated(body, request.username);
        },
        (failure) => {
          const field = { username: 'username', full_name: 'fullName', role: 'role', unit: 'unit' }[failure.parameter];
          setErrors({ [field || 'form']: errorText(failure, t, lang) });
        },
      )
      .finally(() => setBusy(false));
  };

  const role = roles.find((item) => item.key === form.role);
  const unit = unitOptions.find((item) => item.code === form.unit.trim());
  const permName = (key) => nameIn(permissions.find((item) => item.key === key) || { key }, lang);
  const unitHint = form.unit.trim()
    ? unit
      ? `${unit.name} — ${t.unitCodeHint}`
      : `${t.unitCodeNotListed} ${t.unitCodeHint}`
    : t.unitCodeHint;

  return html`<section class="panel create-panel" aria-labelledby="create-heading" data-testid="create-user">
    <div class="panel-head"><h2 id="create-heading">${t.createHeading}</h2></div>
    <div class="panel-body">
      <form class="form" onSubmit=${onSubmit} novalidate data-state=${busy ? 'busy' : 'ready'}>
        ${errors.form ? html`<p class="form-alert" role="alert" data-testid="create-error">${errors.form}</p>` : null}
        ${rolesError ? html`<p class="form-alert" role="alert">${errorText(rolesError, t, lang)}</p>` : null}
        <div class="create-fields">
          <${Field} id="new-username" label=${t.usernameLabel} error=${errors.username}>
            <input
              id="new-username"
              class="text-input"
              data-testid="new-username"
              autocomplete="off"
              autocapitalize="none"
              spellcheck="false"
              value=${form.username}
              aria-invalid=${errors.username ? 'true' : null}
              aria-describedby=${describedBy('new-username', null, errors.username)}
              onInput=${set('username')}
            />
          </${Field}>
          <${Field} id="new-full-name" label=${t.fullNameLabel} error=${errors.fullName}>
            <input
              id="new-full-name"
              class="text-input"
              data-testid="new-full-name"
              autocomplete="off"
              value=${form.fullName}
              aria-invalid=${errors.fullName ? 'true' : null}
              aria-describedby=${describedBy('new-full-name', null, errors.fullName)}
              onInput=${set('fullName')}
            />
          </${Field}>
          <${Field} id="new-role" label=${t.roleLabel} error=${errors.role}>
            <select
              id="new-role"
              class="text-input"
              data-testid="new-role"
              value=${form.role}
              aria-invalid=${errors.role ? 'true' : null}
              aria-describedby=${describedBy('new-role', null, errors.role)}
              onChange=${set('role')}
            >
              <option value="">${t.roleChoose}</option>
              ${roles
                .filter((item) => item.grantable !== false)
                .map((item) => html`<option value=${item.key} key=${item.key}>${nameIn(item, lang)}</option>`)}
            </select>
          </${Field}>
          <${Field} id="new-unit" label=${t.unitCodeLabel} hint=${unitHint} error=${errors.unit}>
            <input
              id="new-unit"
              class="text-input"
              data-testid="new-unit"
              list="unit-options"
              autocomplete="off"
              spellcheck="false"
              value=${form.unit}
              aria-invalid=${errors.unit ? 'true' : null}
              aria-describedby=${describedBy('new-unit', unitHint, errors.unit)}
              onInput=${set('unit')}
            />
            <datalist id="unit-options">
              ${unitOptions.map((item) => html`<option value=${item.code} key=${item.code}>${item.name}</option>`)}
            </datalist>
          </${Field}>
        </div>
        ${role && Array.isArray(role.perms)
          ? html`<div class="role-perms" data-testid="role-perms">
              <span class="field-hint">${t.rolePerms}:</span>
              ${role.perms.map((perm) => html`<span class="tag" key=${perm} title=${perm}>${permName(perm)}</span>`)}
            </div>`
          : null}
        <button type="submit" class="btn btn-primary" data-testid="create-submit" disabled=${busy}>
          ${busy ? t.creating : t.createButton}
        </button>
      </form>
    </div>
  </section>`;
}
