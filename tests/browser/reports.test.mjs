// Browser test of the "Báo cáo" page (reports.js, docs/reports.md): opened from the
// navigation, the city and year chosen, the annual workbook downloaded by a click and read
// back with openpyxl (tests/read_report.py under Debian's python3): the city's figures of
// every title equal GET /api/v1/dashboard's. Then the choices reach the links (targets,
// basis, a commune for its dossier), and the PDF of the commune's dossier downloads.
//
// Run: HOCTAP_URL=http://127.0.0.1:18080 node --test tests/browser/reports.test.mjs
// (the runner sets the admin's name and password; see login.mjs).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_URL, REPO, SCREENSHOTS, launchBrowser, login, sessionApi, watchedPage } from './login.mjs';

const YEAR = 2025;
const WAIT_MS = 30000;
const DESKTOP = { width: 1280, height: 900 };
// The workbook's figure columns by heading, and the dashboard API's field of each.
const FIGURE_COLUMNS = {
  'Số đối tượng': 'eligible',
  'Đăng ký': 'registered',
  'Tỷ lệ đăng ký': 'registered_rate',
  'Đạt tiêu chí': 'meets',
  'Tỷ lệ đạt tiêu chí': 'meets_rate',
  'Được công nhận': 'recognised',
  'Tỷ lệ được công nhận': 'recognised_rate',
  'Mục tiêu': 'target',
  'Chênh lệch (mục tiêu − tỷ lệ)': 'gap',
};

/** The workbook at `file` as tests/read_report.py prints it. */
function readBook(file) {
  const out = execFileSync('/usr/bin/python3', [path.join(REPO, 'tests', 'read_report.py'), file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

/** The rows of the first table of `sheet` whose first heading is `first`, as objects by heading. */
function firstTable(sheet, first) {
  const start = sheet.rows.findIndex((row) => row[0] === first && row.filter(Boolean).length > 1);
  assert.ok(start >= 0, `no table headed "${first}" in ${sheet.name}`);
  const heads = sheet.rows[start];
  const rows = [];
  for (let i = start + 1; i < sheet.rows.length && sheet.rows[i].some((v) => v !== null); i++) {
    rows.push(Object.fromEntries(heads.map((h, k) => [h, sheet.rows[i][k] ?? null])));
  }
  return rows;
}

if (!BASE_URL) {
  test('HOCTAP_URL is set', () => assert.fail('HOCTAP_URL is not set (see the header of this file)'));
} else {
  describe('Báo cáo (reports page)', () => {
    let browser;
    let page;
    let call;
    const problems = [];

    before(async () => {
      browser = await launchBrowser();
      page = await watchedPage(browser, problems, DESKTOP);
      await login(page, BASE_URL);
      call = await sessionApi(page, BASE_URL);
    });

    after(async () => {
      if (browser) await browser.close();
    });

    it('downloads the annual workbook whose city figures are the dashboard API\'s', async () => {
      await page.click('[data-testid="nav-reports"]');
      await page.waitForSelector('[data-testid="reports"][data-state="ready"]', { timeout: WAIT_MS });
      assert.match(await page.textContent('[data-testid="page-title"]'), /Báo cáo/);
      await page.selectOption('[data-testid="reports-year"]', String(YEAR));
      await page.selectOption('[data-testid="reports-unit-1"]', '31');
      await page.waitForSelector(`[data-testid="reports"][data-unit="31"][data-year="${YEAR}"][data-state="ready"]`, {
        timeout: WAIT_MS,
      });
      const link = page.locator('[data-testid="report-annual-xlsx"]');
      assert.match(await link.getAttribute('href'), new RegExp(`reports/annual\\.xlsx\\?year=${YEAR}&unit=31`));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-page.png'), fullPage: true });
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), link.click()]);
      assert.equal(download.suggestedFilename(), `bao-cao-nam-${YEAR}-31.xlsx`);
      const file = path.join(SCREENSHOTS, 'reports-annual.xlsx');
      await download.saveAs(file);
      assert.ok(fs.statSync(file).size > 1000);

      const book = readBook(file);
      const dashboard = await call('GET', `/api/v1/dashboard?year=${YEAR}&unit=31`);
      assert.equal(dashboard.status, 200);
      const summary = book.sheets.find((s) => s.name === 'Tổng hợp');
      const rows = firstTable(summary, 'Danh hiệu');
      assert.deepEqual(
        rows.map((r) => r['Danh hiệu']),
        dashboard.body.titles.map((t) => t.name),
      );
      for (const title of dashboard.body.titles) {
        const row = rows.find((r) => r['Danh hiệu'] === title.name);
        for (const [head, field] of Object.entries(FIGURE_COLUMNS)) {
          assert.equal(row[head], title.figure[field], `${title.key} ${head}`);
        }
        // the title's sheet starts with the city's row, the same figures
        const sheet = book.sheets.find((s) => s.name === title.name);
        const city = firstTable(sheet, 'Mã')[0];
        assert.equal(city['Mã'], '31');
        for (const [head, field] of Object.entries(FIGURE_COLUMNS)) {
          assert.equal(city[head], title.figure[field], `${title.key} sheet ${head}`);
        }
      }
      assert.ok(book.charts['xl/charts/chart1.xml'].includes('<c:lineChart>'));
    });

    it('carries the choices into the links and downloads a commune\'s dossier', async () => {
      await page.selectOption('[data-testid="reports-targets"]', 'qd-387');
      await page.selectOption('[data-testid="reports-basis"]', 'decision');
      await page.waitForFunction(
        () => /targets=qd-387&basis=decision/.test(document.querySelector('[data-testid="report-annual-pdf"]').href),
        null,
        { timeout: WAIT_MS },
      );
      // a city cannot have a commune's dossier: no link, a hint
      assert.equal(await page.locator('[data-testid="report-commune-dossier-pdf"]').count(), 0);
      assert.match(await page.textContent('[data-testid="report-commune-dossier-hint"]'), /xã/);
      const communes = await call('GET', `/api/v1/units?date=${YEAR}-12-31&parent=31`);
      const commune = communes.body.units.find((u) => u.level === 'commune');
      await page.selectOption('[data-testid="reports-unit-2"]', commune.code);
      await page.waitForSelector(`[data-testid="reports"][data-unit="${commune.code}"][data-state="ready"]`, {
        timeout: WAIT_MS,
      });
      const link = page.locator('[data-testid="report-commune-dossier-pdf"]');
      await link.waitFor({ timeout: WAIT_MS });
      assert.match(await link.getAttribute('href'), new RegExp(`unit=${commune.code}`));
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), link.click()]);
      assert.equal(download.suggestedFilename(), `ho-so-xa-${commune.code}-${YEAR}.pdf`);
      const file = path.join(SCREENSHOTS, 'reports-dossier.pdf');
      await download.saveAs(file);
      assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-commune.png'), fullPage: true });
      assert.deepEqual(problems, []);
    });
  });
}
