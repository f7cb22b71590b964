// The JSON API of the C server (same origin; see docs/ for the contract).
// Every call resolves to the parsed body or rejects with an ApiError that
// carries the server's error object, so the page can show message_vi/message.

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {object|null} error the `error` object of the response body, if any
   */
  constructor(status, error) {
    super((error && error.message) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = (error && error.code) || (status === 0 ? 'network' : 'http');
    this.messageEn = (error && error.message) || null;
    this.messageVi = (error && error.message_vi) || null;
    this.parameter = (error && error.parameter) || null;
  }
}

// Relative to the page, so the front end also works when served under a prefix.
const BASE = 'api/v1/';

async function getJson(path) {
  let response;
  try {
    response = await fetch(BASE + path, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, null);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok || body === null || typeof body !== 'object') {
    throw new ApiError(response.status, body && typeof body === 'object' ? body.error : null);
  }
  return body;
}

const query = (params) =>
  new URLSearchParams(Object.entries(params).filter(([, value]) => value != null)).toString();

export const api = {
  meta: () => getJson('meta'),
  /** Top-level units on `date`, or the children of `parent`. */
  units: (date, parent) => getJson(`units?${query({ date, parent })}`),
  unit: (code, date) => getJson(`units/${encodeURIComponent(code)}?${query({ date })}`),
  history: (code) => getJson(`units/${encodeURIComponent(code)}/history`),
  /** A unit's title counts, rates and targets in `year`, and its children's (unit null: the server's default). */
  evaluation: (year, unit) => getJson(`evaluation?${query({ year, unit })}`),
  /** One page of the entities of `title` below `unit`; `recognised` is 'yes', 'no' or null (all). */
  results: ({ year, title, unit, offset, limit, recognised }) =>
    getJson(`results?${query({ year, title, unit, offset, limit, recognised })}`),
  /** Why `code` has its result for `title`, item by item, with texts in `lang`. */
  explain: ({ year, title, code, lang }) => getJson(`explain?${query({ year, title, code, lang })}`),
};
