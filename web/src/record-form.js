// The data-entry form of a record, generated from the criteria in force (the
// record's `items` and `groups`, GET /api/v1/record): one field per entered
// item by its input type, derived items read-only with their explanation, and
// the checks the server makes (docs/records.md) made here first so a mistake
// shows at its field while typing. Values are kept as typed ("có", "8,5",
// "85"); wireValue() turns them into what PUT /record takes ("85%").
import { html } from './html.js';
import { fill } from './i18n.js';
import { formatPoints, isIsoDate } from './format.js';
import { StatusBadge } from './explain-panel.js';
import { EvidencePanel } from './evidence.js';

const YES = 'có';
const NO = 'không';

/** The stored value of an item as the form shows it ('' when none). */
export function storedText(item) {
  const value = item.value;
  if (value === null || value === undefined) return '';
  if (item.input === 'yesno') return value ? YES : NO;
  if (item.input === 'percent') return String(Math.round(value * 10000) / 100);
  return String(value);
}

/** What PUT /record takes for a typed value: null clears it; a percentage gets its sign. */
export function wireValue(item, text) {
  const trimmed = String(text ?? '').trim();
  if (!trimmed) return null;
  if (item.input === 'percent') return `${trimmed.replace(/%$/, '').trim()}%`;
  return trimmed;
}

/** A number typed as the server reads it: digits with at most one '.' or ','. NaN otherwise. */
function typedNumber(text) {
  const trimmed = String(text).trim();
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed)) return NaN;
  return Number(trimmed.replace(',', '.'));
}

/** The problem with a typed value (text in the page's language), or null. */
export function valueProblem(t, item, text) {
  const trimmed = String(text ?? '').trim();
  if (!trimmed) return null;
  if (item.input === 'percent') {
    const value = typedNumber(trimmed.replace(/%$/, ''));
    if (Number.isNaN(value)) return t.valueNotPercent;
    if (value < 0 || value > 100) return t.valuePercentRange;
    return null;
  }
  if (item.input === 'number' || item.input === 'level') {
    const value = typedNumber(trimmed);
    if (Number.isNaN(value) || (item.input === 'level' && !Number.isInteger(value))) {
      return fill(t.valueNotNumber, { min: item.min, max: item.max });
    }
    if (value < item.min || value > item.max) return fill(t.valueRange, { min: item.min, max: item.max });
  }
  return null;
}

/** The problem with a registration date, or null (docs/records.md: the year or the year before). */
export function registrationProblem(t, date, year) {
  if (!isIsoDate(date)) return t.regDateInvalid;
  const asked = Number(date.slice(0, 4));
  if (asked !== year && asked !== year - 1) return fill(t.regDateYear, { year, before: year - 1 });
  return null;
}

