// The search box of the top bar: households, persons, clans, organisations and
// administrative units by name or code (GET /api/v1/search; diacritics and case
// ignored by the server, which only answers with rows inside the user's area,
// each group in Vietnamese order). A household or person opens the household
// page; a unit opens its page; a clan or organisation opens the page of the
// unit it belongs to. Households, persons, clans and organisations also link
// to their record of the search year (the title of their kind, record-common.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { fill } from './i18n.js';
import { DEFAULT_EVAL_YEAR, householdHash, recordHash, unitHash } from './route.js';
import { ENTITY_TITLES } from './record-common.js';
import { can, useSession } from './session.js';
import { errorText } from './shell.js';

const MIN_CHARS = 2;
const TYPING_PAUSE_MS = 250;
const LIMIT = 8;
// The registry year searched and opened: the latest year of the demo cycles.
export const SEARCH_YEAR = DEFAULT_EVAL_YEAR;

// The hierarchy on which units, clans and organisations are shown: the end of the search year.
const SEARCH_DATE = `${SEARCH_YEAR}-12-31`;

const IDLE = { state: 'idle', q: '', data: null, error: null };

const listOf = (data, key) => (data && Array.isArray(data[key]) ? data[key] : []);
const withPlace = (code, place) => (place && place.name ? `${code} · ${place.name}` : code);

/** The result groups in the order shown: heading, items, and how one item reads and links. */
function groupsOf(data, t) {
  return [
    {
      key: 'households',
      record: (item) => recordHash(ENTITY_TITLES.household, SEARCH_YEAR, item.code),
      heading: t.searchHouseholds,
      testId: 'search-household',
      items: listOf(data, 'households'),
      id: (item) => item.code,
      href: (item) => householdHash(item.code, SEARCH_YEAR),
      attrs: (item) => ({ 'data-code': item.code }),
      main: (item) => item.head_name || item.code,
      meta: (item) => withPlace(item.code, item.village),
    },
    {
      key: 'persons',
      record: (item) => recordHash(ENTITY_TITLES.person, SEARCH_YEAR, item.id),
      heading: t.searchPersons,
      testId: 'search-person',
      items: listOf(data, 'persons'),
      id: (item) => item.id,
      href: (item) => householdHash(item.household_code, SEARCH_YEAR),
      attrs: (item) => ({ 'data-household': item.household_code }),
      main: (item) => `${item.full_name}${item.birth_year ? ` (${item.birth_year})` : ''}`,
      meta: (item) => fill(t.searchHouseholdOf, { code: item.household_code }),
    },
    {
      key: 'clans',
      record: (item) => recordHash(ENTITY_TITLES.clan, SEARCH_YEAR, item.code),
      heading: t.searchClans,
      testId: 'search-clan',
      items: listOf(data, 'clans'),
      id: (item) => item.code,
      href: (item) => unitHash(item.village && item.village.code, SEARCH_DATE),
      attrs: (item) => ({ 'data-code': item.code }),
      main: (item) => item.name || item.code,
      meta: (item) => withPlace(item.code, item.village),
    },
    {
      key: 'organisations',
      record: (item) => recordHash(ENTITY_TITLES.organisation, SEARCH_YEAR, item.code),
      heading: t.searchOrganisations,
      testId: 'search-organisation',
      items: listOf(data, 'organisations'),
      id: (item) => item.code,
      href: (item) => unitHash(item.unit && item.unit.code, SEARCH_DATE),
      attrs: (item) => ({ 'data-code': item.code }),
      main: (item) => item.name || item.code,
      meta: (item) => withPlace(item.code, item.unit),
    },
    {
      key: 'units',
      heading: t.searchUnits,
      testId: 'search-unit',
      items: listOf(data, 'units'),
      id: (item) => item.code,
      href: (item) => unitHash(item.code, SEARCH_DATE),
      attrs: (item) => ({ 'data-code': item.code }),
      main: (item) => item.name || item.code,
      meta: (item) => withPlace(item.code, item.parent),
    },
  ];
}

