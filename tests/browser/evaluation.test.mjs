// Browser test of the "Đánh giá danh hiệu học tập" page (evaluation), driven as
// an officer would use it: open it from the navigation, compare the title cards
// and the sub-unit table with the API, sort, go down to a commune, open the list
// of "Gia đình học tập" there, page and filter it, open one household's
// explanation, switch language, switch year.
//
// Run: HOCTAP_URL=http://127.0.0.1:18080 node --test tests/browser/
// The server must hold the demo data (`hoctap demo`); the test works with or
// without yearly registrations in it (everything shown is compared with the API).
// Screenshots go to build/screenshots/ for a person to look at.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, launchBrowser, login, sessionApi, watchedPage } from './login.mjs';

const YEAR = 2025;
const TITLE = 'gia-dinh-hoc-tap';
const TITLE_ITEMS = ['C1a', 'C1b', 'C1c', 'C2a', 'C2b', 'C2c', 'C3a', 'C3b', 'C4a', 'C4b'];
const PAGE_SIZE = 50;
const WAIT_MS = 20000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// What the page must show for each status of an item (the brief's wording).
const STATUS_VI = {
  pass: 'đạt',
  partial: 'đạt một phần',
  fail: 'không đạt',
  missing: 'chưa nhập',
  'no-evidence': 'thiếu minh chứng',
  'not-applicable': 'không áp dụng',
  override: 'đã điều chỉnh',
};

/** 12345 -> "12.345": the grouping the page must use in Vietnamese. */
const viGrouped = (value) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** Points as the page shows them in Vietnamese: 30 -> "30", 2.5 -> "2,5". */
const viNumber = (value) => (Number.isInteger(value) ? viGrouped(value) : value.toFixed(1).replace('.', ','));

/** A fraction as the page shows it in Vietnamese: at most one decimal, comma mark. 0.1234 -> "12,3%". */
function viPercent(fraction) {
  if (fraction === null || fraction === undefined) return '–';
  const tenths = Math.round(fraction * 1000);
  const decimal = tenths % 10;
  return `${viGrouped(Math.trunc(tenths / 10))}${decimal ? `,${decimal}` : ''}%`;
}

/** Whether a rate meets its target: empty (nobody eligible), none (no target), meets or misses. */
function expectedStatus(row) {
  if (row.rate === null) return 'empty';
  if (row.target === null) return 'none';
  return row.rate >= row.target ? 'meets' : 'misses';
}

/** Rates in display order, null for "no rate": true when non-increasing (or non-decreasing) with nulls last. */
function isSorted(rates, dir) {
  const known = rates.filter((rate) => rate !== null);
  const firstNull = rates.indexOf(null);
  if (firstNull >= 0 && rates.slice(firstNull).some((rate) => rate !== null)) return false;
  return known.every((rate, i) => i === 0 || (dir === 'desc' ? known[i - 1] >= rate : known[i - 1] <= rate));
}

