// "Lập quyết định công nhận": the recognition decision an approver makes for
// the accepted records of a unit (POST /api/v1/decisions, docs/workflow.md).
// Every accepted record of the unit is decided: the ones that meet the
// criteria are ticked to be recognised; an unticked one is not recognised and
// needs a reason. When every record is ticked the request says
// `all_accepted: true`, so a commune's 3,000 households are one small request.
// A refused decision (422) lists every problem, each row's beside the row.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { fill } from './i18n.js';
import { formatCount, formatDate, isIsoDate, localToday } from './format.js';
import { errorText } from './shell.js';
import { Field, describedBy } from './widgets.js';
import { problemText, titleName, titleSetting } from './record-common.js';

/**
 * Every accepted record of `params` {title, year, unit} (all pages of the
 * stage list), and what the approver chose for each: {recognise, reason}.
 * null params: nothing loaded.
 */
export function useDecisionRows(params, reloads) {
  const key = params ? `${params.title}|${params.year}|${params.unit}` : null;
  const [loaded, setLoaded] = useState({ key: null, state: 'idle', rows: [], error: null });
  const [choices, setChoices] = useState({});
  const [problems, setProblems] = useState({}); // code -> [text]

  useEffect(() => {
    if (!key) return undefined;
    let live = true;
    setLoaded((previous) => ({ ...previous, key, state: 'loading' }));
    (async () => {
      const rows = [];
      for (let page = 1; ; page++) {
        const body = await api.stageRecords({ ...params, stage: 'accepted', page });
        const list = Array.isArray(body.rows) ? body.rows : [];
        rows.push(...list);
        if (list.length === 0 || rows.length >= body.total) break;
      }
      return rows;
    })().then(
      (rows) => {
        if (!live) return;
        setLoaded({ key, state: 'ready', rows, error: null });
        // A new row starts ticked when it meets the criteria; earlier choices stay.
        setChoices((previous) => {
          const next = {};
          for (const row of rows) next[row.code] = previous[row.code] || { recognise: row.meets === true, reason: '' };
          return next;
        });
        setProblems({});
      },
      (error) => live && setLoaded({ key, state: 'error', rows: [], error }),
    );
    return () => {
      live = false;
    };
  }, [key, reloads]);

  return {
    state: loaded.key === key ? loaded.state : 'loading',
    rows: loaded.key === key ? loaded.rows : [],
    error: loaded.error,
    choices,
    choiceOf: (row) => choices[row.code] || null,
    setChoice: (code, change) =>
      setChoices((previous) => ({ ...previous, [code]: { ...(previous[code] || { recognise: false, reason: '' }), ...change } })),
    setAll: (recognise) =>
      setChoices((previous) => {
        const next = {};
        for (const [code, choice] of Object.entries(previous)) next[code] = { ...choice, recognise };
        return next;
      }),
    problemsOf: (code) => problems[code] || [],
    setProblems,
  };
}

const FIELDS = ['number', 'signed_on', 'signer_name', 'signer_position'];

