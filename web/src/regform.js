// The registry forms (registry.write; docs/registry-forms.md):
//   #/dang-ky/ho?unit=U&year=Y          register a household with its members
//   #/dang-ky/ho/CODE?year=Y            change it (its fields and members for the year)
//   #/dang-ky/dong-ho[/CODE], #/dang-ky/don-vi[/CODE]   clans and learning units, likewise
// The server checks a form by the rules of a file import and answers 422 with
// every problem by field ("members[2].citizen_id"); the page shows each next to
// its field, in Vietnamese. A half-typed form is kept as a draft in
// localStorage (per user, form, code and year) until it is saved or discarded.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, apiText, fill } from './i18n.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, householdHash, pageOf, parseRegformHash, regformHash, unitHash } from './route.js';
import { ErrorAlert, PageFrame, Refusal } from './shell.js';
import { can, useSession } from './session.js';
import { describedBy } from './widgets.js';

const GRADES = ['tot', 'kha', 'dat', 'chua-dat'];
const KINDS = ['co-quan', 'truong-hoc', 'doanh-nghiep', 'hop-tac-xa', 'don-vi-su-nghiep'];
const DRAFT_PAUSE_MS = 300;

let memberSeq = 0;
const newKey = () => `n${Date.now().toString(36)}${(memberSeq += 1)}`;

function emptyMember(fullName = '') {
  return {
    key: newKey(),
    id: null,
    full_name: fullName,
    birth_year: '',
    gender: '',
    citizen_id: '',
    masked: null,
    literate: false, // as an import's blank cell: no
    in_school: false,
    school_result: '',
    conduct: '',
    topics_completed: '',
  };
}

/** A member as GET /households/CODE gives it, as the form edits it. */
function memberFrom(m) {
  return {
    key: m.id,
    id: m.id,
    full_name: m.full_name || '',
    birth_year: m.birth_year ? String(m.birth_year) : '',
    gender: m.gender || '',
    citizen_id: m.citizen_id_masked ? '' : m.citizen_id || '',
    masked: m.citizen_id_masked ? m.citizen_id : null,
    literate: Boolean(m.literate),
    in_school: Boolean(m.in_school),
    school_result: m.school_result || '',
    conduct: m.conduct || '',
    topics_completed: m.topics_completed != null ? String(m.topics_completed) : '',
  };
}

// What each form loads, shows and sends.
const FORMS = {
  household: {
    titleNew: 'rfHouseholdNew',
    titleEdit: 'rfHouseholdEdit',
    load: (code, year) => api.household(code, year),
    save: (code, body) => api.saveHousehold(code, body),
    empty: (route, user) => ({
      code: '',
      village: '',
      head_name: '',
      address: '',
      clan: '',
      members: [emptyMember()],
      start: route.unit || user.unit.code,
    }),
    from: (data) => ({
      code: data.code,
      village: data.village ? data.village.code : '',
      head_name: data.head_name || '',
      address: data.address || '',
      clan: data.clan ? data.clan.code : '',
      members: (data.members || []).map(memberFrom),
      start: data.village ? data.village.code : '',
    }),
    body: (v, year, isNew) => {
      const body = {
        year,
        village: v.village,
        head_name: v.head_name,
        address: v.address,
        clan: v.clan,
        members: v.members.map((m) => {
          const out = {
            full_name: m.full_name,
            birth_year: m.birth_year.trim(),
            gender: m.gender,
            literate: m.literate,
            in_school: m.in_school,
            school_result: m.school_result,
            conduct: m.conduct,
            topics_completed: m.topics_completed.trim(),
          };
          if (m.id) out.id = m.id;
          // A masked stored number left empty keeps the stored one.
          if (m.citizen_id.trim() || !m.masked) out.citizen_id = m.citizen_id.trim();
          return out;
        }),
      };
      if (isNew && v.code.trim()) body.code = v.code.trim();
      return body;
    },
  },
  clan: {
    titleNew: 'rfClanNew',
    titleEdit: 'rfClanEdit',
    load: (code, year) => api.clan(code, year),
    save: (code, body) => api.saveClan(code, body),
    empty: (route, user) => ({ code: '', name: '', village: '', start: route.unit || user.unit.code }),
    from: (data) => ({
      code: data.code,
      name: data.name || '',
      village: data.village ? data.village.code : '',
      start: data.village ? data.village.code : '',
    }),
    body: (v, year, isNew) => ({ year, name: v.name, village: v.village, ...(isNew && v.code.trim() ? { code: v.code.trim() } : {}) }),
  },
  unit: {
    titleNew: 'rfUnitNew',
    titleEdit: 'rfUnitEdit',
    load: (code, year) => api.org(code, year),
    save: (code, body) => api.saveOrg(code, body),
    empty: (route, user) => ({ code: '', name: '', kind: '', admin: route.unit || user.unit.code, start: route.unit || user.unit.code }),
    from: (data) => ({
      code: data.code,
      name: data.name || '',
      kind: data.kind || '',
      admin: data.admin ? data.admin.code : '',
      start: data.admin ? data.admin.code : '',
    }),
    body: (v, year, isNew) => ({
      year,
      name: v.name,
      kind: v.kind,
      admin: v.admin,
      ...(isNew && v.code.trim() ? { code: v.code.trim() } : {}),
    }),
  },
};