if (!BASE_URL) {
  test('HOCTAP_URL is set', () => {
    assert.fail(
      'HOCTAP_URL is not set. Start the server with demo data and point the test at it, e.g.\n' +
        '  build/hoctap demo --db /tmp/fe.db && build/hoctap serve --db /tmp/fe.db --listen 127.0.0.1:18080\n' +
        '  HOCTAP_URL=http://127.0.0.1:18080 node --test tests/browser/',
    );
  });
} else {
  describe('Đánh giá danh hiệu học tập (evaluation page)', () => {
    let browser;
    let page;
    const problems = []; // script errors, CSP violations, missing files

    let sessionCall; // the API with the page's session (login.mjs)

    async function api(pathAndQuery) {
      return sessionCall('GET', pathAndQuery);
    }

    async function apiOk(pathAndQuery) {
      const { status, body } = await api(pathAndQuery);
      assert.equal(status, 200, `GET ${pathAndQuery}: ${JSON.stringify(body).slice(0, 300)}`);
      return body;
    }

    /** Wait for a selector; on timeout say what the page shows instead. */
    async function waitFor(selector, what) {
      try {
        await page.waitForSelector(selector, { timeout: WAIT_MS });
      } catch (error) {
        const now = await page
          .$$eval('[data-testid="eval"], [data-testid="results"], [data-testid="explain"]', (els) =>
            els.map((el) => ({ ...el.dataset })),
          )
          .catch(() => 'no page element');
        const alert = await page.$eval('[role="alert"]', (el) => el.innerText).catch(() => null);
        throw new Error(
          `${what} not shown; the page has ${JSON.stringify(now)}` +
            (alert ? `; alert: ${alert}` : '') +
            `; url ${page.url()}`,
          { cause: error },
        );
      }
    }

    const waitForSummary = (year, unit, state = 'ready') =>
      waitFor(
        `[data-testid="eval"][data-state="${state}"][data-year="${year}"][data-unit="${unit}"][data-view="summary"]`,
        `the ${state} evaluation of unit ${unit} in ${year}`,
      );

    const waitForResults = (unit, filter, offset) =>
      waitFor(
        `[data-testid="results"][data-state="ready"][data-title="${TITLE}"][data-unit="${unit}"]` +
          `[data-filter="${filter}"][data-offset="${offset}"]`,
        `the ${filter} results of ${TITLE} in ${unit} from ${offset}`,
      );

    const waitForExplain = (code, lang) =>
      waitFor(
        `[data-testid="explain"][data-state="ready"][data-code="${code}"][data-lang="${lang}"]`,
        `the ${lang} explanation of ${code}`,
      );

    /** The cards as shown, keyed by title. */
    const shownCards = () =>
      page.$$eval('[data-testid="title-card"]', (cards) =>
        cards.map((card) => {
          const get = (id) => card.querySelector(`[data-testid="${id}"]`);
          const read = (id) =>
            get(id) ? { value: get(id).getAttribute('data-value'), text: get(id).textContent.trim() } : null;
          return {
            key: card.getAttribute('data-title'),
            status: card.getAttribute('data-status'),
            name: get('title-name').textContent.trim(),
            rate: read('title-rate'),
            registeredRate: read('title-registered-rate'),
            target: read('title-target'),
            marker: Boolean(get('title-target-marker')),
            source: get('title-source') ? get('title-source').textContent.trim() : null,
            eligible: read('title-eligible'),
            registered: read('title-registered'),
            recognised: read('title-recognised'),
            level2: read('title-level2'),
          };
        }),
      );

    /** Every card agrees with the API's titles for the unit. */
    async function assertCardsMatchApi(evaluation) {
      const cards = await shownCards();
      assert.deepEqual(
        cards.map((card) => card.key),
        evaluation.titles.map((title) => title.key),
        'one card per title, in the API order',
      );
      for (const [index, title] of evaluation.titles.entries()) {
        const card = cards[index];
        const where = `${evaluation.unit.code} ${title.key}`;
        assert.equal(card.name, title.name, `${where}: name`);
        assert.equal(card.rate.text, viPercent(title.rate), `${where}: shown rate`);
        assert.equal(card.rate.value, title.rate === null ? '' : String(title.rate), `${where}: data-value of the rate`);
        assert.equal(card.registeredRate.text, viPercent(title.registered_rate), `${where}: registered rate`);
        assert.equal(card.eligible.text, viGrouped(title.eligible), `${where}: eligible`);
        assert.equal(card.registered.text, viGrouped(title.registered), `${where}: registered`);
        assert.equal(card.recognised.text, viGrouped(title.recognised), `${where}: recognised`);
        if (title.levels) {
          assert.ok(card.level2, `${where}: a title with levels shows the level 2 count`);
          assert.equal(card.level2.text, viGrouped(title.level2), `${where}: level 2`);
        } else {
          assert.equal(card.level2, null, `${where}: no level 2 count without levels`);
        }
        assert.equal(card.status, expectedStatus(title), `${where}: meets the target or not`);
        if (title.target === null) {
          assert.equal(card.marker, false, `${where}: no target marker without a target`);
        } else {
          assert.ok(card.marker, `${where}: the bar has the target marker`);
          assert.ok(card.target.text.includes(viPercent(title.target)), `${where}: target ${card.target.text}`);
          assert.equal(card.source, `Nguồn: ${title.target_source}`, `${where}: the target's source`);
        }
      }
    }

    before(async () => {
      browser = await launchBrowser();
      page = await watchedPage(browser, problems, DESKTOP);
      // Every page needs a session: log in through the form as the admin of the city.
      await login(page, BASE_URL);
      sessionCall = await sessionApi(page, BASE_URL);
    });

    after(async () => {
      if (browser) await browser.close();
    });

    let top; // the API's evaluation of the default unit (the province) in YEAR

    it('is reached from the top navigation and opens 2025 for the province', async () => {
      await page.goto(`${BASE_URL}/#/?d=2025-07-01`);
      await page.waitForSelector('[data-testid="app"][data-state="ready"]', { timeout: WAIT_MS });
      await page.click('[data-testid="nav-evaluation"]');
      top = await apiOk(`/api/v1/evaluation?year=${YEAR}`);
      await waitForSummary(YEAR, top.unit.code);
      assert.equal(await page.textContent('h1'), 'Đánh giá danh hiệu học tập');
      assert.equal(await page.getAttribute('[data-testid="nav-evaluation"]', 'aria-current'), 'page');
      assert.equal(await page.getAttribute('[data-testid="nav-hierarchy"]', 'aria-current'), null);
      assert.match(new URL(page.url()).hash, new RegExp(`^#/danh-gia\\?year=${YEAR}$`), 'the default year is in the URL');
      assert.equal(
        await page.getAttribute('[data-testid="year-option"][aria-pressed="true"]', 'data-year'),
        String(YEAR),
      );
      assert.equal(await page.textContent('[data-testid="eval-date"]'), `31/12/${YEAR}`);
      const current = await page.textContent('[data-testid="eval-breadcrumb"] [aria-current="page"]');
      assert.equal(current.trim(), top.unit.name);
      const text = await page.evaluate(() => document.body.innerText);
      assert.equal(text, text.normalize('NFC'), 'all text on the page is NFC');
    });

    it('the title cards show the API rates, targets and counts', async () => {
      assert.ok(top.titles.some((title) => title.key === TITLE), `${TITLE} is in force in ${YEAR}`);
      await assertCardsMatchApi(top);
      // The household title's rate read as a user reads it, against the API value.
      const family = top.titles.find((title) => title.key === TITLE);
      const shown = await page.textContent(`[data-testid="title-card"][data-title="${TITLE}"] [data-testid="title-rate"]`);
      assert.equal(shown.trim(), viPercent(family.rate), `the ${TITLE} card shows ${family.recognised}/${family.eligible}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'evaluation.png') });
    });

    it('the sub-unit table has the API children, marks targets and sorts by a rate', async () => {
      const rows = () =>
        page.$$eval('[data-testid="eval-child-row"]', (trs) => trs.map((tr) => tr.getAttribute('data-code')));
      const codes = await rows();
      assert.equal(codes.length, top.children.length, 'one row per child');
      assert.deepEqual([...codes].sort(), top.children.map((child) => child.code).sort(), 'the rows are the API children');
      // Sorted in the browser by name (format.js, compareVi), the rows come in the order the
      // server's vt_sort_key gives the children: Vietnamese order, two implementations agreeing.
      assert.deepEqual(codes, top.children.map((child) => child.code), 'the rows are in Vietnamese order of name');
      // the table downloads for Excel: one CSV line per unit and title, the unit first
      const tableCsv = await page.getAttribute('[data-testid="eval-download-csv"]', 'href');
      assert.match(await page.getAttribute('[data-testid="eval-download-xlsx"]', 'href'), /evaluation\.xlsx\?/);
      const tableText = await page.evaluate(async (href) => (await fetch(href, { credentials: 'same-origin' })).text(), tableCsv);
      const tableLines = tableText.split('\r\n').filter((line) => line);
      assert.ok(tableLines[1].startsWith(`${top.unit.code},`), `the unit's own rows come first: ${tableLines[1]}`);

      // Each cell: the rate as text, a sign and words beside the colour.
      for (const child of top.children.slice(0, 10)) {
        const row = top.children.find((c) => c.code === child.code).titles[TITLE];
        const cell = page.locator(
          `[data-testid="eval-child-row"][data-code="${child.code}"] [data-testid="eval-cell"][data-title="${TITLE}"]`,
        );
        assert.equal(await cell.getAttribute('data-value'), row.rate === null ? '' : String(row.rate), `${child.code}: rate`);
        const text = (await cell.innerText()).replace(/\s+/g, ' ');
        if (row.rate === null) {
          assert.ok(text.includes('–'), `${child.code}: no rate is shown as a dash: ${text}`);
          assert.equal(await cell.getAttribute('data-status'), 'empty', `${child.code}: nobody eligible`);
        } else {
          assert.ok(text.includes(viPercent(row.rate)), `${child.code}: ${text} shows ${viPercent(row.rate)}`);
          const status = expectedStatus(row);
          assert.equal(await cell.getAttribute('data-status'), status, `${child.code}: target status`);
          const sign = { meets: '✓', misses: '✗', none: '○' }[status];
          assert.ok(text.includes(sign), `${child.code}: the cell shows ${sign}, not colour only: ${text}`);
          const words = await cell.locator('.status-sign').textContent();
          const expectedWords = { meets: /Đạt chỉ tiêu/, misses: /Chưa đạt chỉ tiêu/, none: /Không có chỉ tiêu/ };
          assert.match(words, expectedWords[status], `${child.code}: the sign is named in words`);
        }
      }

      // Sort by the first title whose rates are not already in order (so the click must move rows).
      const titleKeys = top.titles.map((title) => title.key);
      const rateIn = (code, key) => {
        const row = top.children.find((child) => child.code === code).titles[key];
        return row && row.rate !== null ? row.rate : null;
      };
      const key = titleKeys.find((k) => !isSorted(codes.map((code) => rateIn(code, k)), 'desc')) || TITLE;
      const header = `[data-testid="sort-button"][data-title="${key}"]`;
      await page.click(header);
      await page.waitForSelector(`[data-testid="eval-children"][data-sort="${key}:desc"]`, { timeout: WAIT_MS });
      const desc = await rows();
      assert.ok(isSorted(desc.map((code) => rateIn(code, key)), 'desc'), `rows by ${key} rate, highest first`);
      assert.equal(await page.getAttribute(`th:has(${header})`, 'aria-sort'), 'descending');
      await page.click(header);
      await page.waitForSelector(`[data-testid="eval-children"][data-sort="${key}:asc"]`, { timeout: WAIT_MS });
      assert.ok(isSorted((await rows()).map((code) => rateIn(code, key)), 'asc'), `rows by ${key} rate, lowest first`);
      await page.click(header);
      await page.waitForSelector('[data-testid="eval-children"][data-sort=""]', { timeout: WAIT_MS });
      assert.deepEqual(await rows(), codes, 'a third click goes back to the name order');
    });

    let commune; // { code, name }

    it('clicking a child goes down to a commune, with the API figures and the breadcrumb', async () => {
      // The commune with the most households eligible for the title: a long list to page through.
      const best = top.children
        .filter((child) => child.titles[TITLE])
        .sort((a, b) => b.titles[TITLE].eligible - a.titles[TITLE].eligible)[0];
      commune = { code: best.code, name: best.name };
      await page.click(`[data-testid="eval-child-row"][data-code="${commune.code}"] [data-testid="eval-child-link"]`);
      await waitForSummary(YEAR, commune.code);
      const evaluation = await apiOk(`/api/v1/evaluation?year=${YEAR}&unit=${encodeURIComponent(commune.code)}`);
      await assertCardsMatchApi(evaluation);
      const crumbs = await page.$$eval('[data-testid="eval-breadcrumb"] a[data-code]', (links) =>
        links.map((link) => ({ code: link.getAttribute('data-code'), name: link.textContent.trim() })),
      );
      assert.deepEqual(
        crumbs,
        evaluation.ancestors.map((unit) => ({ code: unit.code, name: unit.name })),
        'breadcrumb: the API ancestors',
      );
      assert.ok(crumbs.some((crumb) => crumb.code === top.unit.code), 'the province is in the breadcrumb');
      assert.equal(new URL(page.url()).hash, `#/danh-gia?year=${YEAR}&unit=${encodeURIComponent(commune.code)}`);
    });

    it("the commune's import templates: what to enter, a title in force, prefilled and empty", async () => {
      await waitFor('[data-testid="templates"]', 'the import templates section');
      const evaluation = await apiOk(`/api/v1/evaluation?year=${YEAR}&unit=${encodeURIComponent(commune.code)}`);
      const href = (id) => page.getAttribute(`[data-testid="${id}"]`, 'href');
      const params = (link) => Object.fromEntries(new URL(link, BASE_URL).searchParams);
      // households first: prefilled with the commune, and an empty one
      assert.match(await href('template-filled'), /templates\/households\.xlsx\?/);
      assert.deepEqual(params(await href('template-filled')), { year: String(YEAR), unit: commune.code });
      assert.deepEqual(params(await href('template-empty')), { year: String(YEAR) });
      const fetched = await page.evaluate(async (link) => {
        const response = await fetch(link, { credentials: 'same-origin' });
        const bytes = new Uint8Array(await response.arrayBuffer());
        return {
          status: response.status,
          type: response.headers.get('Content-Type'),
          name: response.headers.get('Content-Disposition'),
          zip: String.fromCharCode(bytes[0], bytes[1]),
        };
      }, await href('template-filled'));
      assert.equal(fetched.status, 200);
      assert.match(fetched.type, /spreadsheetml/);
      assert.ok(fetched.name.includes(`mau-households-${commune.code}-${YEAR}.xlsx`), fetched.name);
      assert.equal(fetched.zip, 'PK', 'an .xlsx is a ZIP archive');
      // assessments: the titles of the unit, the chosen one in the link
      await page.selectOption('[data-testid="template-kind"]', 'assessments');
      await waitFor('[data-testid="template-title"]', 'the title choice');
      const options = await page.$$eval('[data-testid="template-title"] option', (els) => els.map((el) => el.value));
      assert.deepEqual(options, evaluation.titles.map((title) => title.key), 'the titles of the unit in the year');
      await page.selectOption('[data-testid="template-title"]', TITLE);
      assert.deepEqual(params(await href('template-filled')), { year: String(YEAR), unit: commune.code, title: TITLE });
      await page.locator('[data-testid="templates"]').screenshot({ path: path.join(SCREENSHOTS, 'evaluation-templates.png') });
      await page.selectOption('[data-testid="template-kind"]', 'households');
    });

    let firstCode; // the first household of the list

    it('the household count opens the results list, paged by 50 and filtered', async () => {
      await page.click(`[data-testid="title-card"][data-title="${TITLE}"] [data-testid="title-eligible"]`);
      await waitForResults(commune.code, 'all', 0);
      const q = `/api/v1/results?year=${YEAR}&title=${TITLE}&unit=${encodeURIComponent(commune.code)}`;
      const first = await apiOk(`${q}&offset=0&limit=${PAGE_SIZE}`);
      assert.equal(await page.getAttribute('[data-testid="results"]', 'data-total'), String(first.total));
      const rows = () =>
        page.$$eval('[data-testid="result-row"]', (trs) =>
          trs.map((tr) => ({
            code: tr.getAttribute('data-code'),
            name: tr.querySelector('[data-testid="result-link"]').textContent.trim(),
            total: tr.querySelector('[data-testid="result-total"]').textContent.trim(),
            recognised: tr.querySelector('[data-testid="result-recognised"]').getAttribute('data-value'),
          })),
        );
      const maxPoints = first.title.items.reduce((sum, item) => sum + item.max, 0);
      const expectRows = (body) =>
        body.entities.map((entity) => ({
          code: entity.code,
          name: entity.name,
          total: `${viNumber(entity.total)}/${viNumber(maxPoints)}`,
          recognised: entity.recognised ? 'yes' : 'no',
        }));
      assert.ok(first.entities.length > 0, `${commune.code} has households for ${TITLE}`);
      assert.deepEqual(await rows(), expectRows(first), 'page 1: the API entities with total and recognised');
      // the whole list downloads as CSV for Excel (an administrator may export personal data)
      const csvHref = await page.getAttribute('[data-testid="results-csv"]', 'href');
      const download = await page.evaluate(async (href) => {
        const response = await fetch(href, { credentials: 'same-origin' });
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { type: response.headers.get('Content-Type'), bom: Array.from(bytes.slice(0, 3)), text: new TextDecoder().decode(bytes) };
      }, csvHref);
      assert.match(download.type, /^text\/csv/);
      assert.deepEqual(download.bom, [0xef, 0xbb, 0xbf], 'a byte-order mark, so Excel reads UTF-8');
      const csvLines = download.text.split('\r\n').filter((line) => line);
      assert.equal(csvLines.length - 1, first.total, 'one line per household, all pages');
      const xlsxHref = await page.getAttribute('[data-testid="results-xlsx"]', 'href');
      assert.match(xlsxHref, /results\.xlsx\?/);
      const info = await page.textContent('[data-testid="results-page-info"]');
      assert.ok(info.includes(`trong ${viGrouped(first.total)}`), `page info names the total: ${info}`);
      firstCode = first.entities[0].code;

      if (first.total > PAGE_SIZE) {
        await page.click('[data-testid="results-next"]');
        await waitForResults(commune.code, 'all', PAGE_SIZE);
        const second = await apiOk(`${q}&offset=${PAGE_SIZE}&limit=${PAGE_SIZE}`);
        assert.deepEqual(await rows(), expectRows(second), 'page 2: the next 50 of the API');
        assert.match(new URL(page.url()).hash, /&page=2/);
        await page.click('[data-testid="results-prev"]');
        await waitForResults(commune.code, 'all', 0);
      } else {
        assert.equal(await page.getAttribute('[data-testid="results-next"]', 'aria-disabled'), 'true');
      }

      for (const filter of ['yes', 'no']) {
        await page.click(`[data-testid="filter-${filter}"]`);
        await waitForResults(commune.code, filter, 0);
        const filtered = await apiOk(`${q}&offset=0&limit=${PAGE_SIZE}&recognised=${filter}`);
        assert.equal(await page.getAttribute('[data-testid="results"]', 'data-total'), String(filtered.total));
        assert.deepEqual(await rows(), expectRows(filtered), `recognised=${filter}: the API entities`);
        if (filtered.total === 0) {
          assert.ok(await page.isVisible('[data-testid="results-empty"]'), 'an empty list says so');
        }
      }
      await page.click('[data-testid="filter-all"]');
      await waitForResults(commune.code, 'all', 0);
      assert.equal((await rows())[0].code, firstCode);
    });

    it("a household's explanation lists its 10 items and the recognition", async () => {
      await page.click(`[data-testid="result-row"][data-code="${firstCode}"] [data-testid="result-link"]`);
      await waitForExplain(firstCode, 'vi');
      const explained = await apiOk(`/api/v1/explain?year=${YEAR}&title=${TITLE}&code=${firstCode}&lang=vi`);
      assert.deepEqual(
        explained.items.map((item) => item.key),
        TITLE_ITEMS,
        `the API explains the ${TITLE_ITEMS.length} items of ${TITLE}`,
      );
      const items = await page.$$eval('[data-testid="explain-item"]', (lis) =>
        lis.map((li) => {
          const text = (id) => {
            const el = li.querySelector(`[data-testid="${id}"]`);
            return el ? el.textContent.trim() : null;
          };
          return {
            key: text('explain-item-key'),
            text: text('explain-item-text'),
            result: text('explain-item-result'),
            status: text('explain-status'),
            detail: text('explain-detail'),
            rule: text('explain-rule'),
            assumed: text('explain-assumed'),
          };
        }),
      );
      assert.deepEqual(
        items.map((item) => item.key),
        TITLE_ITEMS,
        'every item C1a…C4b is listed, in order',
      );
      for (const [index, item] of explained.items.entries()) {
        const shown = items[index];
        assert.equal(shown.text, item.text, `${item.key}: text`);
        assert.equal(shown.result, `${viNumber(item.result)}/${viNumber(item.max)} điểm`, `${item.key}: result/max`);
        assert.equal(shown.status, STATUS_VI[item.status], `${item.key}: status badge for ${item.status}`);
        assert.equal(shown.detail, item.detail || null, `${item.key}: detail`);
        assert.equal(shown.rule, item.rule || null, `${item.key}: rule`);
        assert.equal(shown.assumed, item.assumed ? 'giả định' : null, `${item.key}: assumed marker`);
      }
      const recognition = await page.textContent('[data-testid="explain-recognition"]');
      assert.ok(explained.recognition.length > 0, 'the API gives a recognition sentence');
      assert.equal(recognition.replace(/\s+/g, ' ').trim(), `Kết luận: ${explained.recognition}`);
      assert.equal(await page.textContent('[data-testid="explain-name"]'), explained.name);
      assert.match(new URL(page.url()).hash, new RegExp(`&entity=${firstCode}$`));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'evaluation-explain.png') });
    });

    it('English: labels and the explanation change language, and back', async () => {
      const backLink = '[data-testid="results-back"]';
      assert.match(await page.textContent(backLink), /Quay lại tổng hợp/);
      await page.click('[data-testid="lang-toggle"]');
      try {
        await page.waitForFunction(() => document.querySelector('h1').textContent === 'Learning titles evaluation');
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        assert.match(await page.textContent(backLink), /Back to the summary/);
        await waitForExplain(firstCode, 'en');
        const english = await apiOk(`/api/v1/explain?year=${YEAR}&title=${TITLE}&code=${firstCode}&lang=en`);
        const recognition = await page.textContent('[data-testid="explain-recognition"]');
        assert.equal(recognition.replace(/\s+/g, ' ').trim(), `Conclusion: ${english.recognition}`);
        const firstStatus = await page.textContent('[data-testid="explain-status"]');
        assert.ok(!Object.values(STATUS_VI).includes(firstStatus.trim()), `status in English: ${firstStatus}`);
      } finally {
        // Back to Vietnamese whatever happened, so the next tests read Vietnamese.
        await page.click('[data-testid="lang-toggle"]');
        await page.waitForFunction(() => document.querySelector('h1').textContent === 'Đánh giá danh hiệu học tập');
      }
      await waitForExplain(firstCode, 'vi');
    });

    it('on a phone the page does not scroll sideways; the cards stack', async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${BASE_URL}/#/danh-gia?year=${YEAR}&unit=${encodeURIComponent(top.unit.code)}`);
      await waitForSummary(YEAR, top.unit.code);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'evaluation-phone.png') });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page itself does not scroll sideways on a phone (${overflow}px too wide)`);
      const lefts = await page.$$eval('[data-testid="title-card"]', (cards) =>
        cards.slice(0, 2).map((card) => Math.round(card.getBoundingClientRect().left)),
      );
      assert.equal(new Set(lefts).size, 1, `cards are in one column: ${lefts}`);
      const scroller = await page.$eval('[data-testid="eval-children"]', (table) => {
        const wrap = table.closest('.table-wrap');
        return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
      });
      assert.ok(scroller.scroll > scroller.client, 'the table scrolls inside its own box');
      await page.setViewportSize(DESKTOP);
    });

    it('another year shows that year’s titles', async () => {
      const year = 2022;
      await page.click(`[data-testid="year-option"][data-year="${year}"]`);
      const evaluation = await apiOk(`/api/v1/evaluation?year=${year}&unit=${encodeURIComponent(top.unit.code)}`);
      await waitForSummary(year, top.unit.code);
      await assertCardsMatchApi(evaluation);
      assert.equal(await page.textContent('[data-testid="eval-date"]'), `31/12/${year}`);
    });

    it('an unknown unit shows the server message in Vietnamese', async () => {
      const { status, body } = await api(`/api/v1/evaluation?year=${YEAR}&unit=khong-ton-tai`);
      assert.equal(status, 404);
      await page.goto(`${BASE_URL}/#/danh-gia?year=${YEAR}&unit=khong-ton-tai`);
      await waitFor('[data-testid="eval"][data-state="error"]', 'the error state');
      const alert = page.locator('[role="alert"]').first();
      assert.ok(await alert.isVisible(), 'the error is visible');
      assert.ok((await alert.innerText()).includes(body.error.message_vi), 'the alert shows message_vi');
    });

    it('had no script errors, CSP violations or missing files', () => {
      assert.deepEqual(problems, []);
    });
  });
}
