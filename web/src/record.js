// One record's page (#/ho-so/TITLE/YEAR/CODE): the registration, the
// self-assessment form generated from the criteria in force, the live score,
// the evidence, and the workflow's steps (docs/workflow.md): save, submit for
// review, accept or return (reviewers), unlock a decided record (approvers).
//
// Unsaved changes are a draft: the changed fields only, kept in localStorage
// per user and record so a reload keeps them, cleared after a save. While
// there is a draft, its results come from POST /record/preview (nothing
// saved) ~300 ms after the last change; without one, from the record itself.
// Problems are shown at their field: those the page finds while typing
// (record-form.js, the same rules as the server) and the server's 422.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatDate, formatDateTime, localToday } from './format.js';
import { useLoad } from './load.js';
import { householdHash, pageOf, parseRecordHash, stagesHash } from './route.js';
import { ErrorAlert, PageFrame, Refusal, errorText } from './shell.js';
import { can, useSession } from './session.js';
import { TextDialog } from './widgets.js';
import { StageBadge, problemText, scoreText, titleName } from './record-common.js';
import {
  ItemGroups,
  RegistrationFields,
  registrationProblem,
  storedText,
  valueProblem,
  wireValue,
} from './record-form.js';

const PREVIEW_PAUSE_MS = 300;
const EMPTY_DRAFT = { values: {} };
const LOCKED = ['recognised', 'not-recognised'];