/** The id of the input of a field path: "members[2].citizen_id" -> "rf-members-2-citizen_id". */
export function fieldId(path) {
  return `rf-${String(path).replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
}

const pad = (n) => String(n).padStart(2, '0');
const clock = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

function readDraft(key) {
  try {
    const raw = window.localStorage.getItem(key);
    const draft = raw ? JSON.parse(raw) : null;
    return draft && draft.values && typeof draft.values === 'object' ? draft : null;
  } catch {
    return null;
  }
}

function writeDraft(key, values) {
  const savedAt = new Date().toISOString();
  try {
    window.localStorage.setItem(key, JSON.stringify({ savedAt, values }));
    return savedAt;
  } catch {
    return null; /* privacy modes: no draft, the form still works */
  }
}

function dropDraft(key) {
  try {
    window.localStorage.removeItem(key);
  } catch {
    /* nothing kept */
  }
}

export function RegformPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const [route, setRoute] = useState(() => parseRegformHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'regform') setRoute(parseRegformHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const spec = FORMS[route.form];
  const year = route.year || DEFAULT_EVAL_YEAR;
  const title = route.code ? fill(t[spec.titleEdit], { code: route.code }) : t[spec.titleNew];
  const frame = { t, lang, onLang, page: 'regform', title, lead: t.rfLead };
  if (!can(user, 'registry.write')) {
    return html`<${PageFrame} ...${frame} testId="regform" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  const key = `${route.form}|${route.code || ''}|${year}`;
  return html`<${Loader} key=${key} t=${t} lang=${lang} user=${user} route=${route} year=${year} spec=${spec} frame=${frame} />`;
}

