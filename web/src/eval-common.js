// Small pieces the evaluation views share: whether a rate meets its target, and
// how that is shown (a sign and words, not colour alone).
import { html } from './html.js';

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * 'meets' when the rate reaches the target, 'misses' when it does not, 'empty'
 * when there is no rate (nobody eligible), 'none' when there is no target.
 * `row` has rate and target.
 */
export function targetStatus(row) {
  if (!row || !isNumber(row.rate)) return 'empty';
  if (!isNumber(row.target)) return 'none';
  // Rates come rounded to 6 decimals: allow for that when the rate equals the target.
  return row.rate + 1e-9 >= row.target ? 'meets' : 'misses';
}

const SIGNS = { meets: '✓', misses: '✗', none: '○', empty: '–' };
const WORDS = { meets: 'meets', misses: 'misses', none: 'noTargetShort', empty: 'noEligibleShort' };

/** ✓ / ✗ / – with the words for screen readers (or shown, with `showText`). */
export function StatusSign({ t, status, showText = false }) {
  return html`<span class=${`status-sign ${status}`}>
    <span aria-hidden="true">${SIGNS[status]}</span>
    <span class=${showText ? '' : 'visually-hidden'}>${t[WORDS[status]]}</span>
  </span>`;
}

/** The kind of entity a title is given to, as words ("Hộ gia đình"). */
export function entityWord(t, entity) {
  return (t.entityWords && t.entityWords[entity]) || entity || '';
}

export { isNumber };
