// Formatting of numbers and dates for display, and ISO date arithmetic.
// Done by hand rather than with Intl so the output does not depend on the
// browser's locale data: Vietnamese groups thousands with '.', English with ','.

/** 12345 -> "12.345" (vi) or "12,345" (en). Non-numbers become an en dash. */
export function formatCount(value, lang) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const separator = lang === 'en' ? ',' : '.';
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text) {
  const match = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "2024-06-30" -> "30/06/2024"; anything else is returned unchanged. */
export function formatDate(iso) {
  const match = typeof iso === 'string' ? ISO_DATE.exec(iso) : null;
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso || '';
}

/** ISO date plus `days` (may be negative), in UTC so no time zone shifts the day. */
export function addDays(iso, days) {
  const match = ISO_DATE.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days));
  return date.toISOString().slice(0, 10);
}

/** The browser's own date, used only when the server's `today` is unknown. */
export function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A fraction as a percentage with at most one decimal, the decimal mark of the
 * language: 0.1234 -> "12,3%" (vi) or "12.3%" (en); 0.7 -> "70%". null -> en dash.
 */
export function formatPercent(fraction, lang) {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction)) return '–';
  const tenths = Math.round(fraction * 1000);
  const sign = tenths < 0 ? '-' : '';
  const whole = formatCount(Math.trunc(Math.abs(tenths) / 10), lang);
  const decimal = Math.abs(tenths) % 10;
  const mark = lang === 'en' ? '.' : ',';
  return `${sign}${whole}${decimal ? mark + decimal : ''}%`;
}

/** A number of points as shown: integers plain, others with one decimal in the language's mark. */
export function formatPoints(value, lang) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return formatCount(value, lang);
  const text = (Math.round(value * 10) / 10).toFixed(1);
  return lang === 'en' ? text : text.replace('.', ',');
}

// Vietnam keeps UTC+7 all year (no daylight saving): times are shown in it
// whatever the browser's zone, so officers and logs agree.
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/**
 * An ISO 8601 instant ("2025-03-01T02:04:05Z") as Vietnam time
 * "01/03/2025 09:04:05"; null or unreadable -> ''.
 */
export function formatDateTime(iso) {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return '';
  const local = new Date(ms + VIETNAM_OFFSET_MS);
  const pad = (n) => String(n).padStart(2, '0');
  return (
    `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}

/** A wait in seconds as words: 45 -> "45 giây", 125 -> "2 phút 5 giây" (t: the language's texts). */
export function formatWait(seconds, t) {
  const total = Math.max(0, Math.ceil(Number(seconds) || 0));
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  const parts = [];
  if (minutes) parts.push(t.durationMinutes.replace('{n}', String(minutes)));
  if (rest || !minutes) parts.push(t.durationSeconds.replace('{n}', String(rest)));
  return parts.join(' ');
}

// Vietnamese order for lists sorted in the browser: the rule of the server's
// vt_sort_key (docs/architecture.md, "Sorting"), so a table sorted here and a
// list sorted by the API agree. Letters in the Vietnamese alphabet order
// (a ă â … d đ … o ô ơ … u ư …), case ignored; tones (ngang, huyền, hỏi, ngã,
// sắc, nặng) decide only between words of the same letters; numbers compare as
// numbers ("Tổ 2" before "Tổ 10"); words compare one by one, so "An Bình"
// comes before "Anh". Intl.Collator('vi') alone compares the tones of the whole
// text after its letters, hence the split into words.
const VI_COLLATOR = new Intl.Collator('vi', { sensitivity: 'accent', numeric: true });
const WORD_BREAK = /[^\p{L}\p{M}\p{N}]+/u;

function viWords(text) {
  return String(text ?? '')
    .normalize('NFC')
    .split(WORD_BREAK)
    .filter((word) => word !== '');
}

function compareWords(x, y) {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i += 1) {
    const c = VI_COLLATOR.compare(x[i], y[i]);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

/** Compares two texts in Vietnamese order (for Array.prototype.sort): names of units, clans, organisations. */
export function compareVi(a, b) {
  return compareWords(viWords(a), viWords(b));
}

/**
 * Compares two names of persons as official lists do: the given name (the last
 * word) first, then the whole name ("Nguyễn Văn An" before "Trần Thị Bình").
 */
export function comparePersonNames(a, b) {
  const x = viWords(a);
  const y = viWords(b);
  return compareWords(x.slice(-1), y.slice(-1)) || compareWords(x, y);
}
