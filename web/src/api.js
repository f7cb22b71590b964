// The JSON API of the C server (same origin; see docs/ for the contract).
// Every call resolves to the parsed body or rejects with an ApiError that
// carries the server's error object, so the page can show message_vi/message.
//
// The session is a cookie the browser keeps (HttpOnly: this code never sees
// it). State-changing requests also send the CSRF token that came with the
// login or GET /session; it is kept here, in module state, for the page's life.
// A 401 from any call means the session is gone (expired, logged out elsewhere,
// password changed elsewhere): the handler set by the root shows the login page.

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {object|null} error the `error` object of the response body, if any
   * @param {number|null} retryAfter seconds from the Retry-After header, if any
   */
  constructor(status, error, retryAfter = null, body = null) {
    super((error && error.message) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = (error && error.code) || (status === 0 ? 'network' : 'http');
    this.messageEn = (error && error.message) || null;
    this.messageVi = (error && error.message_vi) || null;
    this.parameter = (error && error.parameter) || null;
    // Seconds to wait after 429 `throttled`: the body's retry_after, else the header's.
    const fromBody = error && Number.isFinite(error.retry_after) ? error.retry_after : null;
    this.retryAfter = fromBody ?? retryAfter;
    // The whole answer: a form's 422 lists its problems beside the error.
    this.body = body;
    // Those problems, [{field, msg_en, msg_vi, line?}] (the workflow's pages use them).
    this.problems = body && Array.isArray(body.problems) ? body.problems : [];
  }
}

// Relative to the page, so the front end also works when served under a prefix.
const BASE = 'api/v1/';

let csrfToken = null;
let sessionLostHandler = null;

/** Keep the CSRF token of the current session (null after logout). */
export function setCsrf(token) {
  csrfToken = typeof token === 'string' && token ? token : null;
}

/**
 * `handler(code)` is called when a request finds the session gone (code
 * 'unauthenticated', HTTP 401) or the password must be changed first
 * ('password_change_required', HTTP 403). The root sets it once.
 */
export function onSessionLost(handler) {
  sessionLostHandler = handler;
}

/**
 * One request. `auth` marks the calls that are about the session itself (login,
 * GET /session): their 401 is an answer for the caller, not a lost session.
 */
