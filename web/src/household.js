// One household in a year (#/ho/CODE?year=Y, registry.read): its head,
// address, village and the units above it, clan, and members with citizen IDs
// as the server sends them (masked unless the user holds personal.read).
// With registry.write, "Sửa" opens the registry form (regform.js) on it.
// Outside the user's area the server answers 403 and the page says so plainly.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatCount } from './format.js';
import {
  DEFAULT_EVAL_YEAR,
  EVAL_YEARS,
  auditHash,
  evalHash,
  householdHash,
  pageOf,
  parseHouseholdHash,
  recordHash,
  regformHash,
  unitHash,
} from './route.js';
import { ErrorAlert, PageFrame, Refusal } from './shell.js';
import { can, useSession } from './session.js';
import { DownloadLinks } from './widgets.js';
import { CITIZEN_MIN_AGE, ENTITY_TITLES } from './record-common.js';

const FAMILY_TITLE = ENTITY_TITLES.household;
const CITIZEN_TITLE = ENTITY_TITLES.person;

export function HouseholdPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const [route, setRoute] = useState(() => parseHouseholdHash(window.location.hash));
  const [reloads, setReloads] = useState(0);
  const [slot, setSlot] = useState({ state: 'loading', key: null, data: null, error: null });
  const seq = useRef(0);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'household') setRoute(parseHouseholdHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  // No year in the hash: the default year, replacing the history entry.
  useEffect(() => {
    if (route.year || !route.code) return;
    window.history.replaceState(null, '', householdHash(route.code, DEFAULT_EVAL_YEAR));
    setRoute(parseHouseholdHash(window.location.hash));
  }, [route.code, route.year]);

  const key = route.code && route.year ? `${route.code}|${route.year}` : null;
  useEffect(() => {
    if (!key) return;
    const mine = ++seq.current;
    setSlot((previous) => ({ ...previous, state: 'loading', key }));
    api.household(route.code, route.year).then(
      (data) => mine === seq.current && setSlot({ state: 'ready', key, data, error: null }),
      (error) => mine === seq.current && setSlot({ state: 'error', key, data: null, error }),
    );
  }, [key, reloads]);

  const current = slot.key === key;
  const error = current && slot.state === 'error' ? slot.error : null;
  const state = !current || slot.state === 'loading'
    ? 'loading'
    : error
      ? error.status === 403
        ? 'forbidden'
        : error.status === 404
          ? 'notfound'
          : 'error'
      : 'ready';
  const data = current && state === 'ready' ? slot.data : null;
  const year = route.year || DEFAULT_EVAL_YEAR;

  return html`<${PageFrame}
    t=${t}
    lang=${lang}
    onLang=${onLang}
    page="household"
    testId="household"
    state=${state}
    attrs=${{ 'data-code': route.code || '', 'data-year': route.year || '' }}
    title=${`${t.householdTitle} ${route.code || ''}`}
  >
    <section class="controls no-print" aria-label=${t.hhYear}>
      <div class="date-field">
        <span class="field-label" id="hh-year-label">${t.hhYear}</span>
        <div class="quick-dates" role="group" aria-labelledby="hh-year-label">
          ${EVAL_YEARS.map(
            (value) => html`<a
              class="quick year-option"
              href=${householdHash(route.code || '', value)}
              data-testid="hh-year"
              data-year=${value}
              aria-current=${value === year ? 'true' : null}
            >
              <span class="quick-label">${value}</span>
            </a>`,
          )}
        </div>
      </div>
    </section>
    ${state === 'forbidden'
      ? html`<${Refusal}
          t=${t}
          title=${t.hhForbidden}
          hint=${fill(t.hhForbiddenHint, { unit: user && user.unit ? user.unit.name : '' })}
          testId="hh-forbidden"
        />`
      : state === 'notfound'
        ? html`<${Refusal}
            t=${t}
            title=${t.hhNotFound}
            hint=${fill(t.hhNotFoundHint, { code: route.code || '', year })}
            testId="hh-notfound"
          />`
        : state === 'error'
          ? html`<${ErrorAlert} t=${t} lang=${lang} error=${error} onRetry=${() => setReloads((n) => n + 1)} />`
          : state === 'loading'
            ? html`<p class="panel panel-body muted" role="status">${t.loading}</p>`
            : html`<${Household} t=${t} lang=${lang} user=${user} data=${data} year=${year} />`}
  </${PageFrame}>`;
}

function genderText(t, gender) {
  if (!gender) return '';
  const key = String(gender).toLowerCase();
  return t.genders[key] || gender;
}

