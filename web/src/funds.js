// The study-promotion funds (docs/funds.md): #/quy lists the funds of the user's area with their
// balances (and creates one, funds.approve); #/quy/CODE is one fund's books: the balance and its
// accounts, the entries with their voucher numbers, recording a donation ("Ghi thu") or a payment
// to a beneficiary ("Ghi chi"), reversing an entry with a reason, adding a beneficiary, and a
// beneficiary's history across every fund. Every refused write shows the server's problems at
// their fields (the balance when a payment would overspend); nothing is written then.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { useLoad } from './load.js';
import { ErrorAlert, PageFrame, Refusal, errorText } from './shell.js';
import { can, useSession } from './session.js';
import { TextDialog } from './widgets.js';
import { localToday } from './format.js';

export const FUNDS_PATH = '/quy';

/** "1.500.000 đ": whole đồng, Vietnamese grouping (the same in English pages). */
export function formatMoney(value) {
  const n = Number(value) || 0;
  const sign = n < 0 ? '-' : '';
  return `${sign}${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đ`;
}

/** The fund's code in the hash, or null for the list. */
export function fundCodeOf(hash) {
  const m = /^#\/quy\/([^/?]+)/.exec(hash || '');
  return m ? decodeURIComponent(m[1]) : null;
}

export const fundHash = (code) => `#${FUNDS_PATH}/${encodeURIComponent(code)}`;

export function FundsPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  // the list and a fund are one page to the root: follow the hash here
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const code = fundCodeOf(hash);
  const frame = { t, lang, onLang, page: 'funds', title: code ? `${t.fundTitle} ${code}` : t.fundsTitle };
  if (!can(user, 'funds.read')) {
    return html`<${PageFrame} ...${frame} testId="funds" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.fundsNoPermission} />
    </${PageFrame}>`;
  }
  return code
    ? html`<${FundBooks} t=${t} lang=${lang} frame=${frame} code=${code} user=${user} />`
    : html`<${FundList} t=${t} lang=${lang} frame=${frame} user=${user} />`;
}

/** Problems of a 422 by field, and the rest as one line. */
function useProblems() {
  const [problems, setProblems] = useState([]);
  const [failure, setFailure] = useState(null);
  const fail = (error) => {
    if (error.status === 422 && error.problems && error.problems.length) setProblems(error.problems);
    else setFailure(error);
  };
  const clear = () => {
    setProblems([]);
    setFailure(null);
  };
  const at = (field) => problems.filter((p) => p.field === field);
  return { problems, failure, fail, clear, at };
}

function ProblemList({ t, lang, state, testId }) {
  if (!state.problems.length && !state.failure) return null;
  return html`<div class="form-alert" role="alert" data-testid=${testId} data-count=${state.problems.length}>
    ${state.problems.length ? html`<p><strong>${fill(t.settingsRefused, { n: state.problems.length })}</strong></p>` : null}
    <ul>
      ${state.problems.map((p) => html`<li data-testid="fund-problem" data-field=${p.field || ''}>${lang === 'en' ? p.msg_en : p.msg_vi || p.msg_en}</li>`)}
      ${state.failure ? html`<li>${errorText(state.failure, t, lang)}</li>` : null}
    </ul>
  </div>`;
}

/* ------------------------------------------------------------ the list */

