// The import page (#/nhap-lieu?unit=CODE&year=Y&kind=K&title=T): upload a CSV
// or Excel file of households, persons, clans, learning units or a title's
// assessments (docs/import.md). The file goes up with a progress bar; the
// server checks every row and answers with the counts (added, changed,
// unchanged) or every problem (row, column, value, reason in Vietnamese).
// A file with any problem imports nothing; "Tải tệp đánh dấu lỗi" downloads
// the same file with the bad cells highlighted, to fix and upload again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, uploadFile } from './api.js';
import { LANGS, fill } from './i18n.js';
import { formatCount } from './format.js';
import { DEFAULT_EVAL_YEAR, EVAL_YEARS, evalHash, importHash, pageOf, parseImportHash } from './route.js';
import { ErrorAlert, PageFrame, Refusal } from './shell.js';
import { can, useSession } from './session.js';
import { personal, templateHref } from './template-panel.js';

export const IMPORT_KINDS = ['households', 'persons', 'clans', 'units', 'assessments'];

/** May the user import kind? Registry rows need registry.write, assessments records.write. */
export function canImport(user, kind) {
  return can(user, kind === 'assessments' ? 'records.write' : 'registry.write');
}

export function ImportPage({ lang, onLang }) {
  const t = LANGS[lang];
  const { user } = useSession();
  const frame = { t, lang, onLang, page: 'import', title: t.importTitle, lead: t.importLead };
  if (!IMPORT_KINDS.some((kind) => canImport(user, kind))) {
    return html`<${PageFrame} ...${frame} testId="import" state="forbidden">
      <${Refusal} t=${t} title=${t.noPermission} hint=${t.noPermissionHint} />
    </${PageFrame}>`;
  }
  return html`<${Import} t=${t} lang=${lang} user=${user} frame=${frame} />`;
}