async function request(method, path, { body, auth = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  let parsed = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  if (!response.ok || parsed === null || typeof parsed !== 'object') {
    const header = Number(response.headers.get('Retry-After'));
    const error = new ApiError(
      response.status,
      parsed && typeof parsed === 'object' ? parsed.error : null,
      Number.isFinite(header) && header > 0 ? header : null,
      parsed && typeof parsed === 'object' ? parsed : null,
    );
    if (!auth && sessionLostHandler) {
      if (error.status === 401) sessionLostHandler('unauthenticated');
      else if (error.status === 403 && error.code === 'password_change_required') {
        sessionLostHandler('password_change_required');
      }
    }
    throw error;
  }
  return parsed;
}

const getJson = (path, options) => request('GET', path, options);
/** POST `body` (an object, or nothing) as JSON. */
export const post = (path, body = {}, options) => request('POST', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);
/** PUT `body` as JSON. */
export const put = (path, body = {}, options) => request('PUT', path, { ...options, body });

const query = (params) =>
  new URLSearchParams(Object.entries(params).filter(([, value]) => value != null && value !== '')).toString();

const seg = encodeURIComponent;

export const api = {
  meta: () => getJson('meta'),
  /** Top-level units on `date`, or the children of `parent`. */
  units: (date, parent) => getJson(`units?${query({ date, parent })}`),
  unit: (code, date) => getJson(`units/${seg(code)}?${query({ date })}`),
  history: (code) => getJson(`units/${seg(code)}/history`),
  /** A unit's title counts, rates and targets in `year`, and its children's (unit null: the server's default). */
  evaluation: (year, unit) => getJson(`evaluation?${query({ year, unit })}`),
  /**
   * One page of the entities of `title` below `unit`; each filter (`recognised`:
   * meets the criteria, `registered`, `decided`: recognised by a decision) is
   * 'yes', 'no' or null (all).
   */
  results: ({ year, title, unit, offset, limit, recognised, registered, decided }) =>
    getJson(`results?${query({ year, title, unit, offset, limit, recognised, registered, decided })}`),
  /** The dashboard of `unit` (null: the user's) in `year` against `targets` (null: the applicable set), on `basis`. */
  dashboard: ({ year, unit, targets, basis }) => getJson(`dashboard?${query({ year, unit, targets, basis })}`),
  /** The programme target sets in force and a province's imported files. */
  targets: () => getJson('targets'),
  /** Why `code` has its result for `title`, item by item, with texts in `lang`. */
  explain: ({ year, title, code, lang }) => getJson(`explain?${query({ year, title, code, lang })}`),

  // The session: {user, csrf}. 401 from these two is an answer, not a lost session.
  session: () => getJson('session', { auth: true }),
  login: (username, password) => post('session', { username, password }, { auth: true }),
  logout: () => del('session', { auth: true }),
  changePassword: (currentPassword, newPassword) =>
    post('session/password', { current_password: currentPassword, new_password: newPassword }),
  logoutAll: () => post('session/logout-all'),
  token: () => getJson('me/token'),
  createToken: () => post('me/token'),
  deleteToken: () => del('me/token'),

  // Users and roles (users.manage).
  roles: () => getJson('roles'),
  users: ({ q, unit } = {}) => getJson(`users?${query({ q, unit })}`),
  createUser: ({ username, fullName, role, unit }) =>
    post('users', { username, full_name: fullName, role, unit }),
  disableUser: (id) => post(`users/${seg(id)}/disable`),
  enableUser: (id) => post(`users/${seg(id)}/enable`),
  resetPassword: (id) => post(`users/${seg(id)}/reset-password`),

  /** One page of the audit log (audit.read); `filters` as in GET /audit. */
  audit: (filters) => getJson(`audit?${query(filters)}`),

  // The registry (registry.read), scoped by the user's unit.
  household: (code, year) => getJson(`households/${seg(code)}?${query({ year })}`),
  search: ({ q, year, limit }) => getJson(`search?${query({ q, year, limit })}`),
  clan: (code, year) => getJson(`clans/${seg(code)}?${query({ year })}`),
  org: (code, year) => getJson(`organisations/${seg(code)}?${query({ year })}`),
  /** The clans based in `unit`'s villages; the learning units it manages in `year`. */
  clans: (unit, year) => getJson(`clans?${query({ unit, year })}`),
  orgs: (unit, year) => getJson(`organisations?${query({ unit, year })}`),

  // The registry forms (registry.write): a new object (code null) or a change.
  // A 422 rejects with an ApiError whose body lists the problems by field.
  saveHousehold: (code, body) =>
    code ? put(`households/${seg(code)}?${query({ year: body.year })}`, body) : post('households', body),
  saveClan: (code, body) =>
    code ? put(`clans/${seg(code)}?${query({ year: body.year })}`, body) : post('clans', body),
  saveOrg: (code, body) =>
    code ? put(`organisations/${seg(code)}?${query({ year: body.year })}`, body) : post('organisations', body),

  // The yearly workflow (docs/workflow.md). A record is named by {title, year, code}.
  tasks: (year) => getJson(`tasks?${query({ year })}`),
  /** One page (200 rows) of the records of `title` at `stage` at or below `unit`. */
  stageRecords: ({ title, year, stage, unit, page }) =>
    getJson(`workflow/records?${query({ title, year, stage, unit, page })}`),
  record: ({ title, year, code, lang }) => getJson(`record?${query({ title, year, code, lang })}`),
  /** Save registration, form group and values; 422 carries `problems` (ApiError.problems). */
  saveRecord: ({ title, year, code, lang }, body) => put(`record?${query({ title, year, code, lang })}`, body),
  /** The results the unsaved `body` would give: {results, problems}; nothing is saved. */
  previewRecord: ({ title, year, code, lang }, body) =>
    post(`record/preview?${query({ title, year, code, lang })}`, body),
  /** A step of the workflow: 'submit', 'accept', 'return' or 'unlock' (body {comment} or {reason}). */
  recordStep: (step, { title, year, code, lang }, body = {}) =>
    post(`record/${seg(step)}?${query({ title, year, code, lang })}`, body),
  createDecision: (body) => post('decisions', body),
  decision: (id) => getJson(`decisions/${seg(id)}`),
  /** The recognition decisions of `year` in the user's area, newest first. */
  decisions: (year) => getJson(`decisions?${query({ year })}`),
  workflowSettings: () => getJson('settings/workflow'),
  saveWorkflowSettings: (text) => put('settings/workflow', { text }),
  resetWorkflowSettings: () => del('settings/workflow'),
  certificateSettings: () => getJson('settings/certificate'),
  /** The changed fields of the certificate template: {key: value}. */
  saveCertificateSettings: (values) => put('settings/certificate', { values }),
  resetCertificateSettings: () => del('settings/certificate'),
  // Study-promotion funds (docs/funds.md): amounts are whole đồng, ids are strings.
  funds: () => getJson('funds'),
  createFund: (body) => post('funds', body),
  fund: (code, from, to) => getJson(`funds/${seg(code)}?${query({ from, to })}`),
  postFundEntry: (code, body) => post(`funds/${seg(code)}/entries`, body),
  reverseFundEntry: (id, body) => post(`fund-entries/${seg(id)}/reverse`, body),
  closeFund: (code, through) => post(`funds/${seg(code)}/close`, { through }),
  fundSettings: (code, body) => put(`funds/${seg(code)}/settings`, body),
  fundDonors: (q) => getJson(`fund-donors?${query({ q })}`),
  addFundDonor: (body) => post('fund-donors', body),
  fundBeneficiaries: (q) => getJson(`fund-beneficiaries?${query({ q })}`),
  addFundBeneficiary: (body) => post('fund-beneficiaries', body),
  fundBeneficiary: (id) => getJson(`fund-beneficiaries/${seg(id)}`),
  fundProgrammes: (code) => getJson(`funds/${seg(code)}/programmes`),
  createFundProgramme: (code, body) => post(`funds/${seg(code)}/programmes`, body),
  runFundProgramme: (code, id, year) => post(`funds/${seg(code)}/programmes/${seg(id)}/run`, { year }),
  fundBatch: (id) => getJson(`fund-batches/${seg(id)}`),
  approveFundBatch: (id, body) => post(`fund-batches/${seg(id)}/approve`, body),
  payFundBatch: (id, body) => post(`fund-batches/${seg(id)}/pay`, body),
  /** The target sets in force ({sets, imported}); import or remove a province's file. */
  targets: () => getJson('targets'),
  saveTargets: (name, text) => put(`targets/${seg(name)}`, { text }),
  removeTargets: (name) => del(`targets/${seg(name)}`),
};

/**
 * Upload `file` to import it as `kind` (POST /imports/registry/KIND or
 * /imports/assessments) with the query `params`. XMLHttpRequest, not fetch:
 * it reports the upload's progress (onProgress(sent, total)). Resolves to
 * {status, body} for 200 (imported, or a clean dry run) and 422 (the
 * problems); with `blob`, body is the answer as a Blob (the errors workbook).
 * Other answers reject with an ApiError.
 */
export function uploadFile(kind, file, params, { onProgress, blob = false } = {}) {
  const path = kind === 'assessments' ? 'imports/assessments' : `imports/registry/${seg(kind)}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${BASE}${path}?${query(params)}`);
    xhr.responseType = blob ? 'blob' : 'text';
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = async () => {
      const ok = xhr.status === 200 || xhr.status === 422;
      let parsed = null;
      if (blob && xhr.status === 200) return resolve({ status: 200, body: xhr.response });
      try {
        const text = blob ? await xhr.response.text() : xhr.responseText;
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      if (ok && parsed && typeof parsed === 'object' && !parsed.error) return resolve({ status: xhr.status, body: parsed });
      const error = new ApiError(xhr.status, parsed && parsed.error ? parsed.error : null);
      if (error.status === 401 && sessionLostHandler) sessionLostHandler('unauthenticated');
      reject(error);
    };
    xhr.send(file);
  });
}

/**
 * Attach `file` (or only a note when file is null) as evidence of item `item`
 * of a record: POST /evidence with the file itself as the body, the note and
 * the file's name in the query. XMLHttpRequest for the upload's progress
 * (onProgress(sent, total)). Resolves to the record (201); rejects with an
 * ApiError (422 for a refused file, 413 for one too large, 409 when the record
 * may no longer change).
 */
export function uploadEvidence({ title, year, code, item, note, lang }, file, { onProgress } = {}) {
  const params = { title, year, code, item, note, lang, name: file ? file.name : null };
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${BASE}evidence?${query(params)}`);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    if (onProgress && file) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    }
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = () => {
      let parsed = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed && typeof parsed === 'object') return resolve(parsed);
      const error = new ApiError(xhr.status, parsed && parsed.error ? parsed.error : null, null, parsed);
      if (error.status === 401 && sessionLostHandler) sessionLostHandler('unauthenticated');
      reject(error);
    };
    xhr.send(file || '');
  });
}
