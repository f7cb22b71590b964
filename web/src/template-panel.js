// "Mẫu nhập liệu": the import templates of the shown unit and year
// (GET /api/v1/templates/{kind}.xlsx, docs/import.md "Templates"). The officer
// picks what to enter (households, persons, clans, learning units, or a
// title's assessments), then downloads the workbook prefilled with the unit's
// rows, or an empty one. Prefilled templates of persons, households and person
// titles hold names and citizen IDs: they need personal.export (the server
// refuses them otherwise), so the link is replaced by a note for those without.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { apiText, fill } from './i18n.js';
import { can, useSession } from './session.js';
import { canImport } from './import.js';
import { importHash } from './route.js';

const KINDS = ['households', 'persons', 'clans', 'units', 'assessments'];

/** The address of a template: prefilled with `unit` when it is given. */
export function templateHref(kind, { year, unit, title }) {
  const params = new URLSearchParams({ year: String(year) });
  if (unit) params.set('unit', unit);
  if (kind === 'assessments' && title) params.set('title', title);
  return `api/v1/templates/${kind}.xlsx?${params}`;
}

/** Does the prefilled template of kind (and title) hold personal data? */
export function personal(kind, title) {
  return kind === 'persons' || kind === 'households' || (kind === 'assessments' && title && title.entity === 'person');
}

export function TemplatePanel({ t, lang, year, unit, titles }) {
  const { user } = useSession();
  const [kind, setKind] = useState('households');
  const [titleKey, setTitleKey] = useState('');
  if (!unit || !can(user, 'registry.read')) return null;
  const list = Array.isArray(titles) ? titles : [];
  const title = list.find((item) => item.key === titleKey) || list[0] || null;
  const needsTitle = kind === 'assessments';
  const ready = !needsTitle || title !== null;
  const chosen = { year, unit: unit.code, title: title ? title.key : null };
  const mayPrefill = !personal(kind, title) || can(user, 'personal.export');
  return html`
    <section class="panel template-panel no-print" data-testid="templates" aria-labelledby="templates-heading">
      <div class="panel-head">
        <div>
          <p class="eyebrow">${fill(t.templatesFor, { unit: unit.name, year })}</p>
          <h2 id="templates-heading">${t.templatesHeading}</h2>
        </div>
      </div>
      <div class="panel-body template-body">
        <p class="muted">${t.templatesLead}</p>
        <div class="template-choices">
          <label class="field">
            <span class="field-label">${t.templateKind}</span>
            <select class="text-input" data-testid="template-kind" value=${kind} onChange=${(event) => setKind(event.currentTarget.value)}>
              ${KINDS.map((key) => html`<option value=${key} key=${key}>${t.templateKinds[key]}</option>`)}
            </select>
          </label>
          ${needsTitle
            ? html`<label class="field">
                <span class="field-label">${t.templateTitle}</span>
                <select
                  class="text-input"
                  data-testid="template-title"
                  value=${title ? title.key : ''}
                  disabled=${list.length === 0}
                  onChange=${(event) => setTitleKey(event.currentTarget.value)}
                >
                  ${list.map((item) => html`<option value=${item.key} key=${item.key}>${apiText(item, 'name', lang) || item.key}</option>`)}
                </select>
              </label>`
            : null}
        </div>
        ${needsTitle && list.length === 0 ? html`<p class="muted">${t.templateNoTitles}</p>` : null}
        ${ready
          ? html`<div class="template-links">
              ${mayPrefill
                ? html`<a class="button-link" href=${templateHref(kind, chosen)} download data-testid="template-filled"
                    title=${personal(kind, title) ? t.templateFilledLogged : t.templateFilledHint}>${t.templateFilled}</a>`
                : null}
              <a class="button-link" href=${templateHref(kind, { ...chosen, unit: null })} download data-testid="template-empty"
                title=${t.templateEmptyHint}>${t.templateEmpty}</a>
              ${canImport(user, kind)
                ? html`<a class="button-link" href=${importHash({ unit: unit.code, year, kind, title: needsTitle ? chosen.title : null })}
                    data-testid="template-import">${t.templateImport}</a>`
                : null}
            </div>
            ${mayPrefill ? null : html`<p class="note" data-testid="template-personal-note">${t.templatePersonalNote}</p>`}`
          : null}
      </div>
    </section>
  `;
}
