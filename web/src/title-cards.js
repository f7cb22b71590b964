// One card per title in force for the unit and year: the recognition rate
// (recognised / eligible) as a bar against the target marker, the target and its
// source, the registration rate and the counts. The counts open the list of the
// title's entities in the unit.
import { html } from './html.js';
import { apiText, fill } from './i18n.js';
import { formatCount, formatPercent, formatPoints } from './format.js';
import { evalHash } from './route.js';
import { StatusSign, entityWord, isNumber, targetStatus } from './eval-common.js';

/** A share in [0, 1] as a CSS width; anything else is 0. */
const widthOf = (fraction) => `${isNumber(fraction) ? Math.max(0, Math.min(1, fraction)) * 100 : 0}%`;

function RateBar({ t, lang, row, status }) {
  const rate = formatPercent(row.rate, lang);
  const label = isNumber(row.target)
    ? fill(t.rateAria, { rate, target: formatPercent(row.target, lang) })
    : fill(t.rateAriaNoTarget, { rate });
  return html`
    <div class=${`rate-bar ${status}`} role="img" aria-label=${label} data-testid="title-bar">
      <div class="rate-fill" style=${{ width: widthOf(row.rate) }}></div>
      ${isNumber(row.target)
        ? html`<div class="rate-target" style=${{ left: widthOf(row.target) }} data-testid="title-target-marker">
            <span class="rate-target-label">${formatPercent(row.target, lang)}</span>
          </div>`
        : null}
    </div>
  `;
}

function TargetLine({ t, lang, row, status }) {
  if (!isNumber(row.target)) {
    return html`<p class="target-line muted" data-testid="title-target" data-value="">${t.noTarget}</p>`;
  }
  const gap = isNumber(row.gap) && row.gap > 0 ? fill(t.gapText, { gap: formatPoints(row.gap * 100, lang) }) : null;
  return html`
    <p class="target-line" data-testid="title-target" data-value=${row.target}>
      <span>
        ${t.targetLabel} <strong>${formatPercent(row.target, lang)}</strong>
        ${row.target_year ? ` ${fill(t.targetBy, { year: row.target_year })}` : ''}
      </span>
      ${status === 'misses' && gap ? html`<span class="gap"> · ${gap}</span>` : null}
    </p>
    ${row.target_source
      ? html`<p class="target-source" data-testid="title-source">${t.sourceLabel}: ${row.target_source}</p>`
      : null}
  `;
}

function TitleCard({ t, lang, row, year, unit }) {
  const status = targetStatus(row);
  const listHref = evalHash({ year, unit: unit.code, title: row.key });
  const recognisedHref = evalHash({ year, unit: unit.code, title: row.key, recognised: 'yes' });
  const name = apiText(row, 'name', lang) || row.key;
  const listLabel = fill(t.openList, { title: name, unit: unit.name });
  return html`
    <article class="title-card" data-testid="title-card" data-title=${row.key} data-status=${status}>
      <div class="card-head">
        <div>
          <p class="eyebrow">
            ${entityWord(t, row.entity)}${row.levels ? ` · ${fill(t.levelsNote, { n: row.levels })}` : ''}
          </p>
          <h3 data-testid="title-name">${name}</h3>
          ${row.decision ? html`<p class="card-decision">${row.decision}</p>` : null}
        </div>
      </div>

      <div class="rate-row">
        <span class="rate-label">${t.rateLabel}</span>
        <strong class="rate-value" data-testid="title-rate" data-value=${row.rate ?? ''}>
          ${formatPercent(row.rate, lang)}
        </strong>
        <span class=${`target-badge ${status}`} data-testid="title-status">
          <${StatusSign} t=${t} status=${status} showText=${true} />
        </span>
        <span class="rate-hint">
          ${formatCount(row.recognised, lang)}/${formatCount(row.eligible, lang)} · ${t.rateHint}
        </span>
      </div>
      <${RateBar} t=${t} lang=${lang} row=${row} status=${status} />
      <${TargetLine} t=${t} lang=${lang} row=${row} status=${status} />

      <dl class="card-counts">
        <div>
          <dt>${t.eligible}</dt>
          <dd>
            <a
              href=${listHref}
              data-testid="title-eligible"
              data-value=${row.eligible}
              aria-label=${`${listLabel}: ${formatCount(row.eligible, lang)}`}
            >
              ${formatCount(row.eligible, lang)}
            </a>
          </dd>
        </div>
        <div>
          <dt>${t.registered}</dt>
          <dd data-testid="title-registered" data-value=${row.registered}>${formatCount(row.registered, lang)}</dd>
        </div>
        <div>
          <dt>${t.recognised}</dt>
          <dd>
            <a href=${recognisedHref} data-testid="title-recognised" data-value=${row.recognised} title=${t.openListRecognised}>
              ${formatCount(row.recognised, lang)}
            </a>
          </dd>
        </div>
        ${row.levels
          ? html`<div>
              <dt>${t.level2}</dt>
              <dd data-testid="title-level2" data-value=${row.level2}>${formatCount(row.level2, lang)}</dd>
            </div>`
          : null}
      </dl>
      <p class="registered-rate">
        ${`${t.registeredRate}: `}
        <strong data-testid="title-registered-rate" data-value=${row.registered_rate ?? ''}>
          ${formatPercent(row.registered_rate, lang)}
        </strong>
        ${row.registered === 0 ? html`<span class="muted"> · ${fill(t.noneRegistered, { year })}</span>` : null}
      </p>
      <a class="card-link no-print" href=${listHref} data-testid="title-results-link" aria-label=${listLabel}>
        ${t.viewList} →
      </a>
    </article>
  `;
}

export function TitleCards({ t, lang, data }) {
  const titles = Array.isArray(data.titles) ? data.titles : [];
  return html`
    <section class="title-cards-section" aria-labelledby="titles-heading">
      <h2 class="section-heading" id="titles-heading">
        ${fill(t.titlesHeading, { unit: data.unit.name, year: data.year })}
      </h2>
      ${titles.length === 0
        ? html`<p class="panel panel-body muted" data-testid="no-titles">${fill(t.noTitles, { year: data.year })}</p>`
        : html`<div class="title-cards" data-testid="title-cards">
            ${titles.map(
              (row) => html`<${TitleCard} key=${row.key} t=${t} lang=${lang} row=${row} year=${data.year} unit=${data.unit} />`,
            )}
          </div>`}
    </section>
  `;
}