export function RecordPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const [route, setRoute] = useState(() => parseRecordHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'record') setRoute(parseRecordHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const frame = { t, lang, onLang, page: 'record' };
  if (!can(user, 'records.read')) {
    return html`<${PageFrame} ...${frame} title=${t.recordTitle} testId="record" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  // A record of its own: another record starts afresh (its draft, its dialogs).
  const key = `${route.title}|${route.year}|${route.code}`;
  return html`<${Record} key=${key} t=${t} lang=${lang} user=${user} frame=${frame} route=${route} />`;
}

/** Where a user's draft of a record is kept in localStorage. */
function draftKey(user, { title, year, code }) {
  return `hoctap.draft.${user.username}.${title}.${year}.${code}`;
}

function loadDraft(key) {
  try {
    const saved = JSON.parse(window.localStorage.getItem(key) || 'null');
    if (saved && typeof saved === 'object' && saved.values && typeof saved.values === 'object') return saved;
  } catch {
    /* no draft, or one that cannot be read: start clean */
  }
  return null;
}

function storeDraft(key, draft) {
  try {
    if (draftIsEmpty(draft)) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    /* storage full or refused: the draft still holds for this page */
  }
}

const draftIsEmpty = (draft) =>
  !draft || (Object.keys(draft.values || {}).length === 0 && !('registered' in draft) && !('form_group' in draft));

/** The request body for a draft: only what changed. */
function bodyOf(record, draft) {
  const body = {};
  if ('registered' in draft) {
    body.registered = draft.registered;
    if (draft.registered && draft.registered_on) body.registered_on = draft.registered_on;
  }
  if ('form_group' in draft) body.form_group = draft.form_group;
  const items = Object.fromEntries((record.items || []).map((item) => [item.key, item]));
  const values = {};
  for (const [key, text] of Object.entries(draft.values || {})) {
    if (items[key]) values[key] = wireValue(items[key], text);
  }
  if (Object.keys(values).length) body.values = values;
  return body;
}

/** The default registration date: today, or the year's last day for a past year (as the server). */
function defaultRegistration(year) {
  const today = localToday();
  const last = `${year}-12-31`;
  return today > last ? last : today;
}

/** A server problem's field as the page names it: an item key, 'registration', 'form_group' or 'general'. */
function fieldOf(problem, record) {
  const field = problem.field || '';
  if (field === '--registered' || field === 'registration' || field === 'registered_on') return 'registration';
  if (field === '--group' || field === 'form_group') return 'form_group';
  if ((record.items || []).some((item) => item.key === field)) return field;
  return 'general';
}

function Record({ t, lang, user, frame, route }) {
  const target = { title: route.title, year: route.year, code: route.code, lang };
  const [reloads, setReloads] = useState(0);
  const slot = useLoad(
    route.title && route.code ? `${route.title}|${route.year}|${route.code}|${lang}` : null,
    () => api.record(target),
    reloads,
  );
  const [record, setRecord] = useState(null);
  useEffect(() => {
    if (slot.state === 'ready') setRecord(slot.data);
  }, [slot.state, slot.data]);

  const storage = draftKey(user, route);
  const [draft, setDraftState] = useState(() => loadDraft(storage) || EMPTY_DRAFT);
  const [restored] = useState(() => {
    const saved = loadDraft(storage);
    return saved && !draftIsEmpty(saved) ? saved.saved_at || null : null;
  });
  const setDraft = (update) =>
    setDraftState((previous) => {
      const next = typeof update === 'function' ? update(previous) : update;
      const stamped = draftIsEmpty(next) ? EMPTY_DRAFT : { ...next, saved_at: new Date().toISOString() };
      storeDraft(storage, stamped);
      return stamped;
    });

  const [serverProblems, setServerProblems] = useState([]); // [{field, text}]
  const [busy, setBusy] = useState(null); // save | submit | accept | return | unlock
  const [notice, setNotice] = useState(null);
  const [failure, setFailure] = useState(null);
  const [asking, setAsking] = useState(null); // return | unlock
  const [askError, setAskError] = useState(null);

  const editable = Boolean(record && record.can && record.can.edit);
  // A draft of a record that can no longer change (submitted meanwhile, locked) is not applied;
  // the page says so and offers to discard it.
  const stale = Boolean(record) && !editable && !draftIsEmpty(draft);
  const active = editable ? draft : EMPTY_DRAFT;
  const dirty = !draftIsEmpty(active);

  // The form as shown: the record with the draft over it.
  const form = useMemo(() => {
    if (!record) return null;
    const texts = {};
    for (const item of record.items || []) {
      texts[item.key] = item.key in active.values ? active.values[item.key] : storedText(item);
    }
    const registered = 'registered' in active ? active.registered : Boolean(record.registered_on);
    const registeredOn = active.registered_on || record.registered_on || defaultRegistration(record.year);
    const group = 'form_group' in active ? active.form_group : record.form_group;
    return { texts, registered, registered_on: registeredOn, form_group: group };
  }, [record, active]);

  // What the page finds wrong, by field (shown at once, before any request).
  const localProblems = useMemo(() => {
    const found = {};
    if (!record || !form) return found;
    for (const item of record.items || []) {
      if (!(item.key in active.values)) continue;
      const problem = valueProblem(t, item, active.values[item.key]);
      if (problem) found[item.key] = problem;
    }
    if ('registered' in active && active.registered) {
      const problem = registrationProblem(t, form.registered_on, record.year);
      if (problem) found.registration = problem;
    }
    return found;
  }, [record, form, active, lang]);

  const errors = useMemo(() => {
    const shown = {};
    for (const problem of serverProblems) if (!shown[problem.field]) shown[problem.field] = problem.text;
    return { ...shown, ...localProblems };
  }, [serverProblems, localProblems]);
  const generalProblems = serverProblems.filter((problem) => problem.field === 'general');

  // The live score: a preview of the draft, a pause after the last change.
  const [preview, setPreview] = useState({ state: 'idle', key: null, results: null, error: null });
  const previewSeq = useRef(0);
  const draftText = JSON.stringify(record ? bodyOf(record, active) : {});
  useEffect(() => {
    if (!record || !dirty) {
      previewSeq.current++;
      setPreview({ state: 'idle', key: null, results: null, error: null });
      return undefined;
    }
    const mine = ++previewSeq.current;
    setPreview((previous) => ({ ...previous, state: 'loading' }));
    const timer = setTimeout(() => {
      api.previewRecord(target, JSON.parse(draftText)).then(
        (body) => {
          if (mine !== previewSeq.current) return;
          setPreview({ state: 'ready', key: draftText, results: body.results, error: null });
          // Values the server could not read: at their fields (the page's own checks come first).
          setServerProblems((previous) => [
            ...previous.filter((problem) => problem.source !== 'preview'),
            ...(body.problems || []).map((problem) => ({
              field: fieldOf(problem, record),
              text: problemText(problem, lang),
              source: 'preview',
            })),
          ]);
        },
        (error) => mine === previewSeq.current && setPreview({ state: 'error', key: draftText, results: null, error }),
      );
    }, PREVIEW_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draftText, record, lang]);

  const results = dirty ? preview.results : record ? record.results : null;

  const forget = (field) => setServerProblems((previous) => previous.filter((problem) => problem.field !== field));
  const onValue = (item, text) => {
    forget(item.key);
    setNotice(null);
    setDraft((previous) => {
      const values = { ...previous.values };
      if (text === storedText(item)) delete values[item.key];
      else values[item.key] = text;
      return { ...previous, values };
    });
  };
  const onRegistered = (checked) => {
    forget('registration');
    setNotice(null);
    setDraft((previous) => {
      const next = { ...previous };
      const was = Boolean(record.registered_on);
      if (checked === was && (!checked || !previous.registered_on)) {
        delete next.registered;
        delete next.registered_on;
      } else {
        next.registered = checked;
        if (checked) next.registered_on = previous.registered_on || record.registered_on || defaultRegistration(record.year);
        else delete next.registered_on;
      }
      return next;
    });
  };
  const onDate = (date) => {
    forget('registration');
    setNotice(null);
    setDraft((previous) => {
      const next = { ...previous, registered: true, registered_on: date };
      if (record.registered_on && date === record.registered_on) {
        delete next.registered;
        delete next.registered_on;
      }
      return next;
    });
  };
  const onGroup = (group) => {
    forget('form_group');
    setNotice(null);
    setDraft((previous) => {
      const next = { ...previous, form_group: group };
      if (group === record.form_group || group === null) delete next.form_group;
      return next;
    });
  };

  /** A refused request: the 422 problems at their fields, anything else as an alert. */
  const refused = (error) => {
    if (error.status === 422 && error.problems.length) {
      setServerProblems(
        error.problems.map((problem) => ({ field: fieldOf(problem, record), text: problemText(problem, lang), source: 'server' })),
      );
    } else if (error.status === 422 || error.status === 409) {
      setServerProblems([{ field: 'general', text: errorText(error, t, lang), source: 'server' }]);
    } else {
      setFailure(error);
    }
  };

  /** PUT the draft; true when saved (or nothing to save). */
  const save = async () => {
    if (!dirty) return true;
    if (Object.keys(localProblems).length) {
      setNotice({ kind: 'fix' });
      return false;
    }
    setBusy('save');
    setFailure(null);
    setNotice(null);
    try {
      const saved = await api.saveRecord(target, bodyOf(record, active));
      setRecord(saved);
      setDraft(EMPTY_DRAFT);
      setServerProblems([]);
      setNotice({ kind: 'saved' });
      return true;
    } catch (error) {
      refused(error);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const step = async (name, body) => {
    setBusy(name);
    setFailure(null);
    setNotice(null);
    try {
      const after = await api.recordStep(name, target, body);
      setRecord(after);
      setServerProblems([]);
      setAsking(null);
      setNotice({ kind: name });
      return true;
    } catch (error) {
      if (asking) setAskError(errorText(error, t, lang));
      else refused(error);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    if (!(await save())) return;
    await step('submit');
  };

  const state =
    slot.state === 'error'
      ? slot.error.status === 403
        ? 'forbidden'
        : slot.error.status === 404
          ? 'notfound'
          : 'error'
      : record
        ? 'ready'
        : 'loading';
  const title = record ? record.name || record.code : route.code || t.recordTitle;
  const lead = record ? `${titleName(record, lang)} · ${t.yearWord} ${record.year} · ${record.code}` : null;

  return html`<${PageFrame}
    ...${frame}
    title=${title}
    lead=${lead}
    testId="record"
    state=${state}
    attrs=${{
      'data-title': route.title || '',
      'data-year': route.year || '',
      'data-code': route.code || '',
      'data-stage': record ? record.stage : '',
      'data-locked': record ? String(Boolean(record.locked)) : '',
      'data-editable': record ? String(editable) : '',
      'data-dirty': String(dirty),
    }}
  >
    ${state === 'forbidden'
      ? html`<${Refusal} t=${t} title=${t.recordForbidden} hint=${errorText(slot.error, t, lang)} testId="record-forbidden" />`
      : state === 'notfound' || (state === 'error' && slot.error.status === 422)
        ? html`<${Refusal} t=${t} title=${t.recordNotFound} hint=${errorText(slot.error, t, lang)} testId="record-notfound" />`
        : state === 'error'
          ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />`
          : !record
            ? html`<p class="panel panel-body muted" role="status">${t.loading}</p>`
            : html`
                <${RecordHeader} t=${t} lang=${lang} record=${record} />
                <div class="record-layout">
                  <div class="record-main">
                    <${ReadOnlyNote} t=${t} record=${record} editable=${editable} />
                    ${dirty || stale
                      ? html`<div class="draft-notice" role="status" data-testid="draft-notice" data-stale=${String(stale)}>
                          <p>
                            <strong>${t.draftUnsaved}</strong>
                            ${stale
                              ? ` ${t.draftStale}`
                              : restored
                                ? ` ${fill(t.draftRestored, { time: formatDateTime(restored) })}`
                                : ` ${t.draftHint}`}
                          </p>
                          <button type="button" class="btn btn-small" data-testid="draft-clear" onClick=${() => {
                            setDraft(EMPTY_DRAFT);
                            setServerProblems([]);
                          }}>
                            ${t.draftClear}
                          </button>
                        </div>`
                      : null}
                    <${RegistrationFields}
                      t=${t}
                      record=${record}
                      form=${form}
                      editable=${editable}
                      errors=${errors}
                      onRegistered=${onRegistered}
                      onDate=${onDate}
                      onGroup=${onGroup}
                    />
                    <${ItemGroups}
                      t=${t}
                      lang=${lang}
                      record=${record}
                      texts=${form.texts}
                      results=${results}
                      editable=${editable}
                      errors=${errors}
                      target=${target}
                      onValue=${onValue}
                      onRecord=${(next) => setRecord(next)}
                    />
                  </div>
                  <aside class="record-side">
                    <${ScorePanel} t=${t} lang=${lang} record=${record} results=${results} dirty=${dirty} preview=${preview} />
                    <${Actions}
                      t=${t}
                      lang=${lang}
                      record=${record}
                      dirty=${dirty}
                      busy=${busy}
                      notice=${notice}
                      failure=${failure}
                      generalProblems=${generalProblems}
                      fieldProblems=${Object.keys(errors).filter((field) => field !== 'general').length}
                      onSave=${save}
                      onSubmit=${submit}
                      onAccept=${() => step('accept')}
                      onAsk=${(what) => {
                        setAskError(null);
                        setAsking(what);
                      }}
                    />
                  </aside>
                </div>
              `}
    ${asking
      ? html`<${TextDialog}
          t=${t}
          title=${asking === 'return' ? fill(t.returnTitle, { name: title }) : fill(t.unlockTitle, { name: title })}
          text=${asking === 'return' ? t.returnText : t.unlockText}
          label=${asking === 'return' ? t.returnComment : t.unlockReason}
          confirmLabel=${asking === 'return' ? t.actionReturn : t.actionUnlock}
          required=${true}
          danger=${true}
          busy=${busy === asking}
          error=${askError}
          onConfirm=${(text) => step(asking, asking === 'return' ? { comment: text } : { reason: text })}
          onCancel=${() => setAsking(null)}
        />`
      : null}
  </${PageFrame}>`;
}

/** Stage and lock, the reviewer's comment, the deadlines, a recognition still held, the certificate. */
function RecordHeader({ t, lang, record }) {
  const due = record.due || {};
  const waiting = {
    open: record.registered_on ? ['submit'] : ['register', 'submit'],
    returned: ['submit'],
    submitted: ['review'],
    accepted: ['decide'],
  }[record.stage] || [];
  const today = localToday();
  const certificate = record.certificate;
  const holding = record.holding;
  return html`<div class="record-head">
    <p class="record-status">
      <${StageBadge} t=${t} stage=${record.stage} testId="record-stage" />
      ${record.locked ? html`<span class="lock-badge" data-testid="record-locked">${t.recordLocked}</span>` : null}
      ${record.stage === 'open'
        ? html`<span class="muted record-progress">
            ${record.registered_on ? fill(t.recordRegisteredOn, { date: formatDate(record.registered_on) }) : t.recordNotRegistered}
          </span>`
        : null}
      <a class="back-link no-print" href=${stagesHash({ title: record.title, year: record.year, stage: record.stage })} data-testid="record-back">
        ← ${fill(t.recordBackToList, { stage: t.stageNames[record.stage] || record.stage })}
      </a>
      ${record.entity === 'household'
        ? html`<a class="back-link no-print" href=${householdHash(record.code, record.year)} data-testid="record-household">${t.recordHousehold}</a>`
        : null}
    </p>
    ${record.comment
      ? html`<div
          class=${record.stage === 'returned' ? 'record-comment is-returned' : 'record-comment'}
          role=${record.stage === 'returned' ? 'alert' : null}
          data-testid="record-comment"
        >
          <p class="record-comment-label">
            ${record.stage === 'returned'
              ? t.commentReturned
              : record.stage === 'not-recognised'
                ? t.commentNotRecognised
                : t.commentReview}
          </p>
          <p class="record-comment-text">${record.comment}</p>
        </div>`
      : null}
    ${holding
      ? html`<p class="record-holding" data-testid="record-holding">
          ${fill(t.holdingText, { date: formatDate(holding.valid_until), code: holding.code, signed: formatDate(holding.signed_on || '') })}
        </p>`
      : null}
    ${certificate
      ? html`<div class=${certificate.revoked ? 'record-certificate is-revoked' : 'record-certificate'} data-testid="record-certificate" data-code=${certificate.code}>
          <p>
            <strong>${fill(t.certificateLine, { code: certificate.code })}</strong>
            ${certificate.valid_until ? ` · ${fill(t.certificateValid, { date: formatDate(certificate.valid_until) })}` : ''}
            ${certificate.revoked ? html` · <span class="revoked">${t.certificateRevoked}${certificate.revoked_reason ? `: ${certificate.revoked_reason}` : ''}</span>` : null}
          </p>
          <p class="link-row">
            <a href=${`api/v1/certificates/${encodeURIComponent(certificate.code)}.pdf`} data-testid="record-certificate-pdf" target="_blank" rel="noopener"
              >${t.certificatePdf}</a
            >
            <a href=${`verify/${encodeURIComponent(certificate.code)}`} data-testid="record-certificate-verify" target="_blank" rel="noopener"
              >${t.certificateVerify}</a
            >
          </p>
        </div>`
      : null}
    <dl class="record-due" data-testid="record-due">
      ${['register', 'submit', 'review', 'decide'].map((name) => {
        const date = due[name];
        const current = waiting.includes(name);
        const late = current && date && date < today;
        return html`<div class=${`${current ? 'is-current' : ''}${late ? ' is-late' : ''}`} data-step=${name}>
          <dt>${t.dueSteps[name]}</dt>
          <dd>${date ? formatDate(date) : '—'}${late ? html` <span class="late-tag">${t.dueLate}</span>` : null}</dd>
        </div>`;
      })}
    </dl>
  </div>`;
}

/** Why the form cannot be changed, when it cannot. */
function ReadOnlyNote({ t, record, editable }) {
  if (editable) return null;
  const reason = LOCKED.includes(record.stage)
    ? t.readonlyLocked
    : record.stage === 'submitted'
      ? t.readonlySubmitted
      : record.stage === 'accepted'
        ? t.readonlyAccepted
        : t.readonlyNoPermission;
  return html`<p class="readonly-note" role="note" data-testid="readonly-note">${reason}</p>`;
}

/** The score now (saved) or as the draft would make it (preview), and the verdict. */
function ScorePanel({ t, lang, record, results, dirty, preview }) {
  const items = results && Array.isArray(results.items) ? results.items : [];
  const max = items.reduce((sum, item) => sum + (Number(item.max) || 0), 0);
  const state = dirty ? (preview.state === 'idle' ? 'loading' : preview.state) : results ? 'ready' : 'none';
  const recognised = results ? Boolean(results.recognised) : null;
  return html`<section
    class=${`panel score-panel${state === 'loading' ? ' is-busy' : ''}`}
    aria-labelledby="score-heading"
    aria-live="polite"
    data-testid="score"
    data-state=${state}
    data-source=${dirty ? 'preview' : 'saved'}
    data-total=${results ? results.total ?? '' : ''}
    data-level=${results ? results.level ?? '' : ''}
    data-recognised=${recognised === null ? '' : String(recognised)}
  >
    <div class="panel-head">
      <h2 id="score-heading">${dirty ? t.scorePreview : t.scoreSaved}</h2>
      ${state === 'loading' ? html`<span class="loading-chip">${t.scoreComputing}</span>` : null}
    </div>
    <div class="panel-body">
      ${state === 'error'
        ? html`<p class="field-error" role="alert" data-testid="score-error">${errorText(preview.error, t, lang)}</p>`
        : !results
          ? html`<p class="muted">${t.scoreNone}</p>`
          : html`<p class="score-value" data-testid="score-value">
                ${scoreText(t, lang, { levels: record.levels, total: results.total, level: results.level, max })}
              </p>
              <p class=${recognised ? 'verdict is-yes' : 'verdict is-no'} data-testid="score-verdict">
                <span aria-hidden="true">${recognised ? '✓' : '✗'}</span> ${recognised ? t.scoreMeets : t.scoreMisses}
              </p>
              ${results.registered === false ? html`<p class="muted">${t.scoreNotRegistered}</p>` : null}
              ${results.recognition ? html`<p class="score-why" data-testid="score-why">${results.recognition}</p>` : null}
              ${dirty ? html`<p class="field-hint">${t.scorePreviewHint}</p>` : null}`}
    </div>
  </section>`;
}

/** The buttons of the steps this user may take now, and what happened. */
function Actions({ t, lang, record, dirty, busy, notice, failure, generalProblems, fieldProblems, onSave, onSubmit, onAccept, onAsk }) {
  const can = record.can || {};
  const noticeText = notice
    ? {
        saved: t.noticeSaved,
        submit: t.noticeSubmitted,
        accept: t.noticeAccepted,
        return: t.noticeReturned,
        unlock: t.noticeUnlocked,
        fix: t.noticeFix,
      }[notice.kind]
    : null;
  const any = can.edit || can.submit || can.accept || can.return || can.unlock;
  if (!any && !noticeText && !failure && !generalProblems.length) return null;
  return html`<section class="panel record-actions" aria-label=${t.recordActions} data-testid="record-actions">
    <div class="panel-body">
      ${noticeText
        ? html`<p class=${notice.kind === 'fix' ? 'form-alert' : 'notice'} role="status" data-testid="record-notice" data-kind=${notice.kind}>
            ${noticeText}
          </p>`
        : null}
      ${failure ? html`<p class="form-alert" role="alert" data-testid="record-failure">${errorText(failure, t, lang)}</p>` : null}
      ${generalProblems.length || fieldProblems
        ? html`<div class="form-alert" role="alert" data-testid="record-problems">
            ${fieldProblems ? html`<p>${fill(t.problemsAtFields, { n: fieldProblems })}</p>` : null}
            ${generalProblems.map((problem) => html`<p data-testid="record-problem">${problem.text}</p>`)}
          </div>`
        : null}
      <div class="action-buttons">
        ${can.edit
          ? html`<button type="button" class="btn" data-testid="record-save" disabled=${!dirty || Boolean(busy)} onClick=${onSave}>
              ${busy === 'save' ? t.saving : t.actionSave}
            </button>`
          : null}
        ${can.submit
          ? html`<button type="button" class="btn btn-primary" data-testid="record-submit" disabled=${Boolean(busy)} onClick=${onSubmit}>
              ${busy === 'submit' ? t.submitting : t.actionSubmit}
            </button>`
          : null}
        ${can.accept
          ? html`<button type="button" class="btn btn-primary" data-testid="record-accept" disabled=${Boolean(busy)} onClick=${onAccept}>
              ${t.actionAccept}
            </button>`
          : null}
        ${can.return
          ? html`<button type="button" class="btn btn-danger" data-testid="record-return" disabled=${Boolean(busy)} onClick=${() => onAsk('return')}>
              ${t.actionReturn}
            </button>`
          : null}
        ${can.unlock
          ? html`<button type="button" class="btn btn-danger" data-testid="record-unlock" disabled=${Boolean(busy)} onClick=${() => onAsk('unlock')}>
              ${t.actionUnlock}
            </button>`
          : null}
      </div>
      ${can.submit ? html`<p class="field-hint">${t.submitHint}</p>` : null}
    </div>
  </section>`;
}