export function DecisionForm({ t, lang, title, titleInfo, year, unit, decision, onDecided }) {
  const [form, setForm] = useState({ number: '', signed_on: localToday(), signer_name: '', signer_position: '' });
  const [settings, setSettings] = useState(null);
  const [errors, setErrors] = useState({}); // field -> text
  const [problems, setProblems] = useState([]); // every problem of a refused decision, as text
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null);

  // The signer's position and the issuing body as the workflow settings print them.
  useEffect(() => {
    let live = true;
    api.workflowSettings().then(
      (body) => live && setSettings(body.text || ''),
      () => live && setSettings(''),
    );
    return () => {
      live = false;
    };
  }, []);
  // In the settings "\n" starts a new line (a position on two lines: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH").
  const signer = settings ? titleSetting(settings, title, 'signer').replace(/\\n/g, '\n') : '';
  const issuer = settings ? titleSetting(settings, title, 'issuer').replace(/\\n/g, ' ') : '';
  useEffect(() => {
    if (signer) setForm((previous) => (previous.signer_position ? previous : { ...previous, signer_position: signer }));
  }, [signer]);

  const rows = decision.rows;
  const counts = useMemo(() => {
    let recognised = 0;
    for (const row of rows) if (decision.choices[row.code] && decision.choices[row.code].recognise) recognised++;
    return { recognised, not: rows.length - recognised };
  }, [rows, decision.choices]);

  const set = (name) => (event) => {
    const value = event.currentTarget.value;
    setForm((previous) => ({ ...previous, [name]: value }));
    setErrors((previous) => ({ ...previous, [name]: null }));
  };

  /** What the page can tell before asking the server (the server checks again). */
  function check() {
    const found = {};
    if (!form.number.trim()) found.number = t.decisionNumberMissing;
    if (!form.signer_name.trim()) found.signer_name = t.decisionSignerMissing;
    if (!isIsoDate(form.signed_on)) found.signed_on = t.decisionDateInvalid;
    else if (form.signed_on > localToday()) found.signed_on = t.decisionDateFuture;
    else if (Number(form.signed_on.slice(0, 4)) < year) found.signed_on = fill(t.decisionDateBefore, { year });
    const rowProblems = {};
    for (const row of rows) {
      const choice = decision.choices[row.code];
      if (choice && !choice.recognise && !choice.reason.trim()) rowProblems[row.code] = [t.decisionReasonMissing];
    }
    return { found, rowProblems };
  }

  const submit = (event) => {
    event.preventDefault();
    setFailure(null);
    const { found, rowProblems } = check();
    setErrors(found);
    decision.setProblems(rowProblems);
    const rowCount = Object.keys(rowProblems).length;
    if (Object.keys(found).length || rowCount) {
      setProblems([
        ...Object.values(found),
        ...(rowCount ? [fill(t.decisionReasonsMissing, { n: formatCount(rowCount, lang) })] : []),
      ]);
      return;
    }
    const recognised = rows.filter((row) => decision.choices[row.code] && decision.choices[row.code].recognise);
    const refused = rows.filter((row) => !(decision.choices[row.code] && decision.choices[row.code].recognise));
    const body = {
      title,
      year,
      unit: unit.code,
      number: form.number.trim(),
      signed_on: form.signed_on,
      signer_name: form.signer_name.trim(),
    };
    if (form.signer_position.trim()) body.signer_position = form.signer_position.trim();
    // The server numbers the entries as it reads them: the refused ones first, then the listed ones.
    let order = null;
    if (refused.length === 0) {
      body.all_accepted = true;
    } else {
      body.not_recognised = refused.map((row) => ({ entity: row.code, reason: decision.choices[row.code].reason.trim() }));
      body.entities = recognised.map((row) => row.code);
      order = [...refused, ...recognised].map((row) => row.code);
    }
    setBusy(true);
    setProblems([]);
    api
      .createDecision(body)
      .then((created) =>
        api.decision(created.id).then(
          (full) => full,
          () => ({ ...created, certificates: [] }),
        ),
      )
      .then(
        (full) => {
          setBusy(false);
          setForm((previous) => ({ ...previous, number: '' }));
          onDecided(full);
        },
        (error) => {
          setBusy(false);
          if (error.status !== 422 || !error.problems.length) {
            setFailure(error);
            return;
          }
          const fieldErrors = {};
          const byRow = {};
          const texts = [];
          for (const problem of error.problems) {
            const text = problemText(problem, lang);
            texts.push(text);
            const match = /^entities\[(\d+)\]$/.exec(problem.field || '');
            const code = match && order ? order[Number(match[1])] : null;
            if (code) (byRow[code] = byRow[code] || []).push(text);
            else if (FIELDS.includes(problem.field)) fieldErrors[problem.field] = text;
          }
          setErrors(fieldErrors);
          decision.setProblems(byRow);
          setProblems(texts);
        },
      );
  };

  const input = (name, type, label, { hint = null, required = false, autocomplete = 'off' } = {}) => {
    const id = `decision-${name.replace('_', '-')}`;
    const attrs = {
      id,
      class: type === 'textarea' ? 'text-input decision-textarea' : 'text-input',
      'data-testid': id,
      value: form[name],
      required,
      autocomplete,
      'aria-invalid': errors[name] ? 'true' : 'false',
      'aria-describedby': describedBy(id, hint, errors[name]),
      onInput: set(name),
    };
    return html`<${Field} id=${id} label=${`${label}${required ? ' *' : ''}`} hint=${hint} error=${errors[name]} testId=${`${id}-error`}>
      ${type === 'textarea'
        ? html`<textarea rows="2" ...${attrs}></textarea>`
        : html`<input type=${type} max=${type === 'date' ? localToday() : null} ...${attrs} />`}
    </${Field}>`;
  };

  const issuerText = issuer ? issuer.replace('{UNIT}', (unit.name || '').toUpperCase()).replace('{Unit}', unit.name || '') : '';
  return html`<section class="panel decision-panel" aria-labelledby="decision-heading" data-testid="decision-form" data-state=${decision.state}>
    <div class="panel-head">
      <div>
        <p class="eyebrow">${titleInfo ? titleName(titleInfo, lang) : title} · ${year}</p>
        <h2 id="decision-heading">${t.decisionHeading}</h2>
      </div>
    </div>
    <form class="panel-body decision-body" onSubmit=${submit} noValidate>
      <p class="decision-unit">
        <span class="field-label">${t.decisionUnit}</span>
        <strong data-testid="decision-unit" data-code=${unit.code}>${unit.name || unit.code} (${unit.code})</strong>
        ${issuerText ? html`<span class="field-hint">${fill(t.decisionIssuer, { issuer: issuerText })}</span>` : null}
      </p>
      ${decision.state === 'error'
        ? html`<p class="form-alert" role="alert">${errorText(decision.error, t, lang)}</p>`
        : decision.state !== 'ready'
          ? html`<p class="muted" role="status">${t.loading}</p>`
          : rows.length === 0
            ? html`<p class="muted" data-testid="decision-none">${t.decisionNone}</p>`
            : html`
                <div class="decision-fields">
                  ${input('number', 'text', t.decisionNumber, { required: true, hint: t.decisionNumberHint })}
                  ${input('signed_on', 'date', t.decisionSignedOn, { required: true })}
                  ${input('signer_name', 'text', t.decisionSignerName, { required: true, autocomplete: 'name' })}
                  ${input('signer_position', 'textarea', t.decisionSignerPosition, { hint: t.decisionSignerPositionHint })}
                </div>
                <div class="decision-choice">
                  <p data-testid="decision-counts" data-recognised=${counts.recognised} data-not=${counts.not}>
                    ${fill(t.decisionCounts, {
                      recognised: formatCount(counts.recognised, lang),
                      not: formatCount(counts.not, lang),
                      total: formatCount(rows.length, lang),
                    })}
                  </p>
                  <div class="button-row">
                    <button type="button" class="btn btn-small" data-testid="decision-all" onClick=${() => decision.setAll(true)}>
                      ${t.decisionAll}
                    </button>
                    <button type="button" class="btn btn-small" data-testid="decision-none-button" onClick=${() => decision.setAll(false)}>
                      ${t.decisionNoneButton}
                    </button>
                  </div>
                  <p class="field-hint">${counts.not === 0 ? t.decisionAllHint : t.decisionSomeHint}</p>
                </div>
                ${problems.length
                  ? html`<div class="form-alert" role="alert" data-testid="decision-problems" data-count=${problems.length}>
                      <p><strong>${fill(t.decisionRefused, { n: formatCount(problems.length, lang) })}</strong></p>
                      <ul>
                        ${problems.map((text) => html`<li data-testid="decision-problem">${text}</li>`)}
                      </ul>
                    </div>`
                  : null}
                ${failure ? html`<p class="form-alert" role="alert" data-testid="decision-error">${errorText(failure, t, lang)}</p>` : null}
                <div class="button-row">
                  <button type="submit" class="btn btn-primary" data-testid="decision-submit" disabled=${busy}>
                    ${busy ? t.decisionSaving : t.decisionSubmit}
                  </button>
                </div>
              `}
    </form>
  </section>`;
}