function FundList({ t, lang, frame, user }) {
  const [reloads, setReloads] = useState(0);
  const slot = useLoad('funds', () => api.funds(), reloads);
  const funds = slot.state === 'ready' ? slot.data.funds : [];
  return html`<${PageFrame} ...${frame} testId="funds" state=${slot.state} lead=${t.fundsLead}>
    ${slot.state === 'error' ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />` : null}
    <section class="panel">
      <div class="panel-body">
        ${slot.state === 'ready' && !funds.length ? html`<p class="muted" data-testid="funds-empty">${t.fundsEmpty}</p>` : null}
        ${funds.length
          ? html`<div class="table-wrap"><table class="data-table" data-testid="funds-table">
              <caption class="visually-hidden">${t.fundsTitle}</caption>
              <thead><tr><th scope="col">${t.fundColCode}</th><th scope="col">${t.fundColName}</th><th scope="col" class="num">${t.fundColBalance}</th><th scope="col">${t.fundColClosed}</th></tr></thead>
              <tbody>
                ${funds.map((f) => html`<tr data-testid="fund-row" data-code=${f.code}>
                  <td><a href=${fundHash(f.code)} data-testid="fund-link">${f.code}</a></td>
                  <td>${f.name}</td>
                  <td class="num" data-testid="fund-balance" data-value=${f.balance}>${formatMoney(f.balance)}</td>
                  <td>${f.closed_through || '—'}</td>
                </tr>`)}
              </tbody>
            </table></div>`
          : null}
      </div>
    </section>
    ${can(user, 'funds.approve') ? html`<${FundCreate} t=${t} lang=${lang} user=${user} onDone=${() => setReloads((n) => n + 1)} />` : null}
  </${PageFrame}>`;
}

function FundCreate({ t, lang, user, onDone }) {
  const [form, setForm] = useState({ code: '', name: '', owner_kind: 'unit', owner_code: user.unit ? user.unit.code || '' : '' });
  const [busy, setBusy] = useState(false);
  const state = useProblems();
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = (event) => {
    event.preventDefault();
    setBusy(true);
    state.clear();
    api.createFund(form).then(
      () => {
        setBusy(false);
        setForm({ ...form, code: '', name: '' });
        onDone();
      },
      (error) => {
        setBusy(false);
        state.fail(error);
      },
    );
  };
  return html`<section class="panel" aria-labelledby="fund-create-heading">
    <div class="panel-head"><h2 id="fund-create-heading">${t.fundCreate}</h2></div>
    <form class="panel-body settings-form" data-testid="fund-create" onSubmit=${submit}>
      <label class="field"><span>${t.fundColCode}</span><input class="text-input" required data-testid="fund-create-code" value=${form.code} onInput=${set('code')} /></label>
      <label class="field"><span>${t.fundColName}</span><input class="text-input" required data-testid="fund-create-name" value=${form.name} onInput=${set('name')} /></label>
      <label class="field"><span>${t.fundOwnerKind}</span>
        <select class="text-input" value=${form.owner_kind} onChange=${set('owner_kind')} data-testid="fund-create-owner-kind">
          <option value="unit">${t.fundOwnerUnit}</option><option value="clan">${t.fundOwnerClan}</option><option value="organisation">${t.fundOwnerOrg}</option>
        </select></label>
      <label class="field"><span>${t.fundOwnerCode}</span><input class="text-input" required data-testid="fund-create-owner" value=${form.owner_code} onInput=${set('owner_code')} /></label>
      <${ProblemList} t=${t} lang=${lang} state=${state} testId="fund-create-problems" />
      <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="fund-create-save">${t.fundCreate}</button></div>
    </form>
  </section>`;
}

/* ------------------------------------------------------------ one fund's books */

const CATEGORIES = ['scholarship', 'award', 'support', 'gift'];

function FundBooks({ t, lang, frame, code, user }) {
  const [reloads, setReloads] = useState(0);
  const slot = useLoad(`fund:${code}`, () => api.fund(code), reloads);
  const [reversing, setReversing] = useState(null);
  const [revBusy, setRevBusy] = useState(false);
  const [revError, setRevError] = useState(null);
  const [notice, setNotice] = useState(null);
  const reload = (message) => {
    setNotice(message || null);
    setReloads((n) => n + 1);
  };
  const f = slot.state === 'ready' || (slot.data && slot.state === 'loading') ? slot.data : null;
  const writer = can(user, 'funds.write');
  const reverse = (reason) => {
    setRevBusy(true);
    setRevError(null);
    api.reverseFundEntry(reversing.id, { date: localToday(), reason }).then(
      (entry) => {
        setRevBusy(false);
        setReversing(null);
        reload(fill(t.fundReversed, { number: entry.number }));
      },
      (error) => {
        setRevBusy(false);
        setRevError(error.problems && error.problems.length ? error.problems.map((p) => (lang === 'en' ? p.msg_en : p.msg_vi)).join(' ') : errorText(error, t, lang));
      },
    );
  };
  return html`<${PageFrame} ...${frame} testId="fund" state=${slot.state} attrs=${{ 'data-code': code, 'data-balance': f ? String(f.balance) : '' }}>
    <p class="no-print"><a href=${`#${FUNDS_PATH}`} data-testid="funds-back">← ${t.fundsTitle}</a></p>
    ${slot.state === 'error' ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${() => setReloads((n) => n + 1)} />` : null}
    ${f
      ? html`
          <section class="panel fund-summary" aria-labelledby="fund-heading">
            <div class="panel-head"><h2 id="fund-heading">${f.name}</h2></div>
            <div class="panel-body">
              <p class="fund-balance" data-testid="fund-total" data-value=${f.balance}>${t.fundColBalance}: <strong>${formatMoney(f.balance)}</strong></p>
              <dl class="fund-accounts" data-testid="fund-accounts">
                <div><dt>${t.fundCash}</dt><dd>${formatMoney(f.accounts.cash)}</dd></div>
                <div><dt>${t.fundBank}</dt><dd>${formatMoney(f.accounts.bank)}</dd></div>
                <div><dt>${t.fundReceived}</dt><dd data-testid="fund-received">${formatMoney(-f.accounts.donation)}</dd></div>
                ${CATEGORIES.map((c) => html`<div><dt>${t.fundCategory[c]}</dt><dd data-testid=${`fund-paid-${c}`}>${formatMoney(f.accounts[c])}</dd></div>`)}
              </dl>
              <p class="muted">${f.owner_kind === 'unit' ? t.fundOwnerUnit : f.owner_kind === 'clan' ? t.fundOwnerClan : t.fundOwnerOrg}: ${f.owner_code}${f.closed_through ? ` · ${fill(t.fundClosedThrough, { date: f.closed_through })}` : ''}</p>
              ${notice ? html`<p class="notice" role="status" data-testid="fund-notice">${notice}</p>` : null}
              <${FundDocuments} t=${t} code=${code} />
              ${can(user, 'funds.approve')
                ? html`<label class="check" data-testid="fund-minor-names">
                    <input type="checkbox" checked=${f.public_minor_names} onChange=${(e) => {
                      const allow = e.currentTarget.checked;
                      api.fundSettings(code, { public_minor_names: allow }).then(() => reload(allow ? t.fundMinorNamesOn : t.fundMinorNamesOff), (error) => reload(errorText(error, t, lang)));
                    }} />
                    ${t.fundMinorNames}</label>`
                : null}
            </div>
          </section>
          ${writer
            ? html`<div class="fund-forms">
                <${ReceiptForm} t=${t} lang=${lang} code=${code} onDone=${(e) => reload(fill(t.fundPosted, { number: e.number, amount: formatMoney(e.amount) }))} />
                <${PaymentForm} t=${t} lang=${lang} code=${code} onDone=${(e) => reload(fill(t.fundPosted, { number: e.number, amount: formatMoney(e.amount) }))} />
              </div>`
            : null}
          <${Programmes} t=${t} lang=${lang} code=${code} user=${user} onPaid=${(b) => reload(fill(t.batchPaidNotice, { count: b.count, total: formatMoney(b.total) }))} />
          <${EntryTable} t=${t} entries=${f.entries} code=${code} canReverse=${writer} onReverse=${(e) => {
            setRevError(null);
            setReversing(e);
          }} />
          <${Beneficiaries} t=${t} lang=${lang} writer=${writer} />
        `
      : null}
    ${reversing
      ? html`<${TextDialog} t=${t} title=${fill(t.fundReverseTitle, { number: reversing.number, amount: formatMoney(reversing.amount) })} text=${t.fundReverseText}
          label=${t.fundReason} confirmLabel=${t.fundReverse} required=${true} danger=${true} busy=${revBusy} error=${revError}
          onConfirm=${reverse} onCancel=${() => setReversing(null)} />`
      : null}
  </${PageFrame}>`;
}

