// The dashboard's charts, drawn as SVG by hand (no chart library): a rate bar
// with its target marker, the ranked sub-units as a bar chart, the tile map,
// the trend over the years as a line chart and the QĐ 677 measures. Every
// chart has a <title> / aria-label and its figures as text beside it or in a
// table (dashboard.js), since a chart alone says nothing to a screen reader
// or on paper in black and white. Colour never carries the meaning alone: a
// sign (✓ ✗ ○ –) or the number is always next to it.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { fill } from './i18n.js';
import { formatPercent, formatPoints } from './format.js';
import { StatusSign, isNumber, targetStatus } from './eval-common.js';

/** A fraction clamped to [0, 1] (0 for anything else). */
export const clamp01 = (value) => (isNumber(value) ? Math.max(0, Math.min(1, value)) : 0);

/** "chỉ tiêu 70%" or "không có chỉ tiêu". */
export function targetWords(t, lang, target) {
  return isNumber(target) ? fill(t.dashTargetShort, { target: formatPercent(target, lang) }) : t.dashNoTargetShort;
}

/** The gap to target in words: "còn thiếu 3,2 điểm phần trăm" / "vượt …" / "" without one. */
export function gapWords(t, lang, gap) {
  if (!isNumber(gap)) return '';
  const points = Math.round(Math.abs(gap) * 1000) / 10;
  if (points === 0) return t.dashGapZero;
  return fill(gap > 0 ? t.dashGapBehind : t.dashGapAhead, { gap: formatPoints(points, lang) });
}

/** The gap as a short signed number of percentage points: "−3,2" short, "+4" above. */
export function gapShort(lang, gap) {
  if (!isNumber(gap)) return '–';
  const points = Math.round(-gap * 1000) / 10;
  if (points === 0) return '±0';
  return `${points > 0 ? '+' : '−'}${formatPoints(Math.abs(points), lang)}`;
}

/**
 * The colour band of a rate: against its target (ahead, meets, near, behind,
 * far) or, without a target, by the rate alone (q1..q4); 'empty' without a rate.
 */
export function bandOf(figure) {
  if (!figure || !isNumber(figure.rate)) return 'empty';
  if (!isNumber(figure.target)) {
    if (figure.rate >= 0.75) return 'q4';
    if (figure.rate >= 0.5) return 'q3';
    if (figure.rate >= 0.25) return 'q2';
    return 'q1';
  }
  const diff = figure.rate - figure.target + 1e-9; // rates come rounded to 6 decimals
  if (diff >= 0.1) return 'ahead';
  if (diff >= 0) return 'meets';
  if (diff > -0.1) return 'near';
  if (diff >= -0.3) return 'behind';
  return 'far';
}
export const TARGET_BANDS = ['ahead', 'meets', 'near', 'behind', 'far'];
export const RATE_BANDS = ['q4', 'q3', 'q2', 'q1'];

/**
 * A horizontal bar: the rate filled from the left, the registered rate as a
 * thin bar under it (when given), the target a dark marker. Stretched to the
 * width of its box (the strokes keep their width).
 */
export function Bar({ rate, registered = null, target = null, status, label, testId, size = 'normal' }) {
  const height = size === 'small' ? 10 : 18;
  const main = registered === null ? height : Math.round(height * 0.7);
  return html`<svg
    class=${`dash-bar is-${size} ${status}`}
    viewBox=${`0 0 100 ${height}`}
    preserveAspectRatio="none"
    role="img"
    aria-label=${label}
    data-testid=${testId}
    data-value=${isNumber(rate) ? rate : ''}
    data-target=${isNumber(target) ? target : ''}
    focusable="false"
  >
    <title>${label}</title>
    <rect class="bar-track" x="0" y="0" width="100" height=${main} />
    <rect class="bar-fill" x="0" y="0" width=${clamp01(rate) * 100} height=${main} />
    ${registered !== null
      ? html`<rect class="bar-registered" x="0" y=${main + 1} width=${clamp01(registered) * 100} height=${height - main - 1} />`
      : null}
    ${isNumber(target)
      ? html`<line
          class="bar-target"
          x1=${clamp01(target) * 100}
          x2=${clamp01(target) * 100}
          y1="-3"
          y2=${height + 3}
          vector-effect="non-scaling-stroke"
        />`
      : null}
  </svg>`;
}