/** The decision just made: its number and date, and its certificates with their links. */
export function DecisionResult({ t, lang, result }) {
  const certificates = Array.isArray(result.certificates) ? result.certificates : [];
  return html`<section class="panel decision-result" role="status" data-testid="decision-result" data-id=${result.id}>
    <div class="panel-head">
      <div>
        <p class="eyebrow">${t.decisionDone}</p>
        <h2>${fill(t.decisionTitleLine, { number: result.number, date: formatDate(result.signed_on) })}</h2>
      </div>
    </div>
    <div class="panel-body">
      <p data-testid="decision-result-counts">
        ${fill(t.decisionResultCounts, {
          recognised: formatCount(result.recognised, lang),
          not: formatCount(result.not_recognised, lang),
        })}
        ${result.signer_name ? html` · ${result.signer_position} ${result.signer_name}` : null}
      </p>
      ${certificates.length
        ? html`<p>
              <a
                class="button-link"
                href=${`api/v1/decisions/${encodeURIComponent(result.id)}/certificates.pdf`}
                data-testid="decision-pdf"
                target="_blank"
                rel="noopener"
                >${fill(t.decisionAllPdf, { n: formatCount(certificates.length, lang) })}</a
              >
            </p>
            <ul class="certificate-list" data-testid="certificate-list">
              ${certificates.map(
                (cert) => html`<li key=${cert.code} data-testid="certificate" data-code=${cert.code} data-entity=${cert.entity}>
                  <span class="certificate-name">${cert.recipient}</span>
                  <span class="row-kind">${cert.code}</span>
                  <a href=${`api/v1/certificates/${encodeURIComponent(cert.code)}.pdf`} data-testid="certificate-pdf" target="_blank" rel="noopener"
                    >${t.certificatePdf}</a
                  >
                  <a href=${`verify/${encodeURIComponent(cert.code)}`} data-testid="certificate-verify" target="_blank" rel="noopener"
                    >${t.certificateVerify}</a
                  >
                </li>`,
              )}
            </ul>`
        : null}
    </div>
  </section>`;
}