/** The statement of the year so far (XLSX, PDF) and the public transparency page and PDF. */
function FundDocuments({ t, code }) {
  const today = localToday();
  const range = `from=${today.slice(0, 4)}-01-01&to=${today}`;
  const c = encodeURIComponent(code);
  return html`<p class="fund-documents no-print" data-testid="fund-documents">
    <a class="button-link" href=${`api/v1/funds/${c}/statement.xlsx?${range}`} download data-testid="fund-statement-xlsx">${t.fundStatementXlsx}</a>
    <a class="button-link" href=${`api/v1/funds/${c}/statement.pdf?${range}`} data-testid="fund-statement-pdf">${t.fundStatementPdf}</a>
    <a class="button-link" href=${`cong-khai/${c}`} target="_blank" rel="noopener" data-testid="fund-public">${t.fundPublicPage}</a>
  </p>`;
}

function EntryTable({ t, entries, code, canReverse, onReverse }) {
  return html`<section class="panel" aria-labelledby="entries-heading">
    <div class="panel-head"><h2 id="entries-heading">${t.fundEntries}</h2></div>
    <div class="panel-body">
      ${!entries.length ? html`<p class="muted">${t.fundNoEntries}</p>` : null}
      ${entries.length
        ? html`<div class="table-wrap"><table class="data-table" data-testid="fund-entries">
            <caption class="visually-hidden">${t.fundEntries}</caption>
            <thead><tr><th scope="col">${t.fundColNumber}</th><th scope="col">${t.fundColDate}</th><th scope="col">${t.fundColKind}</th><th scope="col" class="num">${t.fundColAmount}</th><th scope="col">${t.fundColWho}</th><th scope="col">${t.fundColMemo}</th><th scope="col"><span class="visually-hidden">${t.fundReverse}</span></th></tr></thead>
            <tbody>
              ${entries.map((e) => {
                const incoming = e.kind === 'receipt' || e.kind === 'opening' || (e.kind === 'transfer' && e.to_fund === code);
                const who = e.donor_name || e.beneficiary_name || (e.kind === 'transfer' ? (e.to_fund === code ? e.fund : e.to_fund) : '') || (e.kind === 'receipt' ? t.fundAnonymous : '');
                return html`<tr data-testid="fund-entry" data-id=${e.id} data-kind=${e.kind} data-reversed=${String(Boolean(e.reversed_by))} class=${e.reversed_by || e.kind === 'reversal' ? 'is-muted' : ''}>
                  <td>${e.number}</td>
                  <td>${e.date}</td>
                  <td>${t.fundKind[e.kind] || e.kind}${e.category ? ` · ${t.fundCategory[e.category] || e.category}` : ''}</td>
                  <td class="num">${incoming ? '+' : e.kind === 'reversal' ? '±' : '−'}${formatMoney(e.amount)}</td>
                  <td>${who}</td>
                  <td>${e.campaign || e.memo}${e.reversed_by ? html` <span class="status-badge">${t.fundWasReversed}</span>` : null}
                    ${e.kind === 'receipt' ? html` <a href=${`api/v1/fund-entries/${encodeURIComponent(e.id)}/receipt.pdf`} data-testid="fund-receipt-pdf">${t.fundReceiptPdf}</a>` : null}</td>
                  <td>${canReverse && e.kind !== 'reversal' && !e.reversed_by
                    ? html`<button type="button" class="btn btn-small" data-testid="fund-reverse" onClick=${() => onReverse(e)}>${t.fundReverse}</button>`
                    : null}</td>
                </tr>`;
              })}
            </tbody>
          </table></div>`
        : null}
    </div>
  </section>`;
}

