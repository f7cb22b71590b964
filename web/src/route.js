// The page state lives in the URL hash so links, reloads and back/forward work:
//   #/  #/?year=2025&unit=12060&title=T&targets=qd-387&basis=decision
//                          the home page: the dashboard (Tổng quan) of a unit in a year
//   #/viec-can-lam?year=2025                            what waits for the user (Việc cần làm)
//   #/dia-ban?d=2024-06-30 the top-level units on that date (#/?d=… too, as before)
//   #/u/31?d=2024-06-30    unit 31 and its sub-units on that date
//   #/danh-gia?year=2025&unit=31                        the evaluation of unit 31 in 2025
//   #/danh-gia?year=2025&unit=12060&title=T&recognised=yes&page=2&entity=HH0011392
//                          the results of title T in that unit, and one entity's explanation
//                          (also &registered=yes|no and &decided=yes|no, from the dashboard)
//   #/tai-khoan            the user's own account
//   #/quan-tri             users (users.manage)
//   #/nhat-ky?actor=NAME&action=A&object_kind=K&object=ID&entity=CODE&unit=U&from=D&to=D&page=2
//                          the audit log, filtered (audit.read)
//   #/ho/HH0011392?year=2025                             one household in a year
//   #/nhap-lieu?unit=12060&year=2025&kind=assessments&title=T
//                          importing a file into that unit (registry.write / records.write)
//   #/ho-so?title=T&year=2025&stage=submitted&unit=12060&page=2
//                          the records of a title at one stage of the workflow (stage list)
//   #/ho-so/T/2025/HH0011392                             one record: data entry and its workflow
//   #/cai-dat              the workflow settings (criteria.manage)
//   #/bao-cao?year=2025&unit=31&targets=qd-387&basis=decision&decision=ID
//                          the reports, downloaded as .xlsx or .pdf (reports.js)
//   #/quy  #/quy/KH-31     the study-promotion funds; one fund's books (funds.read)
//   #/dang-ky/ho?unit=12060&year=2025                  registering a household (registry.write)
//   #/dang-ky/ho/HH0011392?year=2025                   changing it; likewise dong-ho (clans)
//                          and don-vi (learning units)
import { isIsoDate } from './format.js';

export const EVAL_PATH = '/danh-gia';
// The years the evaluation page offers; the first and the last cycles the demo covers.
export const EVAL_YEARS = [2022, 2023, 2024, 2025];
export const DEFAULT_EVAL_YEAR = 2025;

/** The path and the query parameters of a hash. */
function splitHash(hash) {
  const text = (hash || '').replace(/^#/, '');
  const queryAt = text.indexOf('?');
  return {
    path: queryAt < 0 ? text : text.slice(0, queryAt),
    params: new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1)),
  };
}

export const ACCOUNT_PATH = '/tai-khoan';
export const ADMIN_PATH = '/quan-tri';
export const AUDIT_PATH = '/nhat-ky';
export const IMPORT_PATH = '/nhap-lieu';
export const UNITS_PATH = '/dia-ban';
export const STAGES_PATH = '/ho-so';
export const SETTINGS_PATH = '/cai-dat';
export const REPORTS_PATH = '/bao-cao';
export const TASKS_PATH = '/viec-can-lam';
const HOUSEHOLD_PATH = /^\/ho\/([^/?]+)\/?$/;
const RECORD_PATH = /^\/ho-so\/([^/?]+)\/(\d{4})\/([^/?]+)\/?$/;
// The registry forms: the form's path segment and, for a change, the code.
const REGFORM_PATH = /^\/dang-ky\/(ho|dong-ho|don-vi)(?:\/([^/?]+))?\/?$/;
const REGFORM_SEGMENTS = { ho: 'household', 'dong-ho': 'clan', 'don-vi': 'unit' };