function Household({ t, lang, user, data, year }) {
  const ancestors = Array.isArray(data.ancestors) ? data.ancestors : [];
  const village = data.village || null;
  const chain = village && !ancestors.some((unit) => unit.code === village.code) ? [...ancestors, village] : ancestors;
  const members = Array.isArray(data.members) ? data.members : [];
  const masked = members.some((member) => member.citizen_id_masked);
  const records = can(user, 'records.read');
  const onDate = `${year}-12-31`;
  return html`
    <nav class="breadcrumb" aria-label=${t.breadcrumbLabel} data-testid="hh-breadcrumb">
      <ol>
        ${chain.map(
          (unit) => html`<li key=${unit.code}>
            <a href=${unitHash(unit.code, onDate)} data-code=${unit.code}>${unit.name || unit.code}</a>
          </li>`,
        )}
        <li><span aria-current="page">${data.code}</span></li>
      </ol>
    </nav>
    <div class="household-layout">
      <section class="panel" aria-labelledby="hh-heading">
        <div class="panel-head">
          <div>
            <p class="eyebrow">${t.hhHead}</p>
            <h2 id="hh-heading" data-testid="hh-head">${data.head_name}</h2>
          </div>
          ${can(user, 'registry.write')
            ? html`<a
                class="btn btn-small no-print"
                href=${regformHash({ form: 'household', code: data.code, year })}
                title=${t.rfEditTitle}
                data-testid="hh-edit"
                >${t.rfEdit}</a
              >`
            : null}
        </div>
        <div class="panel-body">
          <dl class="facts household-facts">
            <div><dt>${t.hhCode}</dt><dd data-testid="hh-code">${data.code}</dd></div>
            <div><dt>${t.hhAddress}</dt><dd data-testid="hh-address">${data.address || '—'}</dd></div>
            <div>
              <dt>${t.hhVillage}</dt>
              <dd data-testid="hh-village" data-code=${village ? village.code : ''}>
                ${village ? html`<a href=${unitHash(village.code, onDate)}>${village.name}</a>` : '—'}
              </dd>
            </div>
            <div>
              <dt>${t.hhWithin}</dt>
              <dd>${ancestors.map((unit) => unit.name).join(' › ') || '—'}</dd>
            </div>
            <div>
              <dt>${t.hhClan}</dt>
              <dd data-testid="hh-clan">
                ${data.clan ? data.clan.name : html`<span class="muted">${t.hhNoClan}</span>`}
                ${data.clan && can(user, 'registry.write')
                  ? html` <a class="no-print" href=${regformHash({ form: 'clan', code: data.clan.code, year })} data-testid="hh-clan-edit"
                      >${t.rfEditClan}</a
                    >`
                  : null}
              </dd>
            </div>
          </dl>
          <ul class="hh-links no-print">
            ${can(user, 'records.read')
              ? html`<li>
                  <a href=${recordHash(FAMILY_TITLE, year, data.code)} data-testid="hh-record">
                    ${fill(t.hhRecord, { year })}
                  </a>
                </li>`
              : null}
            ${can(user, 'records.read') && village
              ? html`<li>
                  <a
                    href=${evalHash({ year, unit: village.code, title: FAMILY_TITLE, entity: data.code })}
                    data-testid="hh-evaluation"
                  >
                    ${t.hhEvaluation} ${year}
                  </a>
                </li>`
              : null}
            ${can(user, 'audit.read')
              ? html`<li>
                  <a href=${auditHash({ entity: data.code })} data-testid="hh-audit">${t.hhAudit}</a>
                </li>`
              : null}
          </ul>
        </div>
      </section>
      <section class="panel" aria-labelledby="members-heading" data-testid="hh-members" data-count=${members.length}>
        <div class="panel-head">
          <h2 id="members-heading">${t.hhMembers} (${formatCount(members.length, lang)})</h2>
          ${can(user, 'personal.export') && members.length
            ? html`<${DownloadLinks}
                t=${t}
                path=${`api/v1/households/${encodeURIComponent(data.code)}/members`}
                params=${{ year }}
                testId="hh-members-download"
              />`
            : null}
        </div>
        ${masked ? html`<p class="table-note panel-note" data-testid="hh-masked-note">${t.maskedNote}</p>` : null}
        <div class="table-wrap" tabindex="0" aria-labelledby="members-heading">
          <table class="data-table members-table">
            <thead>
              <tr>
                <th scope="col" class="col-name">${t.colName}</th>
                <th scope="col" class="num">${t.colBirthYear}</th>
                <th scope="col">${t.colGender}</th>
                <th scope="col">${t.citizenId}</th>
                ${records ? html`<th scope="col">${t.hhCitizenRecord}</th>` : null}
              </tr>
            </thead>
            <tbody>
              ${members.length === 0
                ? html`<tr class="empty-row"><td colspan=${records ? 5 : 4}>${t.hhNoMembers}</td></tr>`
                : members.map(
                    (member) => html`<tr key=${member.id} data-testid="hh-member" data-id=${member.id}>
                      <th scope="row" class="col-name">${member.full_name}</th>
                      <td class="num">${member.birth_year || ''}</td>
                      <td>${genderText(t, member.gender)}</td>
                      <td class="code" data-testid="hh-citizen-id" data-masked=${member.citizen_id_masked ? 'true' : 'false'}>
                        ${member.citizen_id || '—'}
                        ${member.citizen_id_masked ? html` <span class="tag">${t.maskedTag}</span>` : null}
                      </td>
                      ${records
                        ? html`<td>
                            ${member.birth_year && year - member.birth_year >= CITIZEN_MIN_AGE
                              ? html`<a
                                  href=${recordHash(CITIZEN_TITLE, year, member.id)}
                                  data-testid="hh-member-record"
                                  aria-label=${fill(t.hhCitizenRecordOf, { name: member.full_name })}
                                  >${t.hhCitizenRecordLink}</a
                                >`
                              : html`<span class="muted">${fill(t.hhUnderAge, { age: CITIZEN_MIN_AGE })}</span>`}
                          </td>`
                        : null}
                    </tr>`,
                  )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  `;
}