function useEntryForm(code, kind, initial, onDone) {
  const [form, setForm] = useState({ date: localToday(), method: 'cash', ...initial });
  const [busy, setBusy] = useState(false);
  const state = useProblems();
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = (event) => {
    event.preventDefault();
    setBusy(true);
    state.clear();
    api.postFundEntry(code, { ...form, kind }).then(
      (entry) => {
        setBusy(false);
        setForm({ date: form.date, method: form.method, ...initial });
        onDone(entry);
      },
      (error) => {
        setBusy(false);
        state.fail(error);
      },
    );
  };
  return { form, set, setForm, busy, state, submit };
}

function fieldClass(state, field) {
  return state.at(field).length ? 'field has-error' : 'field';
}

function ReceiptForm({ t, lang, code, onDone }) {
  const { form, set, busy, state, submit, setForm } = useEntryForm(code, 'receipt', { amount: '', donor: '', campaign: '', purpose: '', number: '' }, onDone);
  const donors = useLoad('donors', () => api.fundDonors(''), 0);
  const [newDonor, setNewDonor] = useState('');
  const addDonor = () => {
    if (!newDonor.trim()) return;
    api.addFundDonor({ name: newDonor.trim(), kind: 'person' }).then((d) => {
      setNewDonor('');
      if (donors.data) donors.data.donors.push(d);
      setForm({ ...form, donor: d.id });
    }, state.fail);
  };
  return html`<section class="panel" aria-labelledby="receipt-heading">
    <div class="panel-head"><h2 id="receipt-heading">${t.fundReceipt}</h2></div>
    <form class="panel-body settings-form" data-testid="receipt-form" onSubmit=${submit}>
      <label class=${fieldClass(state, 'date')}><span>${t.fundColDate}</span><input type="date" class="text-input" required data-testid="receipt-date" value=${form.date} onInput=${set('date')} /></label>
      <label class=${fieldClass(state, 'amount')}><span>${t.fundAmountLabel}</span><input class="text-input" inputmode="numeric" required data-testid="receipt-amount" value=${form.amount} onInput=${set('amount')} placeholder="1.500.000" /></label>
      <label class=${fieldClass(state, 'donor')}><span>${t.fundDonor}</span>
        <select class="text-input" data-testid="receipt-donor" value=${form.donor} onChange=${set('donor')}>
          <option value="">${t.fundAnonymous}</option>
          ${(donors.data ? donors.data.donors : []).map((d) => html`<option value=${d.id}>${d.name || t.fundAnonymous}</option>`)}
        </select></label>
      <div class="field"><span>${t.fundNewDonor}</span>
        <div class="inline-row"><input class="text-input" data-testid="receipt-new-donor" value=${newDonor} onInput=${(e) => setNewDonor(e.currentTarget.value)} />
        <button type="button" class="btn" data-testid="receipt-add-donor" onClick=${addDonor}>${t.fundAddDonor}</button></div></div>
      <label class="field"><span>${t.fundCampaign}</span><input class="text-input" data-testid="receipt-campaign" value=${form.campaign} onInput=${set('campaign')} placeholder=${t.fundCampaignHint} /></label>
      <label class="field"><span>${t.fundPurpose}</span><input class="text-input" data-testid="receipt-purpose" value=${form.purpose} onInput=${set('purpose')} /></label>
      <label class="field"><span>${t.fundMethod}</span><select class="text-input" data-testid="receipt-method" value=${form.method} onChange=${set('method')}><option value="cash">${t.fundCash}</option><option value="bank">${t.fundBank}</option></select></label>
      <label class="field"><span>${t.fundNumber}</span><input class="text-input" data-testid="receipt-number" value=${form.number} onInput=${set('number')} placeholder=${t.fundNumberHint} /></label>
      <${ProblemList} t=${t} lang=${lang} state=${state} testId="receipt-problems" />
      <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="receipt-save">${t.fundReceipt}</button></div>
    </form>
  </section>`;
}