const PAGES = {
  '/quy': 'funds',
  [EVAL_PATH]: 'evaluation',
  [ACCOUNT_PATH]: 'account',
  [ADMIN_PATH]: 'admin',
  [AUDIT_PATH]: 'audit',
  [IMPORT_PATH]: 'import',
  [UNITS_PATH]: 'hierarchy',
  [STAGES_PATH]: 'stages',
  [SETTINGS_PATH]: 'settings',
  [REPORTS_PATH]: 'reports',
  [TASKS_PATH]: 'tasks',
};

/**
 * Which page a hash shows: 'dashboard' (the home page: '#/' without a date),
 * 'tasks', 'evaluation', 'account', 'admin', 'audit', 'import', 'household', 'regform',
 * 'stages', 'record', 'settings' or 'hierarchy' (units, and everything else).
 */
export function pageOf(hash) {
  const { path, params } = splitHash(hash);
  const bare = path.length > 1 ? path.replace(/\/$/, '') : path;
  if (PAGES[bare]) return PAGES[bare];
  if (HOUSEHOLD_PATH.test(path)) return 'household';
  if (REGFORM_PATH.test(path)) return 'regform';
  if (RECORD_PATH.test(path)) return 'record';
  if (/^\/quy\/[^/?]+\/?$/.test(path)) return 'funds';
  // The home page; '#/?d=DATE' stays the hierarchy on that date (older links).
  if ((bare === '' || bare === '/') && !params.has('d')) return 'dashboard';
  return 'hierarchy';
}

/** Parse a location hash into { code, date }; missing or malformed parts are null. */
export function parseHash(hash) {
  const { path, params } = splitHash(hash);
  let code = null;
  const match = /^\/u\/([^/]+)\/?$/.exec(path);
  if (match) {
    try {
      code = decodeURIComponent(match[1]);
    } catch {
      code = null;
    }
  }
  const date = params.get('d');
  return { code, date: isIsoDate(date) ? date : null };
}

/** The hash for a unit (or the top level when code is null) on a date. */
export function unitHash(code, date) {
  const path = code ? `#/u/${encodeURIComponent(code)}` : `#${UNITS_PATH}`;
  return date ? `${path}?d=${date}` : path;
}

const nonEmpty = (value) => (value && value.trim() ? value.trim() : null);

/** The yes/no filters of a results list: meets the criteria, registered, recognised by a decision. */
export const RESULT_FILTERS = ['recognised', 'registered', 'decided'];

/**
 * Parse an evaluation hash into { year, unit, title, recognised, registered,
 * decided, page, entity }. year is null when missing or not one of EVAL_YEARS;
 * unit, title and entity are null when missing; each filter is 'yes', 'no' or
 * null; page is 1 or more.
 */
export function parseEvalHash(hash) {
  const { params } = splitHash(hash);
  const yearText = params.get('year');
  const year = /^\d{4}$/.test(yearText || '') && EVAL_YEARS.includes(Number(yearText)) ? Number(yearText) : null;
  const title = nonEmpty(params.get('title'));
  const filter = (name) => {
    const value = params.get(name);
    return title && (value === 'yes' || value === 'no') ? value : null;
  };
  const pageText = params.get('page');
  const page = /^[1-9]\d{0,5}$/.test(pageText || '') ? Number(pageText) : 1;
  return {
    year,
    unit: nonEmpty(params.get('unit')),
    title,
    // The list's filters, page and entity only mean something with a title.
    recognised: filter('recognised'),
    registered: filter('registered'),
    decided: filter('decided'),
    page: title ? page : 1,
    entity: title ? nonEmpty(params.get('entity')) : null,
  };
}

/** The hash of an evaluation view; parameters that are null (or page 1) are left out. */
export function evalHash({ year, unit = null, title = null, page = 1, entity = null, ...filters }) {
  const params = new URLSearchParams();
  if (year) params.set('year', String(year));
  if (unit) params.set('unit', unit);
  if (title) {
    params.set('title', title);
    for (const name of RESULT_FILTERS) if (filters[name]) params.set(name, filters[name]);
    if (page > 1) params.set('page', String(page));
    if (entity) params.set('entity', entity);
  }
  const query = params.toString();
  return `#${EVAL_PATH}${query ? `?${query}` : ''}`;
}

