// Browser test of the home page, the dashboard "Tổng quan" (docs/dashboard-page.md),
// as a city administrator uses it: after login the home page shows the city's
// dashboard with real charts (SVG bars, lines, tiles) and no console error, the
// rate on screen is the API's; choosing the targets of QĐ 387 and the learning-
// family title, a click on the first commune "furthest behind" opens that
// commune's dashboard, whose trend shows 2023 as the combined figures of the
// communes it was merged from (the API says which); a household's record saved
// through the API shows on the open page within seconds, without a reload and
// without losing the scroll position; the counts open the lists behind them;
// the page fits 360 px and prints without its controls.
//
// The test saves a record, so it runs its own server on a fresh demo database
// when the runner gives HOCTAP_BIN (tests/run.py does); without it, HOCTAP_URL
// with HOCTAP_ADMIN_USER/PASSWORD. Screenshots: build/screenshots/dashboard*.png,
// and the printed page as dashboard-print.pdf (its first two pages as PNG).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, launchBrowser, login, missingAdminEnv, sessionApi, watchedPage } from './login.mjs';
import { BIN, privateServer } from './private-server.mjs';

const YEAR = 2025;
const TITLE = 'gia-dinh-hoc-tap';
const TARGETS = 'qd-387';
const WAIT_MS = 20000;
const LIVE_WAIT_MS = 30000; // the page asks again every 10 s
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
const STAMP = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

const envProblem = BIN ? (fs.existsSync(BIN) ? null : `HOCTAP_BIN=${BIN} does not exist`) : !BASE_URL ? 'HOCTAP_URL is not set' : missingAdminEnv();

/** 12345 -> "12.345". */
const viGrouped = (value) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** A fraction as the page shows it in Vietnamese: at most one decimal, comma mark. */
function viPercent(fraction) {
  if (fraction === null || fraction === undefined) return '–';
  const tenths = Math.round(fraction * 1000);
  const decimal = tenths % 10;
  return `${viGrouped(Math.trunc(tenths / 10))}${decimal ? `,${decimal}` : ''}%`;
}