function PaymentForm({ t, lang, code, onDone }) {
  const { form, set, busy, state, submit } = useEntryForm(code, 'disbursement', { amount: '', beneficiary: '', category: 'scholarship', memo: '', decision: '' }, onDone);
  const [query, setQuery] = useState('');
  const list = useLoad(`beneficiaries:${query}`, () => api.fundBeneficiaries(query), 0);
  return html`<section class="panel" aria-labelledby="payment-heading">
    <div class="panel-head"><h2 id="payment-heading">${t.fundPayment}</h2></div>
    <form class="panel-body settings-form" data-testid="payment-form" onSubmit=${submit}>
      <label class=${fieldClass(state, 'date')}><span>${t.fundColDate}</span><input type="date" class="text-input" required data-testid="payment-date" value=${form.date} onInput=${set('date')} /></label>
      <label class="field"><span>${t.fundFindBeneficiary}</span><input class="text-input" data-testid="payment-search" value=${query} onInput=${(e) => setQuery(e.currentTarget.value)} placeholder=${t.fundFindHint} /></label>
      <label class=${fieldClass(state, 'beneficiary')}><span>${t.fundBeneficiary}</span>
        <select class="text-input" required data-testid="payment-beneficiary" value=${form.beneficiary} onChange=${set('beneficiary')}>
          <option value="">—</option>
          ${(list.data ? list.data.beneficiaries : []).map((b) => html`<option value=${b.id}>${b.name}${b.birth_year ? ` (${b.birth_year})` : ''}${b.school ? ` · ${b.school}` : ''}</option>`)}
        </select></label>
      <label class=${fieldClass(state, 'category')}><span>${t.fundCategoryLabel}</span><select class="text-input" data-testid="payment-category" value=${form.category} onChange=${set('category')}>${CATEGORIES.map((c) => html`<option value=${c}>${t.fundCategory[c]}</option>`)}</select></label>
      <label class=${fieldClass(state, 'amount')}><span>${t.fundAmountLabel}</span><input class="text-input" inputmode="numeric" required data-testid="payment-amount" value=${form.amount} onInput=${set('amount')} placeholder="1.000.000" /></label>
      <label class=${fieldClass(state, 'memo')}><span>${t.fundReason}</span><input class="text-input" required data-testid="payment-reason" value=${form.memo} onInput=${set('memo')} /></label>
      <label class="field"><span>${t.fundDecision}</span><input class="text-input" data-testid="payment-decision" value=${form.decision} onInput=${set('decision')} /></label>
      <label class="field"><span>${t.fundMethod}</span><select class="text-input" data-testid="payment-method" value=${form.method} onChange=${set('method')}><option value="cash">${t.fundCash}</option><option value="bank">${t.fundBank}</option></select></label>
      <${ProblemList} t=${t} lang=${lang} state=${state} testId="payment-problems" />
      <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="payment-save">${t.fundPayment}</button></div>
    </form>
  </section>`;
}

const CIRCUMSTANCES = ['poor', 'near-poor', 'orphan', 'disability', 'ethnic-minority', 'difficult'];
const ACHIEVEMENTS = ['excellent', 'good', 'provincial-prize', 'national-prize', 'international-prize'];