/** Registration (checkbox and date) and, for learning citizens, the form group. */
export function RegistrationFields({ t, record, form, editable, errors, onRegistered, onDate, onGroup }) {
  const regError = errors.registration;
  const groupError = errors.form_group;
  return html`<section class="panel record-section" aria-labelledby="reg-heading" data-testid="registration">
    <div class="panel-head"><h2 id="reg-heading">${t.regHeading}</h2></div>
    <div class="panel-body reg-fields">
      <div class=${regError ? 'field has-error' : 'field'}>
        <label class="check-line">
          <input
            type="checkbox"
            data-testid="reg-check"
            checked=${form.registered}
            disabled=${!editable}
            aria-describedby=${regError ? 'reg-error' : null}
            onChange=${(e) => onRegistered(e.currentTarget.checked)}
          />
          <span>
            ${fill(t.regCheck, { year: record.year })}
            ${record.requires_registration ? html` <span class="muted">(${t.regRequired})</span>` : null}
          </span>
        </label>
        ${form.registered
          ? html`<label class="field reg-date">
              <span class="field-label">${t.regDate}</span>
              <input
                type="date"
                class="text-input"
                data-testid="reg-date"
                value=${form.registered_on}
                disabled=${!editable}
                min=${`${record.year - 1}-01-01`}
                max=${`${record.year}-12-31`}
                aria-invalid=${regError ? 'true' : 'false'}
                aria-describedby=${regError ? 'reg-error' : null}
                onInput=${(e) => onDate(e.currentTarget.value)}
              />
            </label>`
          : null}
        ${regError ? html`<p class="field-error" id="reg-error" role="alert" data-testid="reg-error">${regError}</p>` : null}
      </div>
      ${record.has_form_group
        ? html`<div class=${groupError ? 'field has-error' : 'field'}>
            <label class="field-label" for="form-group">${t.formGroup}</label>
            <select
              id="form-group"
              class="text-input"
              data-testid="form-group"
              value=${form.form_group == null ? '' : String(form.form_group)}
              disabled=${!editable}
              aria-describedby=${groupError ? 'form-group-error' : null}
              onChange=${(e) => onGroup(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
            >
              <option value="">${t.formGroupNone}</option>
              ${[1, 2, 3, 4].map((n) => html`<option value=${String(n)}>${n}. ${t.formGroups[n]}</option>`)}
            </select>
            ${groupError ? html`<p class="field-error" id="form-group-error" role="alert">${groupError}</p>` : null}
          </div>`
        : null}
    </div>
  </section>`;
}

/** Every item of the criteria, grouped as the criteria group them. */
export function ItemGroups({ t, lang, record, texts, results, editable, errors, target, onValue, onRecord }) {
  const items = Array.isArray(record.items) ? record.items : [];
  const groups = Array.isArray(record.groups) && record.groups.length ? record.groups : [{ key: '', text: '' }];
  const explained = {};
  if (results && Array.isArray(results.items)) for (const item of results.items) explained[item.key] = item;
  const levels = Boolean(record.levels);
  return groups.map((group) => {
    const members = items.filter((item) => (group.key ? item.group === group.key : true));
    if (members.length === 0) return null;
    return html`<section class="panel record-section" aria-labelledby=${`group-${group.key}`} data-testid="item-group" data-group=${group.key}>
      <div class="panel-head">
        <h2 id=${`group-${group.key}`}>${group.key ? `${group.key}. ${group.text}` : t.itemsHeading}</h2>
      </div>
      <ol class="record-items">
        ${members.map(
          (item) => html`<${ItemField}
            key=${item.key}
            t=${t}
            lang=${lang}
            item=${item}
            text=${texts[item.key] ?? ''}
            explained=${explained[item.key] || null}
            levels=${levels}
            editable=${editable}
            error=${errors[item.key] || null}
            evidenceRequired=${record.evidence_required}
            target=${target}
            onValue=${onValue}
            onRecord=${onRecord}
          />`,
        )}
      </ol>
    </section>`;
  });
}

function ItemField({ t, lang, item, text, explained, levels, editable, error, evidenceRequired, target, onValue, onRecord }) {
  const id = `item-${item.key}`;
  const labelId = `${id}-label`;
  const errorId = `${id}-error`;
  const result = explained
    ? levels
      ? `${t.levelWord} ${formatPoints(explained.result, lang)}/${formatPoints(explained.max, lang)}`
      : `${formatPoints(explained.result, lang)}/${formatPoints(explained.max, lang)} ${t.points}`
    : item.points != null
      ? fill(t.itemMaxPoints, { points: formatPoints(item.points, lang) })
      : '';
  const described = error ? errorId : null;
  let control;
  if (item.input === 'derived') {
    control = html`<p class="item-derived" data-testid="item-derived">${t.itemDerived}</p>`;
  } else if (item.input === 'yesno') {
    control = html`<div class="yesno" role="radiogroup" aria-labelledby=${labelId} aria-describedby=${described}>
      ${[
        [YES, t.yes, 'item-yes'],
        [NO, t.no, 'item-no'],
      ].map(
        ([value, label, testId]) => html`<label class="yesno-option">
          <input
            type="radio"
            name=${id}
            value=${value}
            data-testid=${testId}
            checked=${text === value}
            disabled=${!editable}
            onChange=${() => onValue(item, value)}
          />
          ${label}
        </label>`,
      )}
      ${editable && text
        ? html`<button type="button" class="link-button item-clear" data-testid="item-clear" onClick=${() => onValue(item, '')}>
            ${t.itemClear}
          </button>`
        : null}
    </div>`;
  } else if (item.input === 'level') {
    const options = [];
    for (let n = item.min; n <= item.max; n++) options.push(n);
    control = html`<select
      id=${`${id}-input`}
      class="text-input item-select"
      data-testid="item-input"
      value=${text}
      disabled=${!editable}
      aria-labelledby=${labelId}
      aria-describedby=${described}
      aria-invalid=${error ? 'true' : 'false'}
      onChange=${(e) => onValue(item, e.currentTarget.value)}
    >
      <option value="">${t.itemNoValue}</option>
      ${options.map((n) => html`<option value=${String(n)}>${t.levelWord} ${n}</option>`)}
    </select>`;
  } else {
    const percent = item.input === 'percent';
    control = html`<span class="number-field">
      <input
        id=${`${id}-input`}
        type="text"
        inputmode="decimal"
        autocomplete="off"
        class="text-input item-number"
        data-testid="item-input"
        value=${text}
        placeholder=${percent ? '0–100' : `${item.min}–${item.max}`}
        disabled=${!editable}
        aria-labelledby=${labelId}
        aria-describedby=${described}
        aria-invalid=${error ? 'true' : 'false'}
        onInput=${(e) => onValue(item, e.currentTarget.value)}
      />
      ${percent ? html`<span class="number-suffix" aria-hidden="true">%</span>` : null}
      <span class="field-hint">
        ${percent ? t.itemPercentHint : fill(t.itemRangeHint, { min: item.min, max: item.max })}
      </span>
    </span>`;
  }
  return html`<li class=${error ? 'record-item has-error' : 'record-item'} data-testid="item" data-key=${item.key} data-input=${item.input}>
    <div class="item-head">
      <span class="item-key">${item.key}</span>
      ${item.input === 'derived' || item.input === 'yesno'
        ? html`<span class="item-text" id=${labelId}>${item.text}</span>`
        : html`<label class="item-text" id=${labelId} for=${`${id}-input`}>${item.text}</label>`}
      <span class="item-result" data-testid="item-result" data-value=${explained ? explained.result ?? '' : ''}>${result}</span>
    </div>
    <div class="item-control">${control}</div>
    ${error ? html`<p class="field-error" id=${errorId} role="alert" data-testid="item-error">${error}</p>` : null}
    ${explained
      ? html`<div class="item-badges"><${StatusBadge} t=${t} status=${explained.status} testId="item-status" /></div>
          ${explained.detail ? html`<p class="item-detail" data-testid="item-detail">${explained.detail}</p>` : null}`
      : null}
    <${EvidencePanel}
      t=${t}
      lang=${lang}
      item=${item}
      required=${evidenceRequired}
      editable=${editable}
      target=${target}
      onRecord=${onRecord}
    />
  </li>`;
}
