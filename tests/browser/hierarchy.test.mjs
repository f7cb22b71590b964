// Browser test of the "Địa bàn hành chính" page, driven as an officer would use
// it: open a date, click down the hierarchy, compare the figures with the API,
// switch to the date after the 2025 reform, follow a merge, switch language.
//
// Run: HOCTAP_URL=http://127.0.0.1:18080 node --test tests/browser/
// The server must hold the demo data (`hoctap demo`). Uses Debian's chromium
// through playwright-core; screenshots go to build/screenshots/ for a person
// to look at.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, launchBrowser, login, sessionApi, watchedPage } from './login.mjs';

const BEFORE = '2024-06-30';
const AFTER = '2025-07-01';
const WAIT_MS = 15000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** 12345 -> "12.345": the grouping the page must use in Vietnamese. */
const viGrouped = (value) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

if (!BASE_URL) {
  test('HOCTAP_URL is set', () => {
    assert.fail(
      'HOCTAP_URL is not set. Start the server with demo data and point the test at it, e.g.\n' +
        '  build/hoctap demo --db /tmp/fe.db && build/hoctap serve --db /tmp/fe.db --listen 127.0.0.1:18080\n' +
        '  HOCTAP_URL=http://127.0.0.1:18080 node --test tests/browser/',
    );
  });
} else {
  describe('Địa bàn hành chính (administrative hierarchy page)', () => {
    let browser;
    let page;
    const problems = []; // script errors, CSP violations, missing files

    let sessionCall; // the API with the page's session (login.mjs)

    async function api(pathAndQuery) {
      return sessionCall('GET', pathAndQuery);
    }

    /** Wait until the page shows `code` (or the top level for '') on `date`, loaded. */
    async function waitForView(code, date, state = 'ready') {
      const selector = `[data-testid="app"][data-state="${state}"][data-unit="${code}"][data-date="${date}"]`;
      try {
        await page.waitForSelector(selector, { timeout: WAIT_MS });
      } catch (error) {
        const now = await page
          .$eval('[data-testid="app"]', (el) => ({ ...el.dataset }))
          .catch(() => 'no app element');
        const alert = await page.$eval('[role="alert"]', (el) => el.innerText).catch(() => null);
        throw new Error(
          `page did not show unit "${code}" on ${date} (${state}); it shows ${JSON.stringify(now)}` +
            (alert ? `; alert: ${alert}` : '') +
            `; url ${page.url()}`,
          { cause: error },
        );
      }
    }

    const rowCodes = () =>
      page.$$eval('[data-testid="child-row"]', (rows) => rows.map((row) => row.getAttribute('data-code')));

    const breadcrumbAncestors = () =>
      page.$$eval('[data-testid="breadcrumb"] a[data-code]', (links) =>
        links.map((link) => ({ code: link.getAttribute('data-code'), name: link.textContent.trim() })),
      );

    async function clickChild(code) {
      await page.click(`[data-testid="child-row"][data-code="${code}"] [data-testid="child-link"]`);
    }

    /** Every row's four counts, as the page shows them and as the API gives them. */
    async function assertCountsMatchApi(apiUnits) {
      const shown = await page.$$eval('[data-testid="child-row"]', (rows) =>
        rows.map((row) => {
          const cell = (id) => row.querySelector(`[data-testid="${id}"]`);
          const read = (id) => ({ value: cell(id).getAttribute('data-value'), text: cell(id).textContent.trim() });
          return {
            code: row.getAttribute('data-code'),
            households: read('count-households'),
            persons: read('count-persons'),
            clans: read('count-clans'),
            organisations: read('count-organisations'),
          };
        }),
      );
      assert.deepEqual(
        shown.map((row) => row.code),
        apiUnits.map((unit) => unit.code),
        'the rows are the API units in the API order',
      );
      for (const [index, unit] of apiUnits.entries()) {
        for (const field of ['households', 'persons', 'clans', 'organisations']) {
          const expected = unit.counts[field];
          const cell = shown[index][field];
          assert.equal(Number(cell.value), expected, `${unit.code} ${unit.name}: data-value of ${field}`);
          assert.equal(cell.text, viGrouped(expected), `${unit.code} ${unit.name}: displayed ${field}`);
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

    it('opens the top level on 30/06/2024 with the demo banner', async () => {
      await page.goto(`${BASE_URL}/#/?d=${BEFORE}`);
      await waitForView('', BEFORE);
      const banner = page.locator('[data-testid="demo-banner"]');
      assert.ok(await banner.isVisible(), 'the demo banner is visible');
      assert.match(await banner.innerText(), /DỮ LIỆU MẪU/);
      assert.equal(await page.inputValue('[data-testid="date"]'), BEFORE);
      const codes = await rowCodes();
      assert.ok(codes.includes('31'), `Hải Phòng (31) is a top-level unit on ${BEFORE}: ${codes}`);
      assert.ok(codes.includes('30'), `Hải Dương (30) is a top-level unit on ${BEFORE}: ${codes}`);
      const text = await page.evaluate(() => document.body.innerText);
      assert.equal(text, text.normalize('NFC'), 'all text on the page is NFC');
    });

    it('clicking Hải Phòng lists its 15 districts', async () => {
      await clickChild('31');
      await waitForView('31', BEFORE);
      assert.equal((await rowCodes()).length, 15);
      assert.equal(new URL(page.url()).hash, `#/u/31?d=${BEFORE}`);
      assert.equal(await page.textContent('[data-testid="detail-name"]'), 'Thành phố Hải Phòng');
    });

    let district; // { code, name } of the first district
    let commune; // { code, name } of its first commune

    it('clicking the first district lists its communes with the API figures', async () => {
      const first = page.locator('[data-testid="child-row"]').first();
      district = {
        code: await first.getAttribute('data-code'),
        name: (await first.locator('[data-testid="child-link"]').innerText()).trim(),
      };
      await clickChild(district.code);
      await waitForView(district.code, BEFORE);

      const { status, body } = await api(`/api/v1/units?date=${BEFORE}&parent=${encodeURIComponent(district.code)}`);
      assert.equal(status, 200);
      assert.ok(body.units.length > 0, `district ${district.code} has communes on ${BEFORE}`);
      await assertCountsMatchApi(body.units);

      const totalHouseholds = body.units.reduce((sum, unit) => sum + unit.counts.households, 0);
      assert.equal(
        Number(await page.getAttribute('[data-testid="total-households"]', 'data-value')),
        totalHouseholds,
        'the total row adds up the rows',
      );

      const ancestors = await breadcrumbAncestors();
      assert.deepEqual(ancestors, [{ code: '31', name: 'Thành phố Hải Phòng' }], 'breadcrumb above the district');
      const current = await page.textContent('[data-testid="breadcrumb"] [aria-current="page"]');
      assert.equal(current.trim(), district.name);

      await page.screenshot({ path: path.join(SCREENSHOTS, 'hierarchy.png') });
    });

    it('a commune shows both ancestors in the breadcrumb; back and forward work', async () => {
      const first = page.locator('[data-testid="child-row"]').first();
      commune = {
        code: await first.getAttribute('data-code'),
        name: (await first.locator('[data-testid="child-link"]').innerText()).trim(),
      };
      await clickChild(commune.code);
      await waitForView(commune.code, BEFORE);
      assert.deepEqual(await breadcrumbAncestors(), [
        { code: '31', name: 'Thành phố Hải Phòng' },
        { code: district.code, name: district.name },
      ]);
      assert.ok((await rowCodes()).length > 0, 'the commune lists its villages');

      await page.goBack();
      await waitForView(district.code, BEFORE);
      await page.goForward();
      await waitForView(commune.code, BEFORE);
    });

    it('switching the date to 01/07/2025 from Hải Phòng shows 114 communes', async () => {
      await page.click('[data-testid="breadcrumb"] a[data-code="31"]');
      await waitForView('31', BEFORE);
      await page.fill('[data-testid="date"]', AFTER);
      await waitForView('31', AFTER);
      assert.equal((await rowCodes()).length, 114);
      assert.equal(new URL(page.url()).hash, `#/u/31?d=${AFTER}`);
    });

    it('the search finds a commune typed without marks and in capitals, and opens it', async () => {
      const { body } = await api(`/api/v1/units?date=2025-12-31&parent=31`);
      const commune = body.units.find((unit) => /[đĐ]/.test(unit.name)) || body.units[0];
      const typed = commune.name
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .replace(/đ/g, 'd')
        .replace(/Đ/g, 'D')
        .toUpperCase();
      assert.notEqual(typed, commune.name);
      await page.fill('[data-testid="search-input"]', typed);
      await page.waitForSelector(`[data-testid="search-results"][data-state="ready"][data-q="${typed}"]`, {
        timeout: WAIT_MS,
      });
      const link = `[data-testid="search-unit"][data-code="${commune.code}"]`;
      assert.ok(await page.isVisible(link), `${commune.name} is offered for "${typed}"`);
      await page.click(link);
      await waitForView(commune.code, '2025-12-31');
      await page.goBack();
      await waitForView('31', AFTER);
    });

    it('a new commune lists the old units it was formed from, and they link back', async () => {
      const [newCode] = await rowCodes();
      await clickChild(newCode);
      await waitForView(newCode, AFTER);
      const predecessors = page.locator('[data-testid="predecessors"] li');
      assert.ok((await predecessors.count()) > 0, `commune ${newCode} has predecessors`);

      await page.setViewportSize(PHONE);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hierarchy-phone.png') });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page itself does not scroll sideways on a phone (${overflow}px too wide)`);
      await page.setViewportSize(DESKTOP);

      // An old commune is shown on its last day, and names the new one as successor.
      const oldCode = await predecessors.first().locator('a').getAttribute('data-code');
      await predecessors.first().locator('a').click();
      await waitForView(oldCode, '2025-06-30');
      const successorCodes = await page.$$eval('[data-testid="successors"] a', (links) =>
        links.map((link) => link.getAttribute('data-code')),
      );
      assert.ok(successorCodes.includes(newCode), `${oldCode} lists ${newCode} as successor: ${successorCodes}`);
    });

    it('an unknown unit shows the server message, not a blank page', async () => {
      const { status, body } = await api(`/api/v1/units/khong-ton-tai?date=${BEFORE}`);
      assert.equal(status, 404);
      await page.goto(`${BASE_URL}/#/u/khong-ton-tai?d=${BEFORE}`);
      await waitForView('khong-ton-tai', BEFORE, 'error');
      const alert = page.locator('[role="alert"]').first();
      assert.ok(await alert.isVisible(), 'the error is visible');
      assert.ok((await alert.innerText()).includes(body.error.message_vi), 'the alert shows message_vi');
    });

    it('the language toggle switches to English and is remembered', async () => {
      await page.goto(`${BASE_URL}/#/u/31?d=${BEFORE}`);
      await waitForView('31', BEFORE);
      assert.equal(await page.textContent('h1'), 'Địa bàn hành chính');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.querySelector('h1').textContent === 'Administrative units');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.match(await page.innerText('[data-testid="demo-banner"]'), /DEMO DATA/);

      await page.reload();
      await waitForView('31', BEFORE);
      assert.equal(await page.textContent('h1'), 'Administrative units', 'English is remembered');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.querySelector('h1').textContent === 'Địa bàn hành chính');
    });

    it('had no script errors, CSP violations or missing files', () => {
      assert.deepEqual(problems, []);
    });
  });
}