function Beneficiaries({ t, lang, writer }) {
  const [reloads, setReloads] = useState(0);
  const [open, setOpen] = useState(null);
  const list = useLoad('beneficiaries:all', () => api.fundBeneficiaries(''), reloads);
  const history = useLoad(open ? `beneficiary:${open}` : null, () => api.fundBeneficiary(open), reloads);
  const [form, setForm] = useState({ name: '', unit: '', birth_year: '', school: '', grade: '', circumstances: [], achievements: [] });
  const [busy, setBusy] = useState(false);
  const state = useProblems();
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const toggle = (key, value) => (e) =>
    setForm({ ...form, [key]: e.currentTarget.checked ? [...form[key], value] : form[key].filter((x) => x !== value) });
  const submit = (event) => {
    event.preventDefault();
    setBusy(true);
    state.clear();
    const body = { ...form, birth_year: form.birth_year ? Number(form.birth_year) : undefined, circumstances: form.circumstances.join('|'), achievements: form.achievements.join('|') };
    api.addFundBeneficiary(body).then(
      () => {
        setBusy(false);
        setForm({ name: '', unit: form.unit, birth_year: '', school: '', grade: '', circumstances: [], achievements: [] });
        setReloads((n) => n + 1);
      },
      (error) => {
        setBusy(false);
        state.fail(error);
      },
    );
  };
  const rows = list.data ? list.data.beneficiaries : [];
  return html`<section class="panel" aria-labelledby="beneficiaries-heading">
    <div class="panel-head"><h2 id="beneficiaries-heading">${t.fundBeneficiaries}</h2></div>
    <div class="panel-body">
      ${rows.length
        ? html`<div class="table-wrap"><table class="data-table" data-testid="beneficiaries">
            <thead><tr><th scope="col">${t.fundColName}</th><th scope="col">${t.fundBirthYear}</th><th scope="col">${t.fundSchool}</th><th scope="col">${t.fundCircumstances}</th><th scope="col">${t.fundAchievements}</th></tr></thead>
            <tbody>${rows.map((b) => html`<tr data-testid="beneficiary" data-id=${b.id}>
              <td><button type="button" class="link-button" data-testid="beneficiary-open" onClick=${() => setOpen(b.id)}>${b.name}</button></td>
              <td>${b.birth_year || ''}</td><td>${[b.school, b.grade].filter(Boolean).join(', ')}</td>
              <td>${b.circumstances.split('|').filter(Boolean).map((c) => t.fundCircumstance[c] || c).join(', ')}</td>
              <td>${b.achievements.split('|').filter(Boolean).map((c) => t.fundAchievement[c] || c).join(', ')}</td></tr>`)}</tbody>
          </table></div>`
        : html`<p class="muted">${t.fundNoBeneficiaries}</p>`}
      ${open && history.data
        ? html`<div class="beneficiary-history" data-testid="beneficiary-history" data-total=${history.data.total_received}>
            <h3>${fill(t.fundHistoryOf, { name: history.data.name })}</h3>
            <p>${t.fundTotalReceived}: <strong>${formatMoney(history.data.total_received)}</strong></p>
            <ul>${history.data.history.map((e) => html`<li>${e.date} · ${e.fund} · ${e.number} · ${t.fundKind[e.kind] || e.kind}${e.category ? ` (${t.fundCategory[e.category]})` : ''}: ${formatMoney(e.amount)}${e.memo ? ` — ${e.memo}` : ''}</li>`)}</ul>
          </div>`
        : null}
      ${writer
        ? html`<form class="settings-form" data-testid="beneficiary-form" onSubmit=${submit}>
            <h3>${t.fundAddBeneficiary}</h3>
            <label class=${fieldClass(state, 'name')}><span>${t.fundColName}</span><input class="text-input" required data-testid="beneficiary-name" value=${form.name} onInput=${set('name')} /></label>
            <label class=${fieldClass(state, 'unit')}><span>${t.fundUnit}</span><input class="text-input" required data-testid="beneficiary-unit" value=${form.unit} onInput=${set('unit')} /></label>
            <label class=${fieldClass(state, 'birth_year')}><span>${t.fundBirthYear}</span><input class="text-input" inputmode="numeric" data-testid="beneficiary-birth-year" value=${form.birth_year} onInput=${set('birth_year')} /></label>
            <label class="field"><span>${t.fundSchool}</span><input class="text-input" data-testid="beneficiary-school" value=${form.school} onInput=${set('school')} /></label>
            <label class="field"><span>${t.fundGrade}</span><input class="text-input" data-testid="beneficiary-grade" value=${form.grade} onInput=${set('grade')} /></label>
            <fieldset class="field"><legend>${t.fundCircumstances}</legend>${CIRCUMSTANCES.map((c) => html`<label class="check"><input type="checkbox" checked=${form.circumstances.includes(c)} onChange=${toggle('circumstances', c)} data-testid=${`beneficiary-c-${c}`} /> ${t.fundCircumstance[c]}</label>`)}</fieldset>
            <fieldset class="field"><legend>${t.fundAchievements}</legend>${ACHIEVEMENTS.map((c) => html`<label class="check"><input type="checkbox" checked=${form.achievements.includes(c)} onChange=${toggle('achievements', c)} data-testid=${`beneficiary-a-${c}`} /> ${t.fundAchievement[c]}</label>`)}</fieldset>
            <${ProblemList} t=${t} lang=${lang} state=${state} testId="beneficiary-problems" />
            <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="beneficiary-save">${t.fundAddBeneficiary}</button></div>
          </form>`
        : null}
    </div>
  </section>`;
}

