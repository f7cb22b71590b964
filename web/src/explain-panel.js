// Why one entity got its result for a title (GET /api/v1/explain): per item the
// key, text, result/max, a status badge, the detail, the rule and a marker when
// the criterion's content is an assumption; then the recognition sentence.
import { useEffect, useRef } from 'preact/hooks';
import { html } from './html.js';
import { apiText, fill } from './i18n.js';
import { formatPoints } from './format.js';
import { DEFAULT_EVAL_YEAR, auditHash, evalHash, recordHash } from './route.js';
import { can, useSession } from './session.js';
import { ErrorAlert } from './shell.js';
import { scoreText } from './results-list.js';

const STATUSES = ['pass', 'partial', 'fail', 'missing', 'no-evidence', 'not-applicable', 'override'];

/** An item's status as a coloured badge ("đạt", "chưa nhập", …). */
export function StatusBadge({ t, status, testId = 'explain-status' }) {
  const known = STATUSES.includes(status);
  return html`<span
    class=${`status-badge status-${known ? status : 'unknown'}`}
    data-testid=${testId}
    data-status=${status}
    title=${t.statusLabel}
  >
    ${known ? t.statuses[status] : status}
  </span>`;
}

function Item({ t, lang, item, levels }) {
  const result = levels
    ? `${t.levelWord} ${formatPoints(item.result, lang)}/${formatPoints(item.max, lang)}`
    : `${formatPoints(item.result, lang)}/${formatPoints(item.max, lang)} ${t.points}`;
  return html`
    <li class="explain-item" data-testid="explain-item" data-key=${item.key} data-status=${item.status}>
      <div class="item-head">
        <span class="item-key" data-testid="explain-item-key">${item.key}</span>
        <span class="item-text" data-testid="explain-item-text">${item.text}</span>
        <span class="item-result" data-testid="explain-item-result" data-value=${item.result ?? ''} data-max=${item.max ?? ''}>
          ${result}
        </span>
      </div>
      <div class="item-badges">
        <${StatusBadge} t=${t} status=${item.status} />
        ${item.assumed
          ? html`<span class="assumed-badge" data-testid="explain-assumed" title=${t.assumedTitle}>${t.assumed}</span>`
          : null}
      </div>
      ${item.detail ? html`<p class="item-detail" data-testid="explain-detail">${item.detail}</p>` : null}
      ${item.rule
        ? html`<p class="item-rule">
            <span class="item-label">${t.ruleLabel}:</span> <code data-testid="explain-rule">${item.rule}</code>
          </p>`
        : null}
      ${item.source
        ? html`<p class="item-source"><span class="item-label">${t.sourceLabel}:</span> ${item.source}</p>`
        : null}
    </li>
  `;
}

export function ExplainPanel({ t, lang, route, slot, onRetry }) {
  const { user } = useSession();
  const panel = useRef(null);
  const data = slot.state === 'ready' ? slot.data : slot.state === 'loading' ? slot.data : null;

  // On a phone the panel is below the list: bring a newly opened explanation into view.
  const shown = useRef(null);
  useEffect(() => {
    if (slot.state !== 'ready' || !data || shown.current === data.code || !panel.current) return;
    shown.current = data.code;
    const box = panel.current.getBoundingClientRect();
    if (box.top > window.innerHeight || box.bottom < 0) panel.current.scrollIntoView({ block: 'start' });
  }, [slot.state, data]);

  if (!route.entity) {
    return html`<aside class="panel explain-panel is-empty" data-testid="explain" data-state="idle">
      <div class="panel-body muted">${t.pickEntityHint}</div>
    </aside>`;
  }
  const closeHref = evalHash({ ...route, entity: null });
  const title = data && data.title;
  const items = data && Array.isArray(data.items) ? data.items : [];
  const levels = Boolean(title && title.levels);
  // The total's maximum is the sum of the items' maxima (scoreText reads them from `items`).
  const scored = { ...title, items: items.map((item) => ({ max: item.max })) };
  return html`
    <aside
      class=${slot.state === 'loading' ? 'panel explain-panel is-busy' : 'panel explain-panel'}
      ref=${panel}
      data-testid="explain"
      data-state=${slot.state}
      data-code=${data ? data.code : ''}
      data-lang=${slot.key ? slot.key.split('|').pop() : ''}
      aria-busy=${slot.state === 'loading' ? 'true' : 'false'}
      aria-labelledby="explain-heading"
    >
      <div class="panel-head">
        <div>
          <p class="eyebrow">${t.explainHeading}${title ? ` · ${apiText(title, 'name', lang)}` : ''}</p>
          <h2 id="explain-heading" data-testid="explain-name">${data ? data.name || data.code : route.entity}</h2>
          ${data
            ? html`<p class="link-meta">
                ${data.code}${data.citizen_id_masked ? ` · ${t.citizenId} ${data.citizen_id_masked}` : ''}${data.age != null
                  ? ` · ${fill(t.ageYears, { age: data.age })}`
                  : ''}
              </p>`
            : null}
        </div>
        <div class="panel-actions no-print">
          ${data
            ? html`<a
                class="button-link"
                href=${recordHash(route.title, route.year || DEFAULT_EVAL_YEAR, data.code)}
                data-testid="explain-record"
                >${t.openRecord}</a
              >`
            : null}
          ${data && can(user, 'audit.read')
            ? html`<a
                class="button-link"
                href=${auditHash({ object_kind: 'record', object: `${route.title}/${route.year || DEFAULT_EVAL_YEAR}/${data.code}` })}
                data-testid="explain-audit"
                >${t.recordAudit}</a
              >`
            : null}
          <a class="button-link" href=${closeHref} data-testid="explain-close">${t.closeExplain}</a>
        </div>
      </div>
      <div class="panel-body">
        ${slot.state === 'error'
          ? html`<${ErrorAlert} t=${t} lang=${lang} error=${slot.error} onRetry=${onRetry} testId="explain-error" />`
          : !data
            ? html`<p class="muted" role="status">${t.loading}</p>`
            : html`
                <dl class="facts explain-facts">
                  <div>
                    <dt>${levels ? t.colLevel : t.totalLabel}</dt>
                    <dd data-testid="explain-total">${scoreText(t, lang, scored, data)}</dd>
                  </div>
                  <div><dt>${t.colRegistered}</dt><dd>${data.registered ? t.yes : t.no}</dd></div>
                  <div>
                    <dt>${t.colRecognised}</dt>
                    <dd data-testid="explain-recognised" data-value=${data.recognised ? 'yes' : 'no'}>
                      ${data.recognised ? `✓ ${t.yes}` : `✗ ${t.no}`}
                    </dd>
                  </div>
                </dl>
                <ol class="explain-items" data-testid="explain-items" data-count=${items.length}>
                  ${items.map(
                    (item) => html`<${Item} key=${item.key} t=${t} lang=${lang} item=${item} levels=${levels} />`,
                  )}
                </ol>
                <p class="recognition" data-testid="explain-recognition">
                  <strong>${t.recognitionLabel}:</strong> ${data.recognition}
                </p>
              `}
      </div>
    </aside>
  `;
}
