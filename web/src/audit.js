// The audit log (#/nhat-ky, audit.read): who did what, when, from where, to
// which object, filtered by actor, action, object, unit and dates, 50 a page;
// each entry opens to show its before/after as a field-by-field comparison.
// The filters live in the hash (route.js), so `#/nhat-ky?actor=NAME` and
// `#/nhat-ky?object_kind=household&object=CODE` are links other pages use.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatCount, formatDateTime } from './format.js';
import { AUDIT_FILTERS, auditHash, householdHash, pageOf, parseAuditHash } from './route.js';
import { ErrorAlert, PageFrame, Refusal } from './shell.js';
import { can, useSession } from './session.js';
import { DownloadLinks } from './widgets.js';

export const AUDIT_PAGE_SIZE = 50;

/** The list's filters (no page): for the page of entries and for the download. */
function listFilters(route) {
  const filters = {};
  for (const name of AUDIT_FILTERS) filters[name] = route[name];
  return filters;
}

// The actions and object kinds the server writes today (suggestions; others are shown as they are).
const KNOWN_ACTIONS = [
  'login',
  'login.failed',
  'logout',
  'password.change',
  'user.create',
  'user.disable',
  'user.enable',
  'user.reset-password',
  'token.create',
  'token.delete',
  'access.denied',
  'record.set',
];
const KNOWN_KINDS = ['user', 'household', 'person', 'record', 'session', 'token', 'unit'];