/* ------------------------------------------------------------ award programmes */

const RULES_EXAMPLE = `rule national-prize 2.000.000 award "Học sinh đạt giải quốc gia"
  when achievement national-prize
rule poor-good 1.000.000 scholarship "Học sinh hộ nghèo có kết quả học tập tốt"
  when circumstance poor near-poor
  when result kha-or-better`;

/**
 * "Chương trình khen thưởng": the fund's programmes with their batches; an approver
 * (funds.approve) adds one (its rules are text, checked by the server line by line); running
 * one for a year proposes a batch; the batch is approved by one decision and paid at once.
 */
function Programmes({ t, lang, code, user, onPaid }) {
  const [reloads, setReloads] = useState(0);
  const slot = useLoad(`programmes:${code}`, () => api.fundProgrammes(code), reloads);
  const [batchId, setBatchId] = useState(null);
  const approver = can(user, 'funds.approve');
  const writer = can(user, 'funds.write');
  const programmes = slot.data ? slot.data.programmes : [];
  const [year, setYear] = useState(String(new Date().getFullYear() - 1));
  const runState = useProblems();
  const run = (p) => {
    runState.clear();
    api.runFundProgramme(code, p.id, Number(year)).then(
      (batch) => {
        setBatchId(batch.id);
        setReloads((n) => n + 1);
      },
      runState.fail,
    );
  };
  return html`<section class="panel" aria-labelledby="programmes-heading" data-testid="programmes" data-state=${slot.state}>
    <div class="panel-head"><h2 id="programmes-heading">${t.programmesTitle}</h2></div>
    <div class="panel-body">
      ${!programmes.length ? html`<p class="muted">${t.programmesNone}</p>` : null}
      ${programmes.length
        ? html`<div class="inline-row">
            <label class="field"><span>${t.programmeYear}</span><input class="text-input" inputmode="numeric" data-testid="programme-year" value=${year} onInput=${(e) => setYear(e.currentTarget.value)} /></label>
          </div>`
        : null}
      <ul class="programme-list">
        ${programmes.map((p) => html`<li data-testid="programme" data-code=${p.code}>
          <strong>${p.name}</strong> <code>${p.code}</code>
          ${writer ? html` <button type="button" class="btn btn-small" data-testid="programme-run" onClick=${() => run(p)}>${fill(t.programmeRun, { year })}</button>` : null}
          <ul>${(p.batches || []).map((b) => html`<li>
            <button type="button" class="link-button" data-testid="batch-open" data-state=${b.state} onClick=${() => setBatchId(b.id)}>
              ${fill(t.batchLine, { year: b.year, count: b.count, total: formatMoney(b.total) })} — ${t.batchState[b.state] || b.state}
            </button></li>`)}</ul>
        </li>`)}
      </ul>
      <${ProblemList} t=${t} lang=${lang} state=${runState} testId="programme-run-problems" />
      ${batchId
        ? html`<${Batch} t=${t} lang=${lang} id=${batchId} approver=${approver} writer=${writer} onChange=${(b) => {
            setReloads((n) => n + 1);
            if (b && b.state === 'paid') onPaid(b);
          }} />`
        : null}
      ${approver ? html`<${ProgrammeCreate} t=${t} lang=${lang} code=${code} onDone=${() => setReloads((n) => n + 1)} />` : null}
    </div>
  </section>`;
}

function ProgrammeCreate({ t, lang, code, onDone }) {
  const [form, setForm] = useState({ code: '', name: '', rules: RULES_EXAMPLE });
  const [busy, setBusy] = useState(false);
  const state = useProblems();
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = (event) => {
    event.preventDefault();
    setBusy(true);
    state.clear();
    api.createFundProgramme(code, form).then(
      () => {
        setBusy(false);
        setForm({ code: '', name: '', rules: RULES_EXAMPLE });
        onDone();
      },
      (error) => {
        setBusy(false);
        state.fail(error);
      },
    );
  };
  return html`<form class="settings-form" data-testid="programme-form" onSubmit=${submit}>
    <h3>${t.programmeCreate}</h3>
    <label class="field"><span>${t.programmeCode}</span><input class="text-input" required data-testid="programme-code" value=${form.code} onInput=${set('code')} /></label>
    <label class="field"><span>${t.programmeName}</span><input class="text-input" required data-testid="programme-name" value=${form.name} onInput=${set('name')} /></label>
    <label class=${fieldClass(state, 'rules')}><span>${t.programmeRules}</span>
      <textarea class="text-input settings-text" rows="8" spellcheck="false" data-testid="programme-rules" value=${form.rules} onInput=${set('rules')}></textarea>
      <span class="field-hint">${t.programmeRulesHint}</span></label>
    <${ProblemList} t=${t} lang=${lang} state=${state} testId="programme-problems" />
    <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="programme-save">${t.programmeCreate}</button></div>
  </form>`;
}