function Import({ t, lang, user, frame }) {
  const [route, setRoute] = useState(() => parseImportHash(window.location.hash));
  const [titles, setTitles] = useState([]);
  const [file, setFile] = useState(null);
  const [dryRun, setDryRun] = useState(false);
  const [sheet, setSheet] = useState('');
  // idle | uploading | checking | done | problems | error
  const [run, setRun] = useState({ state: 'idle', sent: 0, total: 0, report: null, error: null });
  const fileInput = useRef(null);

  useEffect(() => {
    const onHashChange = () => {
      if (pageOf(window.location.hash) === 'import') setRoute(parseImportHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const unit = route.unit || user.unit.code;
  const year = route.year || DEFAULT_EVAL_YEAR;
  const kinds = IMPORT_KINDS.filter((kind) => canImport(user, kind));
  const kind = kinds.includes(route.kind) ? route.kind : kinds[0];

  // The titles in force that year, for assessments.
  useEffect(() => {
    let live = true;
    api
      .evaluation(year, unit)
      .then((data) => live && setTitles(Array.isArray(data.titles) ? data.titles : []))
      .catch(() => live && setTitles([]));
    return () => {
      live = false;
    };
  }, [year, unit]);
  const title = route.title || (titles[0] && titles[0].key) || '';

  // The unit's name, for the line that says where the rows go.
  const [unitName, setUnitName] = useState(null);
  useEffect(() => {
    let live = true;
    api
      .unit(unit, `${year}-12-31`)
      .then((data) => live && setUnitName(data && data.unit ? data.unit.name : null))
      .catch(() => live && setUnitName(null));
    return () => {
      live = false;
    };
  }, [unit, year]);

  const go = (change) => {
    window.location.hash = importHash({ unit, year, kind, title: route.title, ...change });
    setRun({ state: 'idle', sent: 0, total: 0, report: null, error: null });
  };

  const params = (extra = {}) => ({
    year,
    name: file ? file.name : '',
    lang,
    sheet: sheet.trim(),
    ...(kind === 'assessments' ? { title } : {}),
    ...extra,
  });

  const start = () => {
    if (!file) return;
    setRun({ state: 'uploading', sent: 0, total: file.size, report: null, error: null });
    uploadFile(kind, file, params(dryRun ? { dry_run: 1 } : {}), {
      onProgress: (sent, total) =>
        setRun((previous) => ({ ...previous, sent, total, state: sent >= total ? 'checking' : 'uploading' })),
    })
      .then(({ status, body }) =>
        setRun({ state: status === 200 ? 'done' : 'problems', sent: 0, total: 0, report: body, error: null }),
      )
      .catch((error) => setRun({ state: 'error', sent: 0, total: 0, report: null, error }));
  };

  const downloadErrors = () => {
    uploadFile(kind, file, params({ report: 'xlsx' }), { blob: true })
      .then(({ body }) => {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(body);
        link.download = `bao-loi-${file.name.replace(/\.[^.]*$/, '')}.xlsx`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      })
      .catch((error) => setRun((previous) => ({ ...previous, error })));
  };

  const busy = run.state === 'uploading' || run.state === 'checking';
  const percent = run.total ? Math.min(100, Math.round((run.sent * 100) / run.total)) : 0;
  const titleItem = titles.find((x) => x.key === title) || null;
  const mayPrefill = !personal(kind, titleItem) || can(user, 'personal.export');
  const template = templateHref(kind, { year, unit: mayPrefill ? unit : null, title });

  return html`<${PageFrame} ...${frame} testId="import" state=${run.state} attrs=${{ 'data-kind': kind }}>
    <section class="panel import-form" aria-labelledby="import-form-title">
      <div class="panel-head"><h2 id="import-form-title">${t.importChoose}</h2></div>
      <div class="panel-body import-fields">
        <label class="field">
          <span class="field-label">${t.importKind}</span>
          <select class="text-input" data-testid="import-kind" value=${kind} onChange=${(e) => go({ kind: e.target.value })}>
            ${kinds.map((k) => html`<option value=${k}>${t[`importKind_${k}`]}</option>`)}
          </select>
        </label>
        <label class="field">
          <span class="field-label">${t.importYear}</span>
          <select class="text-input" data-testid="import-year" value=${year} onChange=${(e) => go({ year: Number(e.target.value) })}>
            ${EVAL_YEARS.map((y) => html`<option value=${y}>${y}</option>`)}
          </select>
        </label>
        ${kind === 'assessments'
          ? html`<label class="field">
              <span class="field-label">${t.importTitleLabel}</span>
              <select class="text-input" data-testid="import-title" value=${title} onChange=${(e) => go({ title: e.target.value })}>
                ${titles.map((x) => html`<option value=${x.key}>${lang === 'en' ? x.name_en : x.name}</option>`)}
              </select>
            </label>`
          : null}
        <p class="muted import-unit">${fill(t.importUnit, { unit: unitName ? `${unitName} (${unit})` : unit })}</p>
      </div>
      <p class="panel-body import-templates">
        ${t.importTemplateHint}
        <a href=${template} data-testid="import-template" download>
          ${mayPrefill ? t.importTemplateLink : t.importTemplateEmpty}</a
        >
      </p>
      <div class="panel-body import-file">
        <input
          ref=${fileInput}
          type="file"
          accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          data-testid="import-file"
          aria-label=${t.importFile}
          disabled=${busy}
          onChange=${(e) => {
            setFile(e.target.files[0] || null);
            setRun({ state: 'idle', sent: 0, total: 0, report: null, error: null });
          }}
        />
        <label class="import-sheet">
          <span>${t.importSheet}</span>
          <input
            type="text"
            class="text-input"
            data-testid="import-sheet"
            value=${sheet}
            placeholder=${t.importSheetPlaceholder}
            onInput=${(e) => setSheet(e.target.value)}
          />
        </label>
        <label class="import-check">
          <input type="checkbox" checked=${dryRun} data-testid="import-dry-run" onChange=${(e) => setDryRun(e.target.checked)} />
          ${t.importDryRun}
        </label>
        <button type="button" class="btn btn-primary" data-testid="import-start" disabled=${!file || busy || (kind === 'assessments' && !title)} onClick=${start}>
          ${dryRun ? t.importCheck : t.importStart}
        </button>
      </div>
      ${busy
        ? html`<div class="panel-body import-progress" role="status" data-testid="import-progress">
            <progress max="100" value=${run.state === 'checking' ? undefined : percent} aria-label=${t.importUploading}></progress>
            <span>${run.state === 'checking' ? t.importChecking : fill(t.importUploadingPercent, { percent })}</span>
          </div>`
        : null}
    </section>
    ${run.error ? html`<${ErrorAlert} t=${t} lang=${lang} error=${run.error} onRetry=${start} />` : null}
    ${run.report ? html`<${Report} t=${t} lang=${lang} run=${run} unit=${unit} year=${year} title=${title} kind=${kind} onErrors=${downloadErrors} />` : null}
  </${PageFrame}>`;
}

function Report({ t, lang, run, unit, year, title, kind, onErrors }) {
  const r = run.report;
  const counts = {
    rows: formatCount(r.rows, lang),
    added: formatCount(r.added, lang),
    changed: formatCount(r.changed, lang),
    unchanged: formatCount(r.unchanged, lang),
  };
  const encoding = r.encoding && r.encoding.detected && r.encoding.name !== 'utf-8'
    ? html`<p class="muted" data-testid="import-encoding">${fill(t.importEncoding, { name: r.encoding.name })}</p>`
    : null;
  if (run.state === 'done') {
    return html`<section class="panel import-report is-ok" data-testid="import-report" role="status">
      <h2>${r.dry_run ? t.importDryRunOk : t.importDone}</h2>
      <p data-testid="import-counts">${fill(t.importCounts, counts)}</p>
      ${encoding}
      ${r.dry_run ? html`<p>${t.importDryRunHint}</p>` : null}
      ${!r.dry_run
        ? html`<p><a href=${evalHash({ year, unit, title: kind === 'assessments' ? title : null })} data-testid="import-see-results"
            >${t.importSeeResults}</a></p>`
        : null}
    </section>`;
  }
  return html`<section class="panel import-report is-bad" data-testid="import-report" role="alert">
    <h2>${fill(t.importProblems, { count: formatCount(r.problems_total, lang) })}</h2>
    <p>${t.importNothingWritten}</p>
    ${encoding}
    <p>
      <button type="button" class="btn" data-testid="import-errors-xlsx" onClick=${onErrors}>${t.importErrorsXlsx}</button>
    </p>
    <div class="table-wrap">
      <table class="data-table" data-testid="import-problems">
        <thead>
          <tr><th>${t.importRow}</th><th>${t.importColumn}</th><th>${t.importValue}</th><th>${t.importReason}</th></tr>
        </thead>
        <tbody>
          ${r.problems.map(
            (p) => html`<tr>
              <td class="num">${p.row || ''}</td>
              <td>${p.column || ''}${p.field ? html` <span class="muted">(${p.field})</span>` : ''}</td>
              <td>${p.value || ''}</td>
              <td>${p.message}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${r.problems_total > r.problems.length
      ? html`<p class="muted">${fill(t.importMore, { count: formatCount(r.problems_total - r.problems.length, lang) })}</p>`
      : null}
  </section>`;
}
