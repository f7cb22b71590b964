// The page state lives in the URL hash so links, reloads and back/forward work:
//   #/?d=2024-06-30        the top-level units on that date
//   #/u/31?d=2024-06-30    unit 31 and its sub-units on that date
import { isIsoDate } from './format.js';

/** Parse a location hash into { code, date }; missing or malformed parts are null. */
export function parseHash(hash) {
  const text = (hash || '').replace(/^#/, '');
  const queryAt = text.indexOf('?');
  const path = queryAt < 0 ? text : text.slice(0, queryAt);
  const params = new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1));
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
  const path = code ? `#/u/${encodeURIComponent(code)}` : '#/';
  return date ? `${path}?d=${date}` : path;
}