export function SearchBox({ t, lang }) {
  const { user } = useSession();
  const [text, setText] = useState('');
  const [result, setResult] = useState(IDLE);
  const [open, setOpen] = useState(false);
  const box = useRef(null);
  const seq = useRef(0);
  const timer = useRef(0);

  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event) => {
      if (box.current && !box.current.contains(event.target)) setOpen(false);
    };
    const onHash = () => setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('hashchange', onHash);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('hashchange', onHash);
    };
  }, [open]);

  if (!can(user, 'registry.read')) return null;
  const canRecords = can(user, 'records.read');

  /** Ask the server for `q`; answers to older questions are dropped. */
  const run = (q) => {
    clearTimeout(timer.current);
    const mine = ++seq.current;
    if (q.length < MIN_CHARS) {
      setResult({ ...IDLE, q });
      return;
    }
    setResult((previous) => ({ ...previous, state: 'loading', q }));
    api.search({ q, year: SEARCH_YEAR, limit: LIMIT }).then(
      (data) => {
        if (mine === seq.current) setResult({ state: 'ready', q, data, error: null });
      },
      (error) => {
        if (mine === seq.current) setResult({ state: 'error', q, data: null, error });
      },
    );
  };

  const onInput = (event) => {
    const value = event.currentTarget.value;
    setText(value);
    setOpen(true);
    clearTimeout(timer.current);
    const q = value.trim();
    timer.current = setTimeout(() => run(q), TYPING_PAUSE_MS);
  };

  const onSubmit = (event) => {
    event.preventDefault();
    setOpen(true);
    run(text.trim());
  };

  // Arrow down moves from the field into the results; Escape closes them.
  const onKeyDown = (event) => {
    if (event.key === 'Escape') {
      setOpen(false);
    } else if (event.key === 'ArrowDown' && box.current) {
      const first = box.current.querySelector('.search-results a');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  const onResultsKeyDown = (event) => {
    if (!box.current || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Escape')) return;
    event.preventDefault();
    const input = box.current.querySelector('input');
    if (event.key === 'Escape') {
      setOpen(false);
      input.focus();
      return;
    }
    const links = [...box.current.querySelectorAll('.search-results a')];
    const at = links.indexOf(document.activeElement);
    const next = at + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) input.focus();
    else if (next < links.length) links[next].focus();
  };

  const groups = groupsOf(result.data, t).filter((group) => group.items.length > 0);
  const found = groups.reduce((sum, group) => sum + group.items.length, 0);
  const data = result.data;
  const shown = open && text.trim() !== '';

  return html`
    <div class="search no-print" ref=${box}>
      <form role="search" class="search-form" onSubmit=${onSubmit}>
        <label class="visually-hidden" for="search-input">${t.searchLabel}</label>
        <input
          id="search-input"
          type="search"
          class="search-input"
          data-testid="search-input"
          autocomplete="off"
          placeholder=${t.searchPlaceholder}
          value=${text}
          aria-controls="search-results"
          aria-expanded=${shown ? 'true' : 'false'}
          onInput=${onInput}
          onFocus=${() => setOpen(true)}
          onKeyDown=${onKeyDown}
        />
        <button type="submit" class="search-submit" aria-label=${t.searchButton} title=${t.searchButton}>
          <span aria-hidden="true">⌕</span>
        </button>
      </form>
      ${shown
        ? html`<div
            class="search-results"
            id="search-results"
            data-testid="search-results"
            data-state=${result.state}
            data-q=${result.q}
            onKeyDown=${onResultsKeyDown}
          >
            ${result.state === 'idle'
              ? html`<p class="search-note">${t.searchHint}</p>`
              : result.state === 'loading' && !data
                ? html`<p class="search-note" role="status">${t.loading}</p>`
                : result.state === 'error'
                  ? html`<p class="search-note search-error" role="alert">${errorText(result.error, t, lang)}</p>`
                  : found === 0
                    ? html`<p class="search-note" role="status" data-testid="search-empty">${t.searchEmpty}</p>`
                    : html`<p class="visually-hidden" role="status">${fill(t.searchCount, { n: found })}</p>
                        ${groups.map(
                          (group) => html`<h2 class="search-group" key=${`${group.key}-heading`}>${group.heading}</h2>
                            <ul key=${group.key} data-testid="search-group" data-kind=${group.key}>
                              ${group.items.map(
                                (item) => html`<li key=${group.id(item)} class=${group.record ? 'has-record' : ''}>
                                  <a href=${group.href(item)} data-testid=${group.testId} ...${group.attrs(item)}>
                                    <span class="search-main">${group.main(item)}</span>
                                    <span class="search-meta">${group.meta(item)}</span>
                                  </a>
                                  ${group.record && canRecords
                                    ? html`<a
                                        class="search-record"
                                        href=${group.record(item)}
                                        data-testid="search-record"
                                        data-kind=${group.key}
                                        data-code=${group.id(item)}
                                        aria-label=${fill(t.recordOf, { name: group.main(item) })}
                                        >${t.searchRecord}</a
                                      >`
                                    : null}
                                </li>`,
                              )}
                            </ul>`,
                        )}`}
          </div>`
        : null}
    </div>
  `;
}