function Batch({ t, lang, id, approver, writer, onChange }) {
  const [reloads, setReloads] = useState(0);
  const slot = useLoad(`batch:${id}`, () => api.fundBatch(id), reloads);
  const [dropped, setDropped] = useState([]);
  const [decision, setDecision] = useState({ number: '', date: localToday(), signer: '' });
  const [payDate, setPayDate] = useState(localToday());
  const [busy, setBusy] = useState(false);
  const state = useProblems();
  const b = slot.data;
  const act = (request) => {
    setBusy(true);
    state.clear();
    request().then(
      (batch) => {
        setBusy(false);
        setReloads((n) => n + 1);
        onChange(batch);
      },
      (error) => {
        setBusy(false);
        state.fail(error);
      },
    );
  };
  if (!b) return slot.state === 'error' ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} />` : html`<p class="muted">${t.loading}</p>`;
  return html`<div class="batch" data-testid="batch" data-state=${b.state} data-total=${b.total} data-count=${b.count}>
    <h3>${fill(t.batchTitle, { name: b.programme_name, year: b.year })} — ${t.batchState[b.state] || b.state}</h3>
    <p>${fill(t.batchSummary, { count: b.count, total: formatMoney(b.total) })}${b.decision ? ` · ${fill(t.batchDecision, b.decision)}` : ''}</p>
    <div class="table-wrap"><table class="data-table" data-testid="batch-items">
      <thead><tr>${b.state === 'proposed' && approver ? html`<th scope="col">${t.batchKeep}</th>` : null}<th scope="col">${t.fundColName}</th><th scope="col">${t.fundBirthYear}</th><th scope="col">${t.batchRule}</th><th scope="col" class="num">${t.fundColAmount}</th></tr></thead>
      <tbody>${b.items.map((it) => html`<tr data-testid="batch-item" data-dropped=${String(Boolean(it.dropped))} class=${it.dropped ? 'is-muted' : ''}>
        ${b.state === 'proposed' && approver
          ? html`<td><input type="checkbox" aria-label=${fill(t.batchKeepOne, { name: it.name })} checked=${!dropped.includes(it.item)} data-testid="batch-keep"
              onChange=${(e) => setDropped(e.currentTarget.checked ? dropped.filter((x) => x !== it.item) : [...dropped, it.item])} /></td>`
          : null}
        <td>${it.name}${it.beneficiary ? '' : html` <span class="status-badge">${t.batchFromRegistry}</span>`}</td>
        <td>${it.birth_year || ''}</td><td>${it.reason}</td><td class="num">${formatMoney(it.amount)}</td></tr>`)}</tbody>
    </table></div>
    ${b.state === 'proposed' && approver
      ? html`<form class="settings-form" data-testid="batch-approve-form" onSubmit=${(e) => {
          e.preventDefault();
          act(() => api.approveFundBatch(id, { ...decision, drop: dropped }));
        }}>
          <label class=${fieldClass(state, 'number')}><span>${t.batchDecisionNumber}</span><input class="text-input" required data-testid="batch-number" value=${decision.number} onInput=${(e) => setDecision({ ...decision, number: e.currentTarget.value })} /></label>
          <label class=${fieldClass(state, 'date')}><span>${t.fundColDate}</span><input type="date" class="text-input" required data-testid="batch-date" value=${decision.date} onInput=${(e) => setDecision({ ...decision, date: e.currentTarget.value })} /></label>
          <label class=${fieldClass(state, 'signer')}><span>${t.batchSigner}</span><input class="text-input" required data-testid="batch-signer" value=${decision.signer} onInput=${(e) => setDecision({ ...decision, signer: e.currentTarget.value })} /></label>
          <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="batch-approve">${t.batchApprove}</button></div>
        </form>`
      : null}
    ${b.state === 'approved' && writer
      ? html`<form class="settings-form" data-testid="batch-pay-form" onSubmit=${(e) => {
          e.preventDefault();
          act(() => api.payFundBatch(id, { date: payDate, method: 'cash' }));
        }}>
          <label class=${fieldClass(state, 'date')}><span>${t.batchPayDate}</span><input type="date" class="text-input" required data-testid="batch-pay-date" value=${payDate} onInput=${(e) => setPayDate(e.currentTarget.value)} /></label>
          <div class="button-row"><button type="submit" class="btn btn-primary" disabled=${busy} data-testid="batch-pay">${fill(t.batchPay, { total: formatMoney(b.total) })}</button></div>
        </form>`
      : null}
    <${ProblemList} t=${t} lang=${lang} state=${state} testId="batch-problems" />
  </div>`;
}