export function AuditPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const frame = { t, lang, onLang, page: 'audit', title: t.auditTitle };
  if (!can(user, 'audit.read')) {
    return html`<${PageFrame} ...${frame} testId="audit" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  return html`<${Audit} t=${t} lang=${lang} frame=${frame} />`;
}

function Audit({ t, lang, frame }) {
  const [route, setRoute] = useState(() => parseAuditHash(window.location.hash));
  const [reloads, setReloads] = useState(0);
  const [slot, setSlot] = useState({ state: 'loading', key: null, data: null, error: null });
  const seq = useRef(0);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'audit') setRoute(parseAuditHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const key = auditHash(route);
  useEffect(() => {
    const mine = ++seq.current;
    setSlot((previous) => ({ ...previous, state: 'loading', key }));
    api.audit({ ...listFilters(route), offset: (route.page - 1) * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE }).then(
      (data) => mine === seq.current && setSlot({ state: 'ready', key, data, error: null }),
      (error) => mine === seq.current && setSlot({ state: 'error', key, data: null, error }),
    );
  }, [key, reloads]);

  const data = slot.data;
  const entries = data && Array.isArray(data.entries) ? data.entries : [];
  const forbidden = slot.state === 'error' && slot.error.status === 403;
  const state = forbidden ? 'forbidden' : slot.key === key ? slot.state : 'loading';

  return html`<${PageFrame}
    ...${frame}
    testId="audit"
    state=${state}
    lead=${t.auditLead}
    attrs=${{
      'data-total': data ? data.total : '',
      'data-offset': (route.page - 1) * AUDIT_PAGE_SIZE,
      'data-filters': key.replace(/^#\/nhat-ky\??/, ''),
    }}
  >
    <${Filters} t=${t} route=${route} />
    ${forbidden
      ? html`<${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />`
      : slot.state === 'error'
        ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
        : null}
    <section
      class=${state === 'loading' ? 'panel audit-panel is-busy' : 'panel audit-panel'}
      aria-labelledby="audit-heading"
      aria-busy=${state === 'loading' ? 'true' : 'false'}
    >
      <div class="panel-head">
        <h2 id="audit-heading">${t.auditTitle}</h2>
        ${state === 'loading' ? html`<span class="loading-chip" role="status">${t.loading}</span>` : null}
        <${DownloadLinks} t=${t} path="api/v1/audit" params=${listFilters(route)} testId="audit-download" />
      </div>
      <div class="table-wrap" tabindex="0" aria-labelledby="audit-heading">
        <table class="data-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">${t.colTime} <span class="th-note">${t.timeNote}</span></th>
              <th scope="col">${t.colActor}</th>
              <th scope="col">${t.colAction}</th>
              <th scope="col">${t.colObject}</th>
              <th scope="col">${t.colUnit}</th>
              <th scope="col">${t.colAddr}</th>
              <th scope="col"><span class="visually-hidden">${t.showChanges}</span></th>
            </tr>
          </thead>
          <tbody>
            ${data && entries.length === 0
              ? html`<tr class="empty-row"><td colspan="7" data-testid="audit-empty">${t.noEntries}</td></tr>`
              : entries.map((entry) => html`<${Entry} key=${entry.seq} t=${t} lang=${lang} entry=${entry} />`)}
          </tbody>
        </table>
      </div>
      ${data ? html`<${Pager} t=${t} lang=${lang} route=${route} total=${data.total || 0} />` : null}
    </section>
  </${PageFrame}>`;
}

/** The filter form; applying it changes the hash (page 1). */
function Filters({ t, route }) {
  const [form, setForm] = useState(route);
  // The hash changed (a link, back/forward): the form shows the new filters.
  useEffect(() => setForm(route), [auditHash(route)]);
  const set = (name) => (event) => {
    const value = event.currentTarget.value;
    setForm((previous) => ({ ...previous, [name]: value }));
  };
  const onSubmit = (event) => {
    event.preventDefault();
    const filters = {};
    for (const name of AUDIT_FILTERS) filters[name] = (form[name] || '').trim() || null;
    window.location.hash = auditHash({ ...filters, page: 1 });
  };
  const field = (name, label, props = {}) => html`<label class="filter-field">
    <span class="field-label">${label}</span>
    <input
      class="text-input"
      name=${name}
      data-testid=${`audit-filter-${name}`}
      value=${form[name] || ''}
      onInput=${set(name)}
      ...${props}
    />
  </label>`;
  return html`<form class="controls audit-filters no-print" aria-label=${t.auditFilters} onSubmit=${onSubmit}>
    ${field('actor', t.fActor, { autocomplete: 'off', spellcheck: 'false', placeholder: t.fActorHint })}
    ${field('action', t.fAction, { list: 'audit-actions', autocomplete: 'off' })}
    ${field('object_kind', t.fObjectKind, { list: 'audit-kinds', autocomplete: 'off' })}
    ${field('object', t.fObject, { autocomplete: 'off', spellcheck: 'false' })}
    ${field('entity', t.fEntity, { autocomplete: 'off', spellcheck: 'false', placeholder: t.fEntityHint })}
    ${field('unit', t.fUnit, { autocomplete: 'off' })}
    ${field('from', t.fFrom, { type: 'date' })}
    ${field('to', t.fTo, { type: 'date' })}
    <datalist id="audit-actions">
      ${KNOWN_ACTIONS.map((action) => html`<option value=${action}>${t.actions[action] || action}</option>`)}
    </datalist>
    <datalist id="audit-kinds">
      ${KNOWN_KINDS.map((kind) => html`<option value=${kind}>${t.objectKinds[kind] || kind}</option>`)}
    </datalist>
    <div class="filter-buttons">
      <button type="submit" class="btn btn-primary" data-testid="audit-apply">${t.applyFilters}</button>
      <a class="button-link" href=${auditHash({})} data-testid="audit-clear">${t.clearFilters}</a>
    </div>
  </form>`;
}

/** One entry and, when opened, the comparison of its before and after. */
function Entry({ t, lang, entry }) {
  const [open, setOpen] = useState(false);
  const hasData = entry.before != null || entry.after != null;
  const actionText = t.actions[entry.action];
  const kindText = entry.object_kind ? t.objectKinds[entry.object_kind] || entry.object_kind : '';
  const objectHref =
    entry.object_kind === 'household' && entry.object_id
      ? householdHash(entry.object_id)
      : entry.object_id
        ? auditHash({ object_kind: entry.object_kind, object: entry.object_id })
        : null;
  const diffId = `audit-diff-${entry.seq}`;
  return html`<${Fragment}>
    <tr
      data-testid="audit-row"
      data-seq=${entry.seq}
      data-action=${entry.action}
      data-actor=${entry.actor || ''}
      data-object=${entry.object_id || ''}
      class=${open ? 'is-open' : ''}
    >
      <td class="nowrap num-left" data-testid="audit-at" data-value=${entry.at}>${formatDateTime(entry.at)}</td>
      <td>
        ${entry.actor
          ? html`<a href=${auditHash({ actor: entry.actor })} data-testid="audit-actor">${entry.actor}</a>`
          : html`<span class="muted">—</span>`}
      </td>
      <td data-testid="audit-action">
        <span class=${`action-badge action-${(entry.action || '').replace(/[^a-z]/g, '-')}`}>${actionText || entry.action || ''}</span>
        ${actionText ? html`<span class="row-kind code-text">${entry.action}</span>` : null}
      </td>
      <td>
        ${kindText ? html`<span class="row-kind">${kindText}</span>` : null}
        ${objectHref
          ? html`<a href=${objectHref} data-testid="audit-object">${entry.object_id}</a>`
          : entry.object_id || ''}
      </td>
      <td class="code">${entry.unit_code || ''}</td>
      <td class="code">${entry.addr || ''}</td>
      <td>
        ${hasData
          ? html`<button
              type="button"
              class="btn btn-small"
              data-testid="audit-toggle"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls=${diffId}
              onClick=${() => setOpen(!open)}
            >
              ${open ? t.hideChanges : t.showChanges}
            </button>`
          : null}
      </td>
    </tr>
    ${open
      ? html`<tr class="diff-row" id=${diffId}>
          <td colspan="7"><${Diff} t=${t} lang=${lang} before=${entry.before} after=${entry.after} /></td>
        </tr>`
      : null}
  </${Fragment}>`;
}

/** An object's fields as dotted paths: {unit: {code: 1}} -> [["unit.code", 1]]. */
function flatten(value, prefix, out) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.set(prefix, {});
    for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix || '—', value);
  }
  return out;
}

/**
 * Rows of field, before, after, changed: the union of both sides' fields,
 * before's order first. A side that is missing (creation, deletion) is undefined.
 */
export function diffRows(before, after) {
  const left = before == null ? new Map() : flatten(before, '', new Map());
  const right = after == null ? new Map() : flatten(after, '', new Map());
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  return keys.map((key) => ({
    key,
    before: left.has(key) ? left.get(key) : undefined,
    after: right.has(key) ? right.get(key) : undefined,
    // A creation or a deletion changes every field: mark changes only between two sides.
    changed: before != null && after != null && JSON.stringify(left.get(key)) !== JSON.stringify(right.get(key)),
  }));
}

function valueText(value, t) {
  if (value === undefined) return '—';
  if (value === null || value === '') return t.emptyValue;
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function Diff({ t, before, after }) {
  const rows = diffRows(before, after);
  if (rows.length === 0) return html`<p class="muted" data-testid="audit-diff">${t.diffNone}</p>`;
  return html`<table class="diff-table" data-testid="audit-diff">
    <thead>
      <tr>
        <th scope="col">${t.diffField}</th>
        <th scope="col">${t.diffBefore}</th>
        <th scope="col">${t.diffAfter}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr
          key=${row.key}
          class=${row.changed ? 'is-changed' : ''}
          data-testid="audit-diff-row"
          data-key=${row.key}
          data-changed=${row.changed ? 'true' : 'false'}
        >
          <th scope="row">
            <code>${row.key}</code>
            ${row.changed ? html`<span class="changed-mark">${t.diffChanged}</span>` : null}
          </th>
          <td class="diff-before" data-testid="audit-diff-before">${valueText(row.before, t)}</td>
          <td class="diff-after" data-testid="audit-diff-after">${valueText(row.after, t)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Pager({ t, lang, route, total }) {
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const from = total === 0 ? 0 : (route.page - 1) * AUDIT_PAGE_SIZE + 1;
  const to = Math.min(total, route.page * AUDIT_PAGE_SIZE);
  const link = (target, label, testId, rel) =>
    target >= 1 && target <= pages && target !== route.page
      ? html`<a class="pager-link" href=${auditHash({ ...route, page: target })} rel=${rel} data-testid=${testId}>${label}</a>`
      : html`<span class="pager-link is-disabled" aria-disabled="true" data-testid=${testId}>${label}</span>`;
  return html`<nav class="pager" aria-label=${t.pagesLabel}>
    ${link(route.page - 1, `← ${t.prevPage}`, 'audit-prev', 'prev')}
    <span class="pager-info" data-testid="audit-page-info">
      ${fill(t.pageInfo, { from: formatCount(from, lang), to: formatCount(to, lang), total: formatCount(total, lang) })}
      ${' · '}${fill(t.pageOf, { page: formatCount(Math.min(route.page, pages), lang), pages: formatCount(pages, lang) })}
    </span>
    ${link(route.page + 1, `${t.nextPage} →`, 'audit-next', 'next')}
  </nav>`;
}