/** Loads the stored object (a change), then shows the form. */
function Loader({ t, lang, user, route, year, spec, frame }) {
  const [slot, setSlot] = useState(() =>
    route.code ? { state: 'loading', data: null, error: null } : { state: 'ready', data: null, error: null },
  );
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    if (!route.code) return undefined;
    let live = true;
    setSlot({ state: 'loading', data: null, error: null });
    spec.load(route.code, year).then(
      (data) => live && setSlot({ state: 'ready', data, error: null }),
      (error) => live && setSlot({ state: 'error', data: null, error }),
    );
    return () => {
      live = false;
    };
  }, [reloads]);
  const attrs = { 'data-form': route.form, 'data-code': route.code || '', 'data-year': String(year) };
  if (slot.state !== 'ready') {
    const status = slot.error ? slot.error.status : 0;
    return html`<${PageFrame} ...${frame} testId="regform" state=${slot.state} attrs=${attrs}>
      ${slot.state === 'loading'
        ? html`<p class="panel panel-body muted" role="status">${t.loading}</p>`
        : status === 403
          ? html`<${Refusal} t=${t} title=${t.noPermission} hint=${fill(t.rfForbiddenHint, { unit: user.unit.name })} />`
          : status === 404
            ? html`<${Refusal} t=${t} title=${fill(t.rfNotFound, { code: route.code })} hint=${fill(t.rfNotFoundHint, { code: route.code, year })} />`
            : html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`}
    </${PageFrame}>`;
  }
  const initial = slot.data ? spec.from(slot.data) : spec.empty(route, user);
  return html`<${Form} t=${t} lang=${lang} user=${user} route=${route} year=${year} spec=${spec} frame=${frame} attrs=${attrs} initial=${initial} />`;
}

function Form({ t, lang, user, route, year, spec, frame, attrs, initial }) {
  const isNew = !route.code;
  const draftKey = `hoctap.draft.${user.id}.${route.form}.${route.code || 'new'}.${year}`;
  const [start] = useState(() => readDraft(draftKey));
  const [values, setValues] = useState(() => (start ? { ...initial, ...start.values } : initial));
  const [draftNote, setDraftNote] = useState(() => (start ? { restored: true, at: start.savedAt } : null));
  const [dirty, setDirty] = useState(false);
  const [resets, setResets] = useState(0); // remounts the unit pickers after a discarded draft
  const [errors, setErrors] = useState({}); // field path -> message
  const [run, setRun] = useState({ state: 'idle', problems: [], total: 0, error: null });
  const summary = useRef(null);

  // Every change is kept as a draft after a short pause.
  useEffect(() => {
    if (!dirty) return undefined;
    const timer = setTimeout(() => {
      const at = writeDraft(draftKey, values);
      if (at) setDraftNote({ restored: false, at });
    }, DRAFT_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [values, dirty]);

  useEffect(() => {
    if (run.state === 'problems' && summary.current) summary.current.scrollIntoView({ block: 'start' });
  }, [run]);

  /** Changes the values with fn(values); forgets the error of `path` (a string or a list). */
  const edit = (fn, path = null) => {
    setValues((previous) => fn(previous));
    setDirty(true);
    if (path) {
      setErrors((previous) => {
        const next = { ...previous };
        for (const p of Array.isArray(path) ? path : [path]) delete next[p];
        return next;
      });
    }
  };
  const set = (name) => (value) => edit((v) => ({ ...v, [name]: value }), name);

  const discard = () => {
    dropDraft(draftKey);
    setValues(initial);
    setDirty(false);
    setDraftNote(null);
    setErrors({});
    setRun({ state: 'idle', problems: [], total: 0, error: null });
    setResets((n) => n + 1);
  };

  const submit = (event) => {
    event.preventDefault();
    if (run.state === 'saving') return;
    setRun({ state: 'saving', problems: [], total: 0, error: null });
    spec.save(route.code, spec.body(values, year, isNew)).then(
      (saved) => {
        dropDraft(draftKey);
        setDirty(false);
        window.location.hash =
          route.form === 'household'
            ? householdHash(saved.code, year)
            : regformHash({ form: route.form, code: saved.code, year, saved: true });
      },
      (error) => {
        const problems = error.status === 422 && error.body && Array.isArray(error.body.problems) ? error.body.problems : null;
        if (!problems) {
          setRun({ state: 'error', problems: [], total: 0, error });
          return;
        }
        const byField = {};
        for (const p of problems) {
          const text = lang === 'en' ? p.msg_en : p.msg_vi;
          if (p.field && !byField[p.field]) byField[p.field] = text;
        }
        setErrors(byField);
        setRun({ state: 'problems', problems, total: error.body.problems_total || problems.length, error: null });
      },
    );
  };

  /** The props of a field's input and its wrapper: id, error text, aria. */
  const field = (path, hint = null) => {
    const id = fieldId(path);
    const error = errors[path] || null;
    return { id, error, hint, describedBy: describedBy(id, hint, error) };
  };

  const busy = run.state === 'saving';
  const back =
    route.form === 'household' && route.code
      ? householdHash(route.code, year)
      : route.unit
        ? unitHash(route.unit, `${year}-12-31`)
        : '#/';
  return html`<${PageFrame} ...${frame} testId="regform" state=${run.state} attrs=${attrs}>
    ${route.saved && !dirty
      ? html`<p class="notice" role="status" data-testid="rf-saved">${fill(t.rfSaved, { code: route.code })}</p>`
      : null}
    <section class="controls no-print" aria-label=${t.rfYear}>
      <div class="date-field">
        <span class="field-label" id="rf-year-label">${t.rfYear}</span>
        <div class="quick-dates" role="group" aria-labelledby="rf-year-label">
          ${EVAL_YEARS.map(
            (value) => html`<a
              class="quick year-option"
              href=${regformHash({ form: route.form, code: route.code, unit: route.unit, year: value })}
              data-testid="rf-year"
              data-year=${value}
              aria-current=${value === year ? 'true' : null}
            >
              <span class="quick-label">${value}</span>
            </a>`,
          )}
        </div>
      </div>
    </section>
    ${isNew && route.form !== 'household' ? html`<${OpenExisting} t=${t} user=${user} form=${route.form} year=${year} />` : null}
    ${draftNote
      ? html`<div class="rf-draft" role="status" data-testid="rf-draft">
          <span data-testid="rf-draft-note">${fill(draftNote.restored ? t.rfDraftRestored : t.rfDraftSaved, { time: clock(draftNote.at) })}</span>
          <button type="button" class="btn btn-small" data-testid="rf-draft-clear" onClick=${discard}>${t.rfDraftClear}</button>
        </div>`
      : null}
    ${run.state === 'problems'
      ? html`<div class="form-alert rf-problems" role="alert" tabindex="-1" ref=${summary} data-testid="rf-problems" data-count=${run.total}>
          <p><strong>${fill(t.rfProblems, { count: run.total })}</strong></p>
          <ul>
            ${run.problems.map((p) => html`<li>${problemLabel(t, p.field)}${lang === 'en' ? p.msg_en : p.msg_vi}</li>`)}
          </ul>
        </div>`
      : null}
    ${run.state === 'error' ? html`<${ErrorAlert} t=${t} lang=${lang} error=${run.error} />` : null}
    <form class="rf-form" novalidate onSubmit=${submit} data-testid="rf-form">
      ${route.form === 'household'
        ? html`<${HouseholdFields} t=${t} lang=${lang} user=${user} year=${year} isNew=${isNew} values=${values} edit=${edit} set=${set} field=${field} resets=${resets} />`
        : route.form === 'clan'
          ? html`<${ClanFields} t=${t} lang=${lang} user=${user} year=${year} isNew=${isNew} values=${values} set=${set} field=${field} resets=${resets} />`
          : html`<${UnitFields} t=${t} lang=${lang} user=${user} year=${year} isNew=${isNew} values=${values} set=${set} field=${field} resets=${resets} />`}
      <div class="rf-actions">
        <button type="submit" class="btn btn-primary" data-testid="rf-save" disabled=${busy}>${busy ? t.rfSaving : t.rfSave}</button>
        <a class="btn" href=${back} data-testid="rf-back">${t.rfCancel}</a>
      </div>
    </form>
  </${PageFrame}>`;
}

/** "Thành viên 3 — " before a member's problem in the summary. */
function problemLabel(t, path) {
  const match = /^members\[(\d+)\]/.exec(path || '');
  return match ? `${fill(t.rfProblemsMember, { n: Number(match[1]) + 1 })}: ` : '';
}

/** A labelled input with its hint and error (ids from field()). */
function Input({ label, f, required = false, children }) {
  return html`<div class=${f.error ? 'field has-error' : 'field'}>
    <label class="field-label" for=${f.id}>${label}${required ? html` <span class="rf-required" aria-hidden="true">*</span>` : null}</label>
    ${children}
    ${f.hint ? html`<p class="field-hint" id=${`${f.id}-hint`}>${f.hint}</p>` : null}
    ${f.error ? html`<p class="field-error" id=${`${f.id}-error`} data-testid=${`${f.id}-error`}>${f.error}</p>` : null}
  </div>`;
}

function TextInput({ f, value, onValue, required = false, inputMode = null, autoComplete = 'off', testId = null }) {
  return html`<input
    id=${f.id}
    class="text-input"
    type="text"
    value=${value}
    required=${required}
    inputmode=${inputMode}
    autocomplete=${autoComplete}
    aria-invalid=${f.error ? 'true' : null}
    aria-describedby=${f.describedBy}
    data-testid=${testId || f.id}
    onInput=${(e) => onValue(e.currentTarget.value)}
  />`;
}

function HouseholdFields({ t, lang, user, year, isNew, values, edit, set, field, resets }) {
  const [clanUnit, setClanUnit] = useState(null);
  const [clans, setClans] = useState([]);
  useEffect(() => {
    if (!clanUnit) return undefined;
    let live = true;
    api.clans(clanUnit, year).then(
      (body) => live && setClans(Array.isArray(body.clans) ? body.clans : []),
      () => live && setClans([]),
    );
    return () => {
      live = false;
    };
  }, [clanUnit, year]);
  const members = values.members || [];
  // The head is the first member by default: typing the head's name fills the
  // first member's name while it still follows the head's.
  const onHead = (value) =>
    edit((v) => {
      const first = v.members[0];
      const follows = first && !first.id && (first.full_name === v.head_name || first.full_name === '');
      return {
        ...v,
        head_name: value,
        members: follows ? [{ ...first, full_name: value }, ...v.members.slice(1)] : v.members,
      };
    }, ['head_name', 'members[0].full_name']);
  const onMember = (index, name) => (value) =>
    edit((v) => ({ ...v, members: v.members.map((m, i) => (i === index ? { ...m, [name]: value } : m)) }), `members[${index}].${name}`);
  const addMember = () => edit((v) => ({ ...v, members: [...v.members, emptyMember()] }));
  const removeMember = (index) => edit((v) => ({ ...v, members: v.members.filter((_, i) => i !== index) }));
  const clanOptions = clans.some((c) => c.code === values.clan) || !values.clan ? clans : [{ code: values.clan, name: values.clan }, ...clans];
  const fCode = field('code', t.rfCodeHint);
  const fHead = field('head_name');
  const fAddress = field('address');
  const fClan = field('clan');
  return html`
    <section class="panel rf-section" aria-labelledby="rf-household-heading">
      <div class="panel-head"><h2 id="rf-household-heading">${t.householdTitle}</h2></div>
      <div class="panel-body rf-grid">
        <${UnitPicker}
          key=${`v${resets}`}
          t=${t}
          lang=${lang}
          label=${t.rfVillage}
          root=${user.unit.code}
          year=${year}
          value=${values.village}
          start=${values.village || values.start}
          target="village"
          f=${field('village')}
          onChange=${set('village')}
          onParent=${setClanUnit}
        />
        ${isNew
          ? html`<${Input} label=${t.rfCode} f=${fCode}>
              <${TextInput} f=${fCode} value=${values.code} onValue=${set('code')} />
            </${Input}>`
          : null}
        <${Input} label=${t.rfHeadName} f=${fHead} required>
          <${TextInput} f=${fHead} value=${values.head_name} onValue=${onHead} required autoComplete="name" />
        </${Input}>
        <${Input} label=${t.rfAddress} f=${fAddress}>
          <${TextInput} f=${fAddress} value=${values.address} onValue=${set('address')} autoComplete="street-address" />
        </${Input}>
        <${Input} label=${t.rfClan} f=${fClan}>
          <select
            id=${fClan.id}
            class="text-input"
            data-testid=${fClan.id}
            value=${values.clan}
            aria-describedby=${fClan.describedBy}
            onChange=${(e) => set('clan')(e.currentTarget.value)}
          >
            <option value="">${t.rfNoClan}</option>
            ${clanOptions.map((c) => html`<option value=${c.code}>${c.name} (${c.code})</option>`)}
          </select>
        </${Input}>
      </div>
    </section>
    <section class="panel rf-section" aria-labelledby="rf-members-heading" data-testid="rf-members" data-count=${members.length}>
      <div class="panel-head"><h2 id="rf-members-heading">${t.rfMembers} (${members.length})</h2></div>
      ${!isNew ? html`<p class="panel-note">${t.rfKeptNote}</p>` : null}
      <div class="panel-body rf-members">
        ${members.map(
          (m, index) => html`<${MemberCard}
            key=${m.key}
            t=${t}
            index=${index}
            member=${m}
            field=${field}
            onMember=${onMember}
            head=${isNew ? index === 0 : sameName(m.full_name, values.head_name)}
            onRemove=${m.id ? null : () => removeMember(index)}
          />`,
        )}
        <p class="rf-add">
          <button type="button" class="btn" data-testid="rf-add-member" onClick=${addMember}>+ ${t.rfAddMember}</button>
        </p>
      </div>
    </section>
  `;
}

/** The same name, whatever the spacing and Unicode form. */
function sameName(a, b) {
  const clean = (s) => String(s || '').normalize('NFC').trim().replace(/\s+/g, ' ');
  return clean(a) !== '' && clean(a) === clean(b);
}

function MemberCard({ t, index, member, head, field, onMember, onRemove }) {
  const path = (name) => `members[${index}].${name}`;
  const fName = field(path('full_name'));
  const fBirth = field(path('birth_year'));
  const fGender = field(path('gender'));
  const fCid = field(path('citizen_id'), member.masked ? fill(t.rfCitizenIdMasked, { masked: member.masked }) : t.rfCitizenIdHint);
  const fLit = field(path('literate'));
  const fSchool = field(path('in_school'));
  const fResult = field(path('school_result'));
  const fConduct = field(path('conduct'));
  const fTopics = field(path('topics_completed'));
  const whole = field(`members[${index}]`);
  const select = (f, name, options) => html`<select
    id=${f.id}
    class="text-input"
    data-testid=${f.id}
    value=${member[name]}
    aria-invalid=${f.error ? 'true' : null}
    aria-describedby=${f.describedBy}
    onChange=${(e) => onMember(index, name)(e.currentTarget.value)}
  >
    ${options}
  </select>`;
  const grades = GRADES.map((g) => html`<option value=${g}>${t.rfGrades[g]}</option>`);
  const check = (f, name, label) => html`<div class=${f.error ? 'field has-error rf-check' : 'field rf-check'}>
    <label for=${f.id}>
      <input
        id=${f.id}
        type="checkbox"
        data-testid=${f.id}
        checked=${member[name]}
        aria-describedby=${f.describedBy}
        onChange=${(e) => onMember(index, name)(e.currentTarget.checked)}
      />
      ${label}
    </label>
    ${f.error ? html`<p class="field-error" id=${`${f.id}-error`} data-testid=${`${f.id}-error`}>${f.error}</p>` : null}
  </div>`;
  return html`<fieldset class=${whole.error ? 'rf-member has-error' : 'rf-member'} data-testid="rf-member" data-index=${index} data-id=${member.id || ''}>
    <legend>
      ${fill(t.rfMember, { n: index + 1 })}${head ? html` <span class="tag" data-testid="rf-head-tag">${t.rfHeadTag}</span>` : null}
    </legend>
    ${whole.error ? html`<p class="field-error" data-testid=${`${whole.id}-error`}>${whole.error}</p>` : null}
    <div class="rf-grid">
      <${Input} label=${t.rfFullName} f=${fName} required>
        <${TextInput} f=${fName} value=${member.full_name} onValue=${onMember(index, 'full_name')} required />
      </${Input}>
      <${Input} label=${t.rfBirthYear} f=${fBirth} required>
        <${TextInput} f=${fBirth} value=${member.birth_year} onValue=${onMember(index, 'birth_year')} required inputMode="numeric" />
      </${Input}>
      <${Input} label=${t.rfGender} f=${fGender} required>
        ${select(fGender, 'gender', [
          html`<option value="">${t.rfPick}</option>`,
          html`<option value="nam">${t.rfMale}</option>`,
          html`<option value="nu">${t.rfFemale}</option>`,
        ])}
      </${Input}>
      <${Input} label=${t.rfCitizenId} f=${fCid}>
        <${TextInput} f=${fCid} value=${member.citizen_id} onValue=${onMember(index, 'citizen_id')} inputMode="numeric" />
      </${Input}>
      <${Input} label=${t.rfSchoolResult} f=${fResult}>
        ${select(fResult, 'school_result', [html`<option value="">${t.rfGradeNone}</option>`, ...grades])}
      </${Input}>
      <${Input} label=${t.rfConduct} f=${fConduct}>
        ${select(fConduct, 'conduct', [html`<option value="">${t.rfGradeNone}</option>`, ...grades])}
      </${Input}>
      <${Input} label=${t.rfTopics} f=${fTopics}>
        <${TextInput} f=${fTopics} value=${member.topics_completed} onValue=${onMember(index, 'topics_completed')} inputMode="numeric" />
      </${Input}>
      <div class="rf-checks">
        ${check(fLit, 'literate', t.rfLiterate)} ${check(fSchool, 'in_school', t.rfInSchool)}
      </div>
    </div>
    ${onRemove
      ? html`<p class="rf-remove">
          <button type="button" class="btn btn-small btn-danger" data-testid="rf-remove-member" onClick=${onRemove}>${t.rfRemoveMember}</button>
        </p>`
      : null}
  </fieldset>`;
}

/**
 * The fields a clan and a learning unit share: where it is (a village for a clan, the
 * managing unit for a learning unit: `place` names the field), its code when new, its name;
 * `children` adds the rest.
 */
function PlacedFields({ t, lang, user, year, isNew, values, set, field, resets, place, placeLabel, nameLabel, children }) {
  const fCode = field('code', t.rfCodeHint);
  const fName = field('name');
  return html`<section class="panel rf-section">
    <div class="panel-body rf-grid">
      <${UnitPicker}
        key=${`${place}${resets}`}
        t=${t}
        lang=${lang}
        label=${placeLabel}
        root=${user.unit.code}
        year=${year}
        value=${values[place]}
        start=${values[place] || values.start}
        target=${place}
        f=${field(place)}
        onChange=${set(place)}
      />
      ${isNew
        ? html`<${Input} label=${t.rfCode} f=${fCode}>
            <${TextInput} f=${fCode} value=${values.code} onValue=${set('code')} />
          </${Input}>`
        : null}
      <${Input} label=${nameLabel} f=${fName} required>
        <${TextInput} f=${fName} value=${values.name} onValue=${set('name')} required />
      </${Input}>
      ${children}
    </div>
  </section>`;
}

function ClanFields(props) {
  const { t } = props;
  return html`<${PlacedFields} ...${props} place="village" placeLabel=${t.rfVillage} nameLabel=${t.rfClanName} />`;
}

function UnitFields(props) {
  const { t, values, set, field } = props;
  const fKind = field('kind');
  return html`<${PlacedFields} ...${props} place="admin" placeLabel=${t.rfAdmin} nameLabel=${t.rfUnitName}>
    <${Input} label=${t.rfKind} f=${fKind} required>
      <select
        id=${fKind.id}
        class="text-input"
        data-testid=${fKind.id}
        value=${values.kind}
        aria-describedby=${fKind.describedBy}
        onChange=${(e) => set('kind')(e.currentTarget.value)}
      >
        <option value="">${t.rfPick}</option>
        ${KINDS.map((k) => html`<option value=${k}>${t.rfKinds[k]}</option>`)}
      </select>
    </${Input}>
  </${PlacedFields}>`;
}

/**
 * Choosing a unit inside the user's area, one level at a time from the
 * user's own unit down: a village (target "village": households, clans) or
 * a managing unit of a learning unit (target "admin": the user's unit or any
 * unit below it but villages). `start` opens the lists at a unit (the stored
 * one, or the unit whose panel the form was opened from). onParent(code)
 * tells which unit the last list belongs to (the household form offers that
 * unit's clans).
 */
function UnitPicker({ t, lang, label, root, year, value, start, target, f, onChange, onParent = null }) {
  const date = `${year}-12-31`;
  const [steps, setSteps] = useState(null); // [{parent, parentName, options, selected}]; null: loading
  const [fixed, setFixed] = useState(null); // the user's own unit when it is a village
  const keep = (units) => (target === 'village' ? units : units.filter((u) => u.level !== 'village'));
  const children = (code) =>
    api.units(date, code).then(
      (body) => keep(Array.isArray(body.units) ? body.units : []),
      () => [],
    );

  useEffect(() => {
    let live = true;
    (async () => {
      const own = await api.unit(root, date).catch(() => null);
      const ownUnit = own && own.unit ? own.unit : null;
      if (ownUnit && ownUnit.level === 'village') {
        if (!live) return;
        setFixed(ownUnit);
        setSteps([]);
        if (target === 'village' && value !== root) onChange(root);
        return;
      }
      let chain = [];
      if (start && start !== root) {
        const info = await api.unit(start, date).catch(() => null);
        if (info && info.unit) {
          const codes = [...(info.ancestors || []).map((a) => a.code), start];
          const at = codes.indexOf(root);
          if (at >= 0) chain = codes.slice(at + 1);
        }
      }
      const out = [];
      let parent = root;
      let parentName = ownUnit ? ownUnit.name : root;
      for (let depth = 0; depth < 6; depth += 1) {
        const options = await children(parent);
        if (!options.length) break;
        const selected = chain[depth] && options.some((u) => u.code === chain[depth]) ? chain[depth] : '';
        out.push({ parent, parentName, options, selected });
        const unit = options.find((u) => u.code === selected);
        if (!unit || unit.level === 'village' || !unit.child_count) break;
        parent = unit.code;
        parentName = unit.name;
      }
      if (!live) return;
      if (!out.length && target === 'admin' && ownUnit) setFixed(ownUnit); /* nothing below to choose */
      setSteps(out);
      if (onParent) onParent(out.length ? out[out.length - 1].parent : root);
      if (target === 'admin') {
        // the deepest unit chosen, else the user's own
        const chosen = out.filter((s) => s.selected).map((s) => s.selected);
        const derived = chosen.length ? chosen[chosen.length - 1] : root;
        if (derived !== value) onChange(derived);
      }
    })();
    return () => {
      live = false;
    };
  }, [root, date]);

  const choose = async (depth, code) => {
    const base = steps.slice(0, depth + 1).map((s, i) => (i === depth ? { ...s, selected: code } : s));
    setSteps(base);
    const step = base[depth];
    const unit = step.options.find((u) => u.code === code) || null;
    if (target === 'village') onChange(unit && unit.level === 'village' ? code : '');
    else onChange(code || step.parent);
    if (onParent) onParent(step.parent);
    if (unit && unit.level !== 'village' && unit.child_count) {
      const options = await children(code);
      if (!options.length) return;
      setSteps((current) =>
        current && current.length === depth + 1 && current[depth].selected === code
          ? [...current, { parent: code, parentName: unit.name, options, selected: '' }]
          : current,
      );
      if (onParent) onParent(code);
    }
  };

  const error = f.error ? html`<p class="field-error" id=${`${f.id}-error`} data-testid=${`${f.id}-error`}>${f.error}</p>` : null;
  if (fixed) {
    return html`<div class="field rf-picker" data-testid=${`${f.id}-picker`}>
      <span class="field-label">${label}</span>
      <p class="rf-fixed" data-testid=${f.id} data-code=${fixed.code}>${fixed.name} (${fixed.code})</p>
      ${error}
    </div>`;
  }
  return html`<fieldset class=${f.error ? 'field rf-picker has-error' : 'field rf-picker'} data-testid=${`${f.id}-picker`} data-value=${value || ''}>
    <legend class="field-label">${label} <span class="rf-required" aria-hidden="true">*</span></legend>
    ${steps === null ? html`<p class="muted" role="status">${t.rfPickLoading}</p>` : null}
    ${(steps || []).map((step, depth) => {
      const id = depth === 0 ? f.id : `${f.id}-${depth}`;
      const last = depth === steps.length - 1;
      const levelName = apiText(step.options[0], 'level_name', lang) || fill(t.rfPickLevel, { n: depth + 1 });
      return html`<div class="rf-step">
        <label class="rf-step-label" for=${id}>${levelName}</label>
        <select
          id=${id}
          class="text-input"
          data-testid=${`${f.id}-step`}
          data-depth=${depth}
          value=${step.selected}
          aria-invalid=${f.error && last ? 'true' : null}
          aria-describedby=${last && f.error ? `${f.id}-error` : null}
          onChange=${(e) => choose(depth, e.currentTarget.value)}
        >
          <option value="">${target === 'admin' ? fill(t.rfPickItself, { name: step.parentName }) : t.rfPick}</option>
          ${step.options.map((u) => html`<option value=${u.code}>${u.name} (${u.code})</option>`)}
        </select>
      </div>`;
    })}
    ${error}
  </fieldset>`;
}

/** Clans and learning units have no page of their own: open one to change by name or code. */
function OpenExisting({ t, user, form, year }) {
  const [items, setItems] = useState([]);
  const [text, setText] = useState('');
  useEffect(() => {
    let live = true;
    const load = form === 'clan' ? api.clans(user.unit.code, year) : api.orgs(user.unit.code, year);
    load.then(
      (body) => live && setItems((form === 'clan' ? body.clans : body.organisations) || []),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [form, year]);
  const pick = () => {
    const typed = text.trim();
    const found = items.find((x) => x.code === typed || `${x.name} (${x.code})` === typed) || null;
    const code = found ? found.code : typed;
    if (code) window.location.hash = regformHash({ form, code, year });
  };
  const listId = `rf-open-${form}-list`;
  return html`<section class="panel rf-open no-print">
    <div class="panel-body">
      <label class="field-label" for="rf-open">${form === 'clan' ? t.rfOpenClan : t.rfOpenUnit}</label>
      <div class="rf-open-row">
        <input
          id="rf-open"
          class="text-input"
          list=${listId}
          value=${text}
          placeholder=${t.rfOpenPlaceholder}
          data-testid="rf-open"
          onInput=${(e) => setText(e.currentTarget.value)}
          onKeyDown=${(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              pick();
            }
          }}
        />
        <datalist id=${listId}>${items.map((x) => html`<option value=${`${x.name} (${x.code})`}></option>`)}</datalist>
        <button type="button" class="btn" data-testid="rf-open-go" onClick=${pick}>${t.rfOpen}</button>
      </div>
    </div>
  </section>`;
}