if (envProblem) {
  test('HOCTAP_BIN, or HOCTAP_URL with an admin, is set', () => assert.fail(envProblem));
} else {
  describe('Tổng quan (the dashboard, the home page)', () => {
    let server = null;
    let base = BASE_URL;
    let browser;
    let page;
    let api;
    const problems = []; // script errors, CSP violations, missing files, console errors
    const chosen = {}; // the commune drilled into

    async function apiOk(method, pathAndQuery, body) {
      const answer = await api(method, pathAndQuery, body);
      assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${pathAndQuery}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    }
    const dashboardApi = (query) => apiOk('GET', `/api/v1/dashboard?${new URLSearchParams(query)}`);

    /** Wait for a selector; on timeout say what the page shows instead. */
    async function waitFor(selector, what, options = {}) {
      try {
        return await page.waitForSelector(selector, { timeout: WAIT_MS, ...options });
      } catch (error) {
        const shown = await page
          .$$eval('[data-testid][data-state]', (els) => els.map((el) => `${el.dataset.testid}:${el.dataset.state}`))
          .catch(() => []);
        const alert = await page.$$eval('[role="alert"]', (els) => els.map((el) => el.innerText).join(' | ')).catch(() => null);
        throw new Error(`${what} not shown; the page has ${JSON.stringify(shown)}; alerts: ${alert}; url ${page.url()}`, { cause: error });
      }
    }
    /** The dashboard ready for `attrs` (data-* of its root). */
    const waitForDashboard = (attrs, what) =>
      waitFor(
        `[data-testid="dashboard"][data-state="ready"]${Object.entries(attrs)
          .map(([key, value]) => `[data-${key}="${value}"]`)
          .join('')}`,
        what,
      );
    /** Inside the title shown on screen. */
    const current = (selector) => `[data-testid="dash-title"][data-current="true"] ${selector}`;
    const dataValue = async (selector) => {
      const text = await page.getAttribute(selector, 'data-value');
      return text === '' || text === null ? null : Number(text);
    };
    const noSideScroll = async (what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${what}: the page scrolls sideways by ${overflow}px`);
    };

    before(async () => {
      if (BIN) {
        const user = 'quantri.tongquan';
        server = await privateServer({ name: 'dashboard', user, password: `Tong-quan-${STAMP}!`, fullName: 'Quản trị tổng quan' });
        base = server.url;
      }
      browser = await launchBrowser();
      page = await watchedPage(browser, problems, DESKTOP);
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        // GET /session answers 401 before the login: the page expects it.
        if (/Failed to load resource: the server responded with a status of 401/.test(text)) return;
        problems.push(`console error: ${text} (${message.location().url})`);
      });
      await login(page, base, server ? { username: server.user, password: server.password } : {});
      api = await sessionApi(page, base);
    });

    after(async () => {
      if (page) await page.context().close().catch(() => {});
      if (browser) await browser.close();
      if (server) assert.equal(await server.stop(), 0, 'the server exits 0 on SIGTERM');
    });

    it('after login the home page is the city dashboard, with its charts and the API’s rate', async () => {
      assert.equal(new URL(page.url()).hash, '#/', 'logged in on the home page');
      await waitForDashboard({ unit: '31' }, 'the dashboard of the city');
      assert.equal((await page.textContent('[data-testid="page-title"]')).trim(), 'Tổng quan');
      assert.equal(await page.getAttribute('[data-testid="nav-dashboard"]', 'aria-current'), 'page');
      const body = await dashboardApi({ year: YEAR });
      const first = body.titles[0];
      assert.equal(await page.getAttribute('[data-testid="dashboard"]', 'data-title'), first.key, 'the first title is shown');

      // The city's rate as the API gives it, shown in Vietnamese.
      assert.equal(await dataValue(current('[data-testid="dash-rate"]')), first.figure.rate);
      assert.equal((await page.textContent(current('[data-testid="dash-rate"]'))).trim(), viPercent(first.figure.rate));
      assert.equal(await dataValue(current('[data-testid="dash-registered-rate"]')), first.figure.registered_rate);
      assert.equal(await dataValue(current('[data-testid="dash-count-eligible"]')), first.figure.eligible);
      // One tab per title, each with the title's rate.
      const tabs = await page.$$eval('[data-testid="dash-tab"]', (els) => els.map((el) => el.dataset.title));
      assert.deepEqual(tabs, body.titles.map((title) => title.key));

      // Real charts: SVG bars with a target marker, the trend's lines, a tile per child.
      const bar = current('[data-testid="dash-rate-bar"]');
      assert.equal(await page.$eval(bar, (el) => el.tagName.toLowerCase()), 'svg');
      assert.equal(await page.$$eval(`${bar} .bar-fill`, (els) => els.length), 1);
      if (first.figure.target !== null) assert.equal(await page.$$eval(`${bar} .bar-target`, (els) => els.length), 1);
      const rateLine = await page.getAttribute(current('[data-testid="dash-trend-rate"]'), 'd');
      assert.match(rateLine || '', /^M[\d.]+,[\d.]+L/, 'the trend draws a line of at least two years');
      const points = await page.$$eval(current('[data-testid="dash-trend-point"]'), (els) => els.map((el) => Number(el.dataset.year)));
      assert.deepEqual(points, first.trend.filter((point) => point.figure && point.figure.rate !== null).map((point) => point.year));
      assert.equal(await page.locator(current('[data-testid="dash-tile"]')).count(), body.children.length, 'a tile per child');
      assert.equal(await page.locator(current('[data-testid="dash-ranked-row"]')).count(), first.children.length);
      const ranked = await page.$$eval(current('[data-testid="dash-ranked-row"]'), (els) => els.map((el) => el.dataset.code));
      assert.deepEqual(ranked, first.children.map((child) => child.code), 'the children in the API’s ranking');
      // The first 15 on screen, the rest behind "show all" (and on paper).
      assert.equal(await page.locator(`${current('[data-testid="dash-ranked-row"]')}:visible`).count(), Math.min(15, first.children.length));
      // Every chart is named for screen readers, and has a table beside it.
      const unnamed = await page.$$eval(current('svg[role="img"]'), (els) => els.filter((el) => !el.getAttribute('aria-label') || !el.querySelector('title')).length);
      assert.equal(unnamed, 0, 'every chart has an aria-label and a <title>');
      assert.ok(await page.locator(current('[data-testid="dash-ranked-table"]')).count(), 'the ranking is also a table');
      assert.ok(await page.locator(current('[data-testid="dash-trend-table"]')).count(), 'the trend is also a table');
      // The QĐ 677 measures.
      const measures = await page.$$eval('[data-testid="dash-measure"]', (els) => els.map((el) => [el.dataset.key, Number(el.dataset.value)]));
      assert.deepEqual(measures, body.measures.map((measure) => [measure.key, measure.rate]));
      const text = await page.evaluate(() => document.body.innerText);
      assert.equal(text, text.normalize('NFC'), 'all text on the page is NFC');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
      assert.deepEqual(problems, [], 'no script error, CSP violation or console error');
    });

    it('with the targets of QĐ 387 and the learning-family title, the first commune furthest behind shows 2023 combined from its predecessors', async () => {
      await page.selectOption('[data-testid="dash-targets"]', TARGETS);
      await waitForDashboard({ targets: TARGETS }, 'the dashboard against QĐ 387');
      await page.click(`[data-testid="dash-tab"][data-title="${TITLE}"]`);
      await waitForDashboard({ targets: TARGETS, title: TITLE }, 'the learning-family title');
      assert.equal(await page.getAttribute(`[data-testid="dash-tab"][data-title="${TITLE}"]`, 'aria-current'), 'page');
      const hash = new URL(page.url()).hash;
      assert.match(hash, new RegExp(`title=${TITLE}`));
      assert.match(hash, new RegExp(`targets=${TARGETS}`));

      const city = await dashboardApi({ year: YEAR, targets: TARGETS });
      const family = city.titles.find((title) => title.key === TITLE);
      assert.equal(await dataValue(current('[data-testid="dash-rate"]')), family.figure.rate, 'the city rate is the API’s');
      assert.equal(await dataValue(current('[data-testid="dash-target"]')), family.figure.target, 'the target of QĐ 387');
      assert.equal(family.figure.target_set, TARGETS);
      assert.match(await page.textContent(current('[data-testid="dash-target-set"]')), /QĐ 387/);

      // The furthest behind, worst first, as the API lists those short of their target.
      const behind = family.behind.filter((row) => row.figure.gap !== null && row.figure.gap > 0);
      assert.ok(behind.length > 0, 'some commune is short of the target');
      const rows = await page.$$eval(current('[data-testid="dash-behind-row"]'), (els) => els.map((el) => el.dataset.code));
      assert.deepEqual(rows, behind.map((row) => row.code));
      chosen.code = behind[0].code;
      chosen.name = behind[0].name;
      await page.click(current(`[data-testid="dash-behind-row"][data-code="${chosen.code}"] [data-testid="dash-behind-row-link"]`));
      await waitForDashboard({ unit: chosen.code, title: TITLE, targets: TARGETS }, `the dashboard of ${chosen.name}`);
      const crumbs = await page.$$eval('[data-testid="dash-breadcrumb"] [data-code]', (els) => els.map((el) => el.dataset.code));
      assert.deepEqual(crumbs, ['31', chosen.code], 'the breadcrumb goes back up to the city');

      const commune = await dashboardApi({ year: YEAR, unit: chosen.code, targets: TARGETS });
      const trend = commune.titles.find((title) => title.key === TITLE).trend;
      const y2023 = trend.find((point) => point.year === 2023);
      assert.ok(y2023 && y2023.available && y2023.combined, `${chosen.name} was created in 2025: its 2023 is combined (API: ${JSON.stringify(y2023)})`);
      assert.ok(y2023.from.length >= 2, 'combined from two or more predecessors');
      const point = current('[data-testid="dash-trend-point"][data-year="2023"]');
      assert.equal(await page.getAttribute(point, 'data-combined'), 'true', 'the 2023 point is drawn hollow');
      assert.equal(await dataValue(point), y2023.figure.rate);
      assert.equal(await page.getAttribute(current('[data-testid="dash-trend-point"][data-year="2025"]'), 'data-combined'), 'false');
      const note = await page.textContent(current('[data-testid="dash-trend-note"]'));
      assert.match(note, /gộp số liệu của các đơn vị trước sáp nhập/);
      assert.match(note, /2023/);
      for (const predecessor of y2023.from) assert.ok(note.includes(predecessor.name), `the note names ${predecessor.name}: ${note}`);
      chosen.figure = commune.titles.find((title) => title.key === TITLE).figure;
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-commune.png'), fullPage: true });
    });

    it('each count opens the list behind it, with its filter', async () => {
      const link = current('[data-testid="dash-count-unregistered-link"]');
      const href = await page.getAttribute(link, 'href');
      assert.equal(href, `#/danh-gia?year=${YEAR}&unit=${chosen.code}&title=${TITLE}&registered=no`);
      await page.click(link);
      await waitFor(`[data-testid="results"][data-state="ready"][data-registered="no"]`, 'the list of those not registered');
      const total = Number(await page.getAttribute('[data-testid="results"]', 'data-total'));
      assert.equal(total, chosen.figure.eligible - chosen.figure.registered, 'as many as the dashboard counted');
      assert.equal(await page.getAttribute('[data-testid="filter-chip"]', 'data-applied'), 'true');
      const registered = await page.$$eval('[data-testid="result-registered"]', (els) => els.map((el) => el.dataset.value));
      assert.ok(registered.every((value) => value === 'no'), 'nobody registered in the list');
      await page.goBack();
      await waitForDashboard({ unit: chosen.code, title: TITLE }, 'the commune again');
    });

    it('a record saved elsewhere shows on the open page within seconds, without a reload', async () => {
      // A household of the commune not registered yet, whose record may change and
      // meets the criteria once registered with every item "có".
      const results = await apiOk('GET', `/api/v1/results?title=${TITLE}&unit=${encodeURIComponent(chosen.code)}&year=${YEAR}&registered=no&limit=200`);
      let change = null;
      for (const entity of results.entities) {
        const q = `title=${TITLE}&year=${YEAR}&code=${encodeURIComponent(entity.code)}`;
        const record = await apiOk('GET', `/api/v1/record?${q}`);
        if (record.stage !== 'open' || !record.can || !record.can.edit) continue;
        const values = Object.fromEntries(record.items.filter((item) => item.input === 'yesno').map((item) => [item.key, 'có']));
        const preview = await apiOk('POST', `/api/v1/record/preview?${q}`, { registered: true, values });
        if (!preview.results.recognised) continue;
        change = { q, code: entity.code, values };
        break;
      }
      assert.ok(change, `an open, unregistered household of ${chosen.name} that registering makes meet the criteria`);

      const before = {
        registered: await dataValue(current('[data-testid="dash-count-registered"]')),
        meets: await dataValue(current('[data-testid="dash-count-meets"]')),
        rate: await dataValue(current('[data-testid="dash-rate"]')),
      };
      assert.equal(before.registered, chosen.figure.registered);
      // Marks that a reload would wipe out: a flag in the window, and where the page is scrolled.
      await page.evaluate(() => {
        window.dashboardTestMark = 'still here';
        window.scrollTo(0, 400);
      });
      const scrolled = await page.evaluate(() => window.scrollY);
      await apiOk('PUT', `/api/v1/record?${change.q}`, { registered: true, values: change.values });
      await page.waitForFunction(
        (registered) => {
          const el = document.querySelector('[data-testid="dash-title"][data-current="true"] [data-testid="dash-count-registered"]');
          return el && Number(el.dataset.value) === registered;
        },
        before.registered + 1,
        { timeout: LIVE_WAIT_MS },
      );
      assert.equal(await dataValue(current('[data-testid="dash-count-meets"]')), before.meets + 1, 'one more meets the criteria');
      const after = await dashboardApi({ year: YEAR, unit: chosen.code, targets: TARGETS });
      const figure = after.titles.find((title) => title.key === TITLE).figure;
      assert.equal(await dataValue(current('[data-testid="dash-rate"]')), figure.rate, 'the new rate is the API’s');
      assert.notEqual(figure.rate, before.rate);
      assert.equal((await page.textContent(current('[data-testid="dash-rate"]'))).trim(), viPercent(figure.rate));
      assert.equal(await page.evaluate(() => window.dashboardTestMark), 'still here', 'the page was not reloaded');
      assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'the scroll position is kept');
      assert.ok(Number(await page.getAttribute('[data-testid="dashboard"]', 'data-refreshes')) >= 1);
    });

    it('fits a 360 px phone, prints without its controls, and speaks English on the toggle', async () => {
      await page.setViewportSize(PHONE);
      await page.evaluate(() => window.scrollTo(0, 0));
      await noSideScroll('the commune dashboard at 360 px');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-phone.png'), fullPage: true });
      await page.goto(`${base}/#/?title=${TITLE}&targets=${TARGETS}`);
      await waitForDashboard({ unit: '31', title: TITLE }, 'the city at 360 px');
      await noSideScroll('the city dashboard at 360 px');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-city-phone.png') });
      await page.setViewportSize(DESKTOP);

      // On paper: no navigation or controls; every title, the charts kept.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.isVisible('[data-testid="nav"]'), false, 'no navigation on paper');
      assert.equal(await page.isVisible('[data-testid="dash-year"]'), false, 'no controls on paper');
      assert.equal(await page.isVisible('[data-testid="dash-tabs"]'), false, 'no tabs on paper');
      const sections = await page.$$eval('[data-testid="dash-title"]', (els) => els.map((el) => getComputedStyle(el).display));
      assert.ok(sections.length > 1 && sections.every((display) => display !== 'none'), 'every title is printed');
      const breaks = await page.$$eval('[data-testid="dash-title"]', (els) => els.slice(1).map((el) => getComputedStyle(el).breakBefore));
      assert.ok(breaks.every((value) => value === 'page'), `each title on a new page: ${breaks}`);
      assert.ok(await page.isVisible(current('[data-testid="dash-trend-chart"]')), 'the charts are printed');
      // The PDF Chromium prints (A4): every title starts a page; its first page as a picture.
      const pdf = path.join(SCREENSHOTS, 'dashboard-print.pdf');
      await page.pdf({ path: pdf, format: 'A4' });
      const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
      if (info.status === 0) {
        const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)[1]);
        assert.ok(pages > sections.length, `${pages} pages for ${sections.length} titles and the QĐ 677 measures`);
        spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdf, path.join(SCREENSHOTS, 'dashboard-print')]);
      }
      await page.emulateMedia({ media: 'screen' });

      await page.click('[data-testid="lang-toggle"]');
      await waitFor('[data-testid="page-title"]:has-text("Overview")', 'the English page');
      const family = (await dashboardApi({ year: YEAR, targets: TARGETS })).titles.find((title) => title.key === TITLE);
      const shown = (await page.textContent(current('[data-testid="dash-rate"]'))).trim();
      assert.equal(shown, viPercent(family.figure.rate).replace(',', '.'), 'a decimal point in English');
      await page.click('[data-testid="lang-toggle"]');
      await waitFor('[data-testid="page-title"]:has-text("Tổng quan")', 'Vietnamese again');
      assert.deepEqual(problems, [], 'no script error, CSP violation or console error');
    });
  });
}
