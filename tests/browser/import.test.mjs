// Browser test of importing a file through the import page, as an officer does
// it: choose the kind, pick a CSV, upload it (a progress bar, then the report);
// a file with one bad row imports nothing and lists the problem in Vietnamese,
// and the highlighted Excel copy downloads; the fixed file imports, importing
// it again changes nothing, and the assessments of the new households move the
// commune's rates on the evaluation page. Phone width is checked on the way.
//
// Run: HOCTAP_URL=... HOCTAP_ADMIN_USER=... HOCTAP_ADMIN_PASSWORD=... node --test tests/browser/
// The households it adds have codes unique to the run.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, launchBrowser, login, missingAdminEnv, sessionApi, watchedPage } from './login.mjs';

const YEAR = 2025;
const TITLE = 'gia-dinh-hoc-tap';
const WAIT_MS = 30000;
const STAMP = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();

const envProblem = !BASE_URL ? 'HOCTAP_URL is not set' : missingAdminEnv();

if (envProblem) {
  test('HOCTAP_URL, HOCTAP_ADMIN_USER and HOCTAP_ADMIN_PASSWORD are set', () => assert.fail(envProblem));
} else {
  describe('Nhập dữ liệu từ tệp (imports)', () => {
    let browser;
    let page;
    let call;
    const problems = [];
    let commune;
    let village;

    before(async () => {
      browser = await launchBrowser();
      page = await watchedPage(browser, problems, { width: 1280, height: 900 });
      await login(page, BASE_URL);
      call = await sessionApi(page, BASE_URL);
      const communes = await call('GET', `/api/v1/units?date=${YEAR}-12-31&parent=31`);
      commune = communes.body.units.find((u) => u.counts.households > 0).code;
      const villages = await call('GET', `/api/v1/units?date=${YEAR}-12-31&parent=${commune}`);
      village = villages.body.units[0].code;
    });

    after(async () => {
      if (browser) await browser.close();
    });

    async function upload(name, text, { dryRun = false } = {}) {
      await page.setInputFiles('[data-testid="import-file"]', {
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(text, 'utf8'),
      });
      const box = await page.$('[data-testid="import-dry-run"]');
      if ((await box.isChecked()) !== dryRun) await box.click();
      await page.click('[data-testid="import-start"]');
      await page.waitForSelector('[data-testid="import-report"]', { timeout: WAIT_MS });
      return page.$eval('[data-testid="import"]', (el) => el.dataset.state);
    }

    const codes = [`NT${STAMP}A`, `NT${STAMP}B`];
    const goodHouseholds = () =>
      'Mã hộ,Họ tên chủ hộ,Mã thôn/tổ dân phố,Địa chỉ\r\n' +
      `${codes[0]},Nguyễn Văn Thử,${village},Số 1\r\n` +
      `${codes[1]},Trần Thị Nghiệm,${village},Số 2\r\n`;

    it('a file with one bad row imports nothing and names the problem in Vietnamese', async () => {
      // From the commune's page in the hierarchy, as a newcomer finds it.
      await page.goto(`${BASE_URL}/#/u/${commune}?d=${YEAR}-12-31`);
      await page.click('[data-testid="detail-import"]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-testid="import-file"]', { timeout: WAIT_MS });
      assert.match(page.url(), new RegExp(`unit=${commune}&year=${YEAR}`));
      await page.selectOption('[data-testid="import-kind"]', 'households');
      const bad = goodHouseholds() + `${codes[0]}X,,99999-99,\r\n`;
      assert.equal(await upload('ho-loi.csv', bad), 'problems');
      const rows = await page.$$eval('[data-testid="import-problems"] tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
      );
      assert.equal(rows.length, 2, JSON.stringify(rows));
      assert.deepEqual(rows.map((r) => r[0]), ['4', '4']);
      assert.match(rows[0][3], /Chưa ghi Họ tên chủ hộ/);
      assert.match(rows[1][3], /Không có thôn\/tổ dân phố mã 99999-99/);
      const text = await page.textContent('[data-testid="import-report"]');
      assert.equal(text.normalize('NFC'), text, 'the report is NFC');
      const found = await call('GET', `/api/v1/households/${codes[0]}?year=${YEAR}`);
      assert.equal(found.status, 404, 'nothing of the file was written');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: WAIT_MS }),
        page.click('[data-testid="import-errors-xlsx"]'),
      ]);
      const saved = path.join(SCREENSHOTS, 'import-errors.xlsx');
      await download.saveAs(saved);
      const head = fs.readFileSync(saved).subarray(0, 2).toString('latin1');
      assert.equal(head, 'PK', 'the highlighted copy is an .xlsx workbook');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-problems.png'), fullPage: true });
    });

    it('the fixed file imports; the same file again changes nothing', async () => {
      assert.equal(await upload('ho.csv', goodHouseholds(), { dryRun: true }), 'done');
      assert.match(await page.textContent('[data-testid="import-counts"]'), /thêm mới 2/);
      assert.equal((await call('GET', `/api/v1/households/${codes[0]}?year=${YEAR}`)).status, 404);
      assert.equal(await upload('ho.csv', goodHouseholds()), 'done');
      assert.match(await page.textContent('[data-testid="import-counts"]'), /2 dòng: thêm mới 2, cập nhật 0, không đổi 0/);
      const hh = await call('GET', `/api/v1/households/${codes[0]}?year=${YEAR}`);
      assert.equal(hh.status, 200);
      assert.equal(hh.body.head_name, 'Nguyễn Văn Thử');
      assert.equal(await upload('ho.csv', goodHouseholds()), 'done');
      assert.match(await page.textContent('[data-testid="import-counts"]'), /thêm mới 0, cập nhật 0, không đổi 2/);
    });

    it("the assessments of the new households change the commune's rates", async () => {
      const before = await call('GET', `/api/v1/evaluation?year=${YEAR}&unit=${commune}`);
      const family = (body) => body.titles.find((x) => x.key === TITLE);
      const was = family(before.body);
      await page.goto(`${BASE_URL}/#/nhap-lieu?unit=${commune}&year=${YEAR}&kind=assessments&title=${TITLE}`);
      await page.waitForSelector(`[data-testid="import-title"] option[value="${TITLE}"]`, {
        timeout: WAIT_MS,
        state: 'attached',
      });
      const file =
        'code,year,registered,C1c,C3a,C3b,C4a,C4b\r\n' +
        `${codes[0]},${YEAR},có,x,x,x,x,x\r\n` +
        `${codes[1]},${YEAR},15/03/${YEAR},có,có,có,có,có\r\n`;
      assert.equal(await upload('danh-gia.csv', file), 'done');
      await page.click('[data-testid="import-see-results"]');
      await page.waitForSelector('[data-testid="eval"][data-state="ready"]', { timeout: WAIT_MS });
      const now = family((await call('GET', `/api/v1/evaluation?year=${YEAR}&unit=${commune}`)).body);
      // The households counted as eligible from their import on; now they registered and passed.
      assert.equal(now.eligible, was.eligible, JSON.stringify([was, now]));
      assert.ok(now.rate > was.rate, JSON.stringify([was, now]));
      assert.equal(now.registered, was.registered + 2);
      assert.equal(now.recognised, was.recognised + 2);
    });

    it('works at phone width, without script errors', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${BASE_URL}/#/nhap-lieu?unit=${commune}&year=${YEAR}&kind=persons`);
      await page.waitForSelector('[data-testid="import-file"]', { timeout: WAIT_MS });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at phone width`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-phone.png'), fullPage: true });
      assert.deepEqual(problems, []);
    });
  });
}
