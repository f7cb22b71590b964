// The search box of the top bar: households and persons by name or code
// (GET /api/v1/search; diacritics and case ignored by the server, which only
// answers with rows inside the user's area). Each result opens a household page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { fill } from './i18n.js';
import { DEFAULT_EVAL_YEAR, householdHash } from './route.js';
import { can, useSession } from './session.js';
import { errorText } from './shell.js';

const MIN_CHARS = 2;
const TYPING_PAUSE_MS = 250;
const LIMIT = 8;
// The registry year searched and opened: the latest year of the demo cycles.
export const SEARCH_YEAR = DEFAULT_EVAL_YEAR;

const IDLE = { state: 'idle', q: '', data: null, error: null };

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

  const data = result.data;
  const households = data && Array.isArray(data.households) ? data.households : [];
  const persons = data && Array.isArray(data.persons) ? data.persons : [];
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
                  : households.length + persons.length === 0
                    ? html`<p class="search-note" role="status" data-testid="search-empty">${t.searchEmpty}</p>`
                    : html`<p class="visually-hidden" role="status">
                          ${fill(t.searchCount, { n: households.length + persons.length })}
                        </p>
                        ${households.length
                          ? html`<h2 class="search-group">${t.searchHouseholds}</h2>
                              <ul>
                                ${households.map(
                                  (item) => html`<li key=${item.code}>
                                    <a
                                      href=${householdHash(item.code, SEARCH_YEAR)}
                                      data-testid="search-household"
                                      data-code=${item.code}
                                    >
                                      <span class="search-main">${item.head_name || item.code}</span>
                                      <span class="search-meta">
                                        ${item.code}${item.village && item.village.name ? ` · ${item.village.name}` : ''}
                                      </span>
                                    </a>
                                  </li>`,
                                )}
                              </ul>`
                          : null}
                        ${persons.length
                          ? html`<h2 class="search-group">${t.searchPersons}</h2>
                              <ul>
                                ${persons.map(
                                  (item) => html`<li key=${item.id}>
                                    <a
                                      href=${householdHash(item.household_code, SEARCH_YEAR)}
                                      data-testid="search-person"
                                      data-household=${item.household_code}
                                    >
                                      <span class="search-main">
                                        ${item.full_name}${item.birth_year ? ` (${item.birth_year})` : ''}
                                      </span>
                                      <span class="search-meta">${fill(t.searchHouseholdOf, { code: item.household_code })}</span>
                                    </a>
                                  </li>`,
                                )}
                              </ul>`
                          : null}`}
          </div>`
        : null}
    </div>
  `;
}