/** The width of an element in CSS pixels, followed as it changes (null before the first layout). */
export function useWidth(ref) {
  const [width, setWidth] = useState(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => {
      const next = Math.round(element.getBoundingClientRect().width);
      if (next > 0) setWidth((previous) => (previous === next ? previous : next));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', measure);
      return () => window.removeEventListener('resize', measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return width;
}

/**
 * The trend as a line chart drawn at the width of its box (so its text keeps
 * its size on a phone): the rate and the registered rate per year, the target
 * as a dashed line; a year whose figures are the predecessors' combined ones
 * has hollow points, a year without figures breaks the lines.
 */
export function TrendChart({ t, lang, trend, label }) {
  const box = useRef(null);
  const measured = useWidth(box);
  const width = Math.max(280, Math.min(measured || 640, 900));
  const narrow = width < 460;
  const height = narrow ? 220 : 250;
  const pad = { left: narrow ? 38 : 46, right: narrow ? 14 : 24, top: 22, bottom: 34 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = trend.length;
  const xOf = (i) => pad.left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const yOf = (value) => pad.top + plotH * (1 - clamp01(value));
  const pointsOf = (pick) => trend.map((point, i) => ({ i, point, value: point.figure ? pick(point.figure) : null }));

  /** The line through consecutive known values; an unknown one breaks it. */
  const path = (values) => {
    let d = '';
    let open = false;
    for (const { i, value } of values) {
      if (!isNumber(value)) {
        open = false;
        continue;
      }
      d += `${open ? 'L' : 'M'}${xOf(i).toFixed(1)},${yOf(value).toFixed(1)}`;
      open = true;
    }
    return d;
  };
  const rates = pointsOf((figure) => figure.rate);
  const registered = pointsOf((figure) => figure.registered_rate);
  const targets = pointsOf((figure) => figure.target);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const fontSize = narrow ? 11 : 12;

  return html`<div class="trend-chart" ref=${box}>
    <svg
      viewBox=${`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label=${label}
      data-testid="dash-trend-chart"
      focusable="false"
      style=${{ fontSize: `${fontSize}px` }}
    >
      <title>${label}</title>
      ${ticks.map(
        (tick) => html`<g class="trend-grid" key=${tick}>
          <line x1=${pad.left} x2=${width - pad.right} y1=${yOf(tick)} y2=${yOf(tick)} />
          <text x=${pad.left - 6} y=${yOf(tick) + 4} text-anchor="end">${formatPercent(tick, lang)}</text>
        </g>`,
      )}
      ${trend.map(
        (point, i) => html`<text
          class=${point.available ? 'trend-year' : 'trend-year is-missing'}
          key=${point.year}
          x=${xOf(i)}
          y=${height - 10}
          text-anchor="middle"
        >
          ${point.year}${point.combined ? '*' : ''}
        </text>`,
      )}
      <path class="trend-line is-target" d=${path(targets)} data-testid="dash-trend-target" />
      <path class="trend-line is-registered" d=${path(registered)} data-testid="dash-trend-registered" />
      <path class="trend-line is-rate" d=${path(rates)} data-testid="dash-trend-rate" />
      ${registered.map(({ i, point, value }) =>
        isNumber(value)
          ? html`<rect
              key=${`r${point.year}`}
              class=${point.combined ? 'trend-mark is-registered is-combined' : 'trend-mark is-registered'}
              x=${xOf(i) - 4}
              y=${yOf(value) - 4}
              width="8"
              height="8"
            />`
          : null,
      )}
      ${rates.map(({ i, point, value }) =>
        isNumber(value)
          ? html`<g key=${`p${point.year}`}>
              <circle
                class=${point.combined ? 'trend-mark is-rate is-combined' : 'trend-mark is-rate'}
                cx=${xOf(i)}
                cy=${yOf(value)}
                r="5"
                data-testid="dash-trend-point"
                data-year=${point.year}
                data-value=${value}
                data-combined=${point.combined ? 'true' : 'false'}
              >
                <title>${fill(t.dashTrendPoint, { year: point.year, rate: formatPercent(value, lang) })}${point.combined ? ` (${t.dashCombinedShort})` : ''}</title>
              </circle>
              <text
                class="trend-value"
                x=${Math.min(Math.max(xOf(i), pad.left + 16), width - pad.right - 16)}
                y=${yOf(value) - 10 < pad.top - 6 ? yOf(value) + 20 : yOf(value) - 10}
                text-anchor="middle"
              >
                ${formatPercent(value, lang)}
              </text>
            </g>`
          : null,
      )}
    </svg>
  </div>`;
}

/** The legend of the trend chart: what each line and point means. */
export function TrendLegend({ t, basis, combined }) {
  return html`<ul class="chart-legend" aria-hidden="true">
    <li><span class="key key-rate"></span>${t.dashTrendRate[basis]}</li>
    <li><span class="key key-registered"></span>${t.dashTrendRegistered}</li>
    <li><span class="key key-target"></span>${t.dashTrendTarget}</li>
    ${combined ? html`<li><span class="key key-combined"></span>${t.dashCombinedShort}</li>` : null}
  </ul>`;
}

/** One row of a ranked chart: rank, the unit (a link), its bar, rate and gap. */
function RankRow({ t, lang, row, rank, href, extra, testId, parent, showCode }) {
  const figure = row.figure || {};
  const status = targetStatus(figure);
  const rate = formatPercent(figure.rate, lang);
  const label = fill(t.dashRowAria, { rank, unit: row.name, rate, target: targetWords(t, lang, figure.target) });
  return html`<li
    class=${`rank-row ${status}${extra ? ' is-extra' : ''}`}
    data-testid=${testId}
    data-code=${row.code}
    data-value=${isNumber(figure.rate) ? figure.rate : ''}
    data-gap=${isNumber(figure.gap) ? figure.gap : ''}
  >
    <span class="rank-no" aria-hidden="true">${rank}</span>
    <span class="rank-name">
      <a href=${href} data-testid=${`${testId}-link`} aria-label=${`${label}. ${fill(t.dashOpen, { unit: row.name })}`}>${row.name}</a>
      ${showCode ? html` <span class="unit-code">${row.code}</span>` : null}
      ${parent ? html`<span class="rank-parent">${parent}</span>` : null}
    </span>
    <span class="rank-bar">
      <${Bar}
        rate=${figure.rate}
        registered=${figure.registered_rate ?? 0}
        target=${figure.target}
        status=${status}
        label=${label}
        size="small"
      />
    </span>
    <span class="rank-rate" aria-hidden="true">
      <strong>${rate}</strong>
      ${status === 'empty' ? null : html`<${StatusSign} t=${t} status=${status} />`}
    </span>
    <span class=${isNumber(figure.gap) && figure.gap > 0 ? 'rank-gap is-short' : 'rank-gap'} aria-hidden="true">
      ${gapShort(lang, figure.gap)}
    </span>
  </li>`;
}

/**
 * Units ranked as a bar chart (an ordered list, so it reads as one too).
 * `limit` rows are shown on screen until `expanded`; print shows them all.
 * `parentOf(row)` names the unit a row lies in, if it is to be shown; a name
 * borne by two units of `rows` or `others` is shown with the code.
 */
export function RankedChart({ t, lang, rows, hrefOf, limit = 0, expanded = true, testId, parentOf = null, label, others = [] }) {
  const twins = sameNames([...rows, ...others.filter((other) => !rows.some((row) => row.code === other.code))]);
  return html`<ol class="rank-chart" aria-label=${label} data-testid=${testId} data-count=${rows.length}>
    ${rows.map(
      (row, i) => html`<${RankRow}
        key=${row.code}
        t=${t}
        lang=${lang}
        row=${row}
        rank=${i + 1}
        href=${hrefOf(row)}
        extra=${!expanded && limit > 0 && i >= limit}
        testId=${`${testId}-row`}
        parent=${parentOf ? parentOf(row) : null}
        showCode=${twins.has(row.name)}
      />`,
    )}
  </ol>`;
}

/**
 * The names that more than one unit of `rows` bears (villages of merged
 * communes often share "Thôn 2"): those are shown with their code.
 */
export function sameNames(rows) {
  const seen = new Set();
  const twins = new Set();
  for (const row of rows) {
    if (seen.has(row.name)) twins.add(row.name);
    seen.add(row.name);
  }
  return twins;
}

/** The legend of a ranked chart. */
export function RankLegend({ t, basis }) {
  return html`<ul class="chart-legend" aria-hidden="true">
    <li><span class="key key-bar"></span>${t.dashTrendRate[basis]}</li>
    <li><span class="key key-bar-registered"></span>${t.dashTrendRegistered}</li>
    <li><span class="key key-target-mark"></span>${t.dashTrendTarget}</li>
  </ul>`;
}

/** The tile map: a tile per unit in name order, coloured by its band, each a link. */
export function TileMap({ t, lang, tiles, hrefOf, label }) {
  const twins = sameNames(tiles);
  return html`<ul class="tile-map" aria-label=${label} data-testid="dash-tiles" data-count=${tiles.length}>
    ${tiles.map((tile) => {
      const band = bandOf(tile.figure);
      const status = targetStatus(tile.figure);
      const rate = formatPercent(tile.figure ? tile.figure.rate : null, lang);
      const words = `${tile.name}: ${rate}; ${tile.figure ? targetWords(t, lang, tile.figure.target) : t.dashNoEligible}`;
      return html`<li key=${tile.code} class="tile-cell">
        <a
          class=${`tile band-${band}`}
          href=${hrefOf(tile)}
          data-testid="dash-tile"
          data-code=${tile.code}
          data-band=${band}
          data-value=${tile.figure && isNumber(tile.figure.rate) ? tile.figure.rate : ''}
          title=${words}
          aria-label=${`${words}. ${t.dashBands[band]}`}
        >
          <span class="tile-name">${tile.name}${twins.has(tile.name) ? html` <span class="unit-code">${tile.code}</span>` : null}</span>
          <span class="tile-rate">
            <span aria-hidden="true">${status === 'meets' ? '✓' : status === 'misses' ? '✗' : ''}</span> ${rate}
          </span>
        </a>
      </li>`;
    })}
  </ul>`;
}

/** The bands a tile map uses, with their words. */
export function TileLegend({ t, bands }) {
  const targetBands = TARGET_BANDS.filter((band) => bands.has(band));
  const rateBands = RATE_BANDS.filter((band) => bands.has(band));
  return html`<div class="tile-legend" data-testid="dash-tile-legend">
    <span class="field-label">${t.dashLegend}</span>
    <ul>
      ${targetBands.map((band) => html`<li key=${band}><span class=${`swatch band-${band}`}></span>${t.dashBands[band]}</li>`)}
      ${rateBands.length
        ? html`<li class="legend-note">${t.dashLegendNoTarget}:</li>
            ${rateBands.map((band) => html`<li key=${band}><span class=${`swatch band-${band}`}></span>${t.dashBands[band]}</li>`)}`
        : null}
      ${bands.has('empty') ? html`<li><span class="swatch band-empty"></span>${t.dashBands.empty}</li>` : null}
    </ul>
  </div>`;
}

/** Re-exported for the page: the one place that decides the status of a figure. */
export { targetStatus, isNumber };
