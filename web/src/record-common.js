// What the workflow pages share (home page, stage lists, the record page):
// the stage names and badges, which title a kind of entity is evaluated for,
// how a record's score reads, the workflow settings' signer per title, sizes.
import { html } from './html.js';
import { apiText } from './i18n.js';
import { formatCount, formatPoints } from './format.js';

/**
 * The default title of each kind of entity (criteria/*.crit, `entity`): the
 * record a household, person, clan, organisation, village or commune page
 * links to. Other titles of the same kind are reached from the stage lists.
 */
export const ENTITY_TITLES = {
  household: 'gia-dinh-hoc-tap',
  person: 'cong-dan-hoc-tap',
  clan: 'dong-ho-hoc-tap',
  organisation: 'don-vi-hoc-tap',
  village: 'cong-dong-hoc-tap-thon',
  commune: 'cong-dong-hoc-tap-xa',
  district: 'huyen-hoc-tap',
  province: 'tinh-hoc-tap',
};

/** The learning-citizen title evaluates persons aged 15 and over (domain README §2). */
export const CITIZEN_MIN_AGE = 15;

/** A stage as a coloured badge with its Vietnamese (or English) name. */
export function StageBadge({ t, stage, testId = 'stage-badge' }) {
  const name = (t.stageNames && t.stageNames[stage]) || stage;
  return html`<span class=${`stage-badge stage-${stage}`} data-testid=${testId} data-stage=${stage}>${name}</span>`;
}

/** The title's name in the page's language, from an object with name/name_en or title_name/title_name_en. */
export function titleName(object, lang) {
  if (!object) return '';
  if (object.title_name || object.title_name_en) return apiText(object, 'title_name', lang) || object.title;
  return apiText(object, 'name', lang) || object.key || '';
}

/**
 * A score as shown: "Mức 1/2" for a title with levels, else "85/100 điểm"
 * (the maximum is the sum of the items' maxima when `max` is known).
 */
export function scoreText(t, lang, { levels, total, level, max }) {
  if (levels) return `${t.levelWord} ${formatCount(level ?? 0, lang)}/${formatCount(levels, lang)}`;
  const points = formatPoints(total, lang);
  return max ? `${points}/${formatPoints(max, lang)} ${t.points}` : `${points} ${t.points}`;
}

/** 1536 -> "1,5 KB" (vi) or "1.5 KB" (en). */
export function formatSize(bytes, lang) {
  const units = ['B', 'KB', 'MB'];
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : (Math.round(value * 10) / 10).toFixed(1);
  return `${lang === 'en' ? text : text.replace('.', ',')} ${units[unit]}`;
}

/**
 * One setting of a title in the workflow settings text (data/workflow/default.txt:
 * a "title KEY" line, then indented "name value" lines): e.g. the signer's
 * position printed on its certificates. '' when the text does not say.
 */
export function titleSetting(text, title, name) {
  let inTitle = false;
  for (const raw of String(text || '').split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    if (!line.trim()) continue;
    const indented = /^\s/.test(line);
    const [word, ...rest] = line.trim().split(/\s+/);
    if (!indented) {
      inTitle = word === 'title' && rest[0] === title;
      continue;
    }
    if (inTitle && word === name) return rest.join(' ');
  }
  return '';
}

/** The problems of a refused request ({field, msg_vi, msg_en}) as text in the page's language. */
export function problemText(problem, lang) {
  return (lang === 'en' ? problem.msg_en || problem.msg_vi : problem.msg_vi || problem.msg_en) || '';
}