/** The filters of the audit page, all optional (null when missing). */
export const AUDIT_FILTERS = ['actor', 'action', 'object_kind', 'object', 'entity', 'unit', 'from', 'to'];

/** Parse an audit hash into { actor, action, object_kind, object, unit, from, to, page }. */
export function parseAuditHash(hash) {
  const { params } = splitHash(hash);
  const filters = {};
  for (const name of AUDIT_FILTERS) filters[name] = nonEmpty(params.get(name));
  for (const name of ['from', 'to']) if (filters[name] && !isIsoDate(filters[name])) filters[name] = null;
  const pageText = params.get('page');
  filters.page = /^[1-9]\d{0,5}$/.test(pageText || '') ? Number(pageText) : 1;
  return filters;
}

/** The hash of an audit view; empty filters and page 1 are left out. */
export function auditHash(filters = {}) {
  const params = new URLSearchParams();
  for (const name of AUDIT_FILTERS) if (filters[name]) params.set(name, filters[name]);
  if (filters.page > 1) params.set('page', String(filters.page));
  const query = params.toString();
  return `#${AUDIT_PATH}${query ? `?${query}` : ''}`;
}

/** Parse a household hash into { code, year }; year is null when missing or not a year. */
export function parseHouseholdHash(hash) {
  const { path, params } = splitHash(hash);
  const match = HOUSEHOLD_PATH.exec(path);
  let code = null;
  if (match) {
    try {
      code = decodeURIComponent(match[1]);
    } catch {
      code = null;
    }
  }
  const yearText = params.get('year');
  return { code, year: /^\d{4}$/.test(yearText || '') ? Number(yearText) : null };
}

/** The hash of a household in a year (the default year when null). */
export function householdHash(code, year = null) {
  return `#/ho/${encodeURIComponent(code)}${year ? `?year=${year}` : ''}`;
}

/** The import page's state: { unit, year, kind, title } (null when absent or malformed). */
export function parseImportHash(hash) {
  const { params } = splitHash(hash);
  const year = Number(params.get('year'));
  return {
    unit: params.get('unit') || null,
    year: Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : null,
    kind: params.get('kind') || null,
    title: params.get('title') || null,
  };
}

/** The hash of the import page. */
export function importHash({ unit = null, year = null, kind = null, title = null } = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ unit, year, kind, title })) {
    if (value != null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return `#${IMPORT_PATH}${text ? `?${text}` : ''}`;
}

/** The tasks page's state: { year } (null when absent or not a year). */
export function parseTasksHash(hash) {
  const { params } = splitHash(hash);
  const text = params.get('year');
  return { year: /^\d{4}$/.test(text || '') ? Number(text) : null };
}

/** The hash of the tasks page in a year (the default year when null). */
export function tasksHash(year = null) {
  return `#${TASKS_PATH}${year ? `?year=${year}` : ''}`;
}

/** The dashboard's bases: meets the criteria (the live evaluation), or recognised by a decision. */
export const DASH_BASES = ['evaluation', 'decision'];
const DASH_KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * The dashboard's state (the home page): { year, unit, title, targets, basis }.
 * year is null when missing or not one of EVAL_YEARS; unit, title and targets
 * (a target set's key) null when missing; basis 'evaluation' unless 'decision'.
 */
export function parseDashHash(hash) {
  const { params } = splitHash(hash);
  const yearText = params.get('year');
  const targets = nonEmpty(params.get('targets'));
  return {
    year: /^\d{4}$/.test(yearText || '') && EVAL_YEARS.includes(Number(yearText)) ? Number(yearText) : null,
    unit: nonEmpty(params.get('unit')),
    title: nonEmpty(params.get('title')),
    targets: targets && DASH_KEY.test(targets) ? targets : null,
    basis: params.get('basis') === 'decision' ? 'decision' : 'evaluation',
  };
}

/** The hash of a dashboard view; null parameters and the default basis are left out. */
export function dashHash({ year = null, unit = null, title = null, targets = null, basis = 'evaluation' } = {}) {
  const params = new URLSearchParams();
  if (year) params.set('year', String(year));
  if (unit) params.set('unit', unit);
  if (title) params.set('title', title);
  if (targets) params.set('targets', targets);
  if (basis === 'decision') params.set('basis', basis);
  const text = params.toString();
  return `#/${text ? `?${text}` : ''}`;
}

/** The workflow stages in their order (docs/workflow.md). */
export const STAGES = ['open', 'returned', 'submitted', 'accepted', 'recognised', 'not-recognised'];

/**
 * A stage list's state: { title, year, stage, unit, page }; title, stage and
 * unit are null when missing (stage also when unknown), year null when not a
 * year, page 1 or more.
 */
export function parseStagesHash(hash) {
  const { params } = splitHash(hash);
  const yearText = params.get('year');
  const stage = params.get('stage');
  const pageText = params.get('page');
  return {
    title: nonEmpty(params.get('title')),
    year: /^\d{4}$/.test(yearText || '') ? Number(yearText) : null,
    stage: STAGES.includes(stage) ? stage : null,
    unit: nonEmpty(params.get('unit')),
    page: /^[1-9]\d{0,5}$/.test(pageText || '') ? Number(pageText) : 1,
  };
}

/** The hash of a stage list; null parameters and page 1 are left out. */
export function stagesHash({ title = null, year = null, stage = null, unit = null, page = 1 } = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ title, year, stage, unit })) {
    if (value != null && value !== '') params.set(key, String(value));
  }
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return `#${STAGES_PATH}${text ? `?${text}` : ''}`;
}

/** A record's hash: its title key, year and the entity's code (P<id> for a person). */
export function recordHash(title, year, code) {
  return `#${STAGES_PATH}/${encodeURIComponent(title)}/${year}/${encodeURIComponent(code)}`;
}

/** Parse a record hash into { title, year, code } (all null when it is not one). */
export function parseRecordHash(hash) {
  const { path } = splitHash(hash);
  const match = RECORD_PATH.exec(path);
  if (!match) return { title: null, year: null, code: null };
  try {
    return { title: decodeURIComponent(match[1]), year: Number(match[2]), code: decodeURIComponent(match[3]) };
  } catch {
    return { title: null, year: null, code: null };
  }
}

/**
 * A registry form's hash: { form: 'household' | 'clan' | 'unit', code (a change;
 * null for a new one), unit (where a new one goes, or null), year (or null), saved }.
 */
export function parseRegformHash(hash) {
  const { path, params } = splitHash(hash);
  const match = REGFORM_PATH.exec(path);
  let code = null;
  if (match && match[2]) {
    try {
      code = decodeURIComponent(match[2]);
    } catch {
      code = null;
    }
  }
  const yearText = params.get('year');
  return {
    form: match ? REGFORM_SEGMENTS[match[1]] : 'household',
    code,
    unit: nonEmpty(params.get('unit')),
    year: /^\d{4}$/.test(yearText || '') ? Number(yearText) : null,
    saved: params.get('saved') === '1',
  };
}

/** The hash of a registry form (see parseRegformHash). */
export function regformHash({ form = 'household', code = null, unit = null, year = null, saved = false } = {}) {
  const segment = Object.keys(REGFORM_SEGMENTS).find((key) => REGFORM_SEGMENTS[key] === form) || 'ho';
  const params = new URLSearchParams();
  if (unit) params.set('unit', unit);
  if (year) params.set('year', String(year));
  if (saved) params.set('saved', '1');
  const text = params.toString();
  return `#/dang-ky/${segment}${code ? `/${encodeURIComponent(code)}` : ''}${text ? `?${text}` : ''}`;
}
