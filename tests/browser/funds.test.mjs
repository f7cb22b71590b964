// Browser test of a commune's study-promotion fund (docs/funds.md), as its treasurer keeps the
// books on a phone: the association's administrator creates the fund; the treasurer records two
// donations of the study-promotion month (one from a new donor), adds a pupil, pays her an award,
// sees an overspending payment refused with the balance and nothing written, reverses an entry
// with a reason, and reads the pupil's history; the balances on the page equal the API's.
//
// Run: HOCTAP_URL=... HOCTAP_ADMIN_USER=... HOCTAP_ADMIN_PASSWORD=... node --test tests/browser/
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, launchBrowser, login, missingAdminEnv, sessionApi, watchedPage } from './login.mjs';

const DAY = '2025-12-31';
const WAIT_MS = 30000;
const PHONE = { width: 360, height: 740 };
const STAMP = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = `Thu-quy-${STAMP.slice(-5)}!`;
const FUND = `KH-${STAMP.slice(-6).toUpperCase()}`;
// Unique per run (letters for the clock's digits): the database keeps earlier runs' pupils.
const PUPIL = `Lê Thị Ngọc Ánh ${String(Date.now() % 1e6).replace(/\d/g, (d) => 'abcdeghikl'[d])}`;

const envProblem = !BASE_URL ? 'HOCTAP_URL is not set' : missingAdminEnv();

if (envProblem) {
  test('HOCTAP_URL, HOCTAP_ADMIN_USER and HOCTAP_ADMIN_PASSWORD are set', () => assert.fail(envProblem));
} else {
  describe('Quỹ khuyến học (the fund books)', () => {
    let browser;
    let page;
    let cashier;
    const problems = [];
    let commune;
    let awardTotal = 1000000;

    const waitFor = (selector, what) => page.waitForSelector(selector, { timeout: WAIT_MS }).catch(() => assert.fail(`${what} did not appear (${selector})`));
    const balance = async () => Number(await page.getAttribute('[data-testid="fund"]', 'data-balance'));
    const waitBalance = async (value) => {
      await page.waitForFunction((v) => document.querySelector('[data-testid="fund"]')?.dataset.balance === String(v), value, { timeout: WAIT_MS });
    };

    before(async () => {
      browser = await launchBrowser();
      const adminPage = await watchedPage(browser, problems, { width: 1280, height: 900 });
      await login(adminPage, BASE_URL);
      const admin = await sessionApi(adminPage, BASE_URL);
      const communes = await admin('GET', `/api/v1/units?date=${DAY}&parent=31`);
      commune = communes.body.units.filter((u) => u.counts.households > 0).at(-2);
      // The fund, created on the page by the administrator (funds.approve).
      await adminPage.goto(`${BASE_URL}/#/quy`);
      await adminPage.waitForSelector('[data-testid="funds"][data-state="ready"]', { timeout: WAIT_MS });
      // every page's link fits the top bar of an administrator (the most links) at any width
      for (const width of [1366, 1280, 1200, 1100, 1000, 900]) {
        await adminPage.setViewportSize({ width, height: 900 });
        const overflow = await adminPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `the top bar scrolls sideways by ${overflow}px at ${width} px`);
      }
      await adminPage.setViewportSize({ width: 1280, height: 900 });
      await adminPage.fill('[data-testid="fund-create-code"]', FUND);
      await adminPage.fill('[data-testid="fund-create-name"]', `Quỹ khuyến học ${commune.name}`);
      await adminPage.fill('[data-testid="fund-create-owner"]', commune.code);
      await adminPage.click('[data-testid="fund-create-save"]');
      await adminPage.waitForSelector(`[data-testid="fund-row"][data-code="${FUND}"]`, { timeout: WAIT_MS });
      const created = await admin('POST', '/api/v1/users', { username: `thuquy-${STAMP}`, full_name: 'Thủ quỹ khuyến học xã', role: 'treasurer', unit: commune.code });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await adminPage.context().close();
      page = await watchedPage(browser, problems, PHONE);
      await login(page, BASE_URL, { username: `thuquy-${STAMP}`, password: created.body.one_time_password, forcedChange: true });
      await page.fill('[data-testid="pw-current"]', created.body.one_time_password);
      await page.fill('[data-testid="pw-new"]', PASSWORD);
      await page.fill('[data-testid="pw-repeat"]', PASSWORD);
      await page.click('[data-testid="pw-submit"]');
      await page.waitForSelector('[data-testid="user-menu"]', { timeout: WAIT_MS });
      cashier = await sessionApi(page, BASE_URL);
    });

    after(async () => {
      if (browser) await browser.close();
    });

    it('records the donations of the study-promotion month', async () => {
      await page.goto(`${BASE_URL}/#/quy`);
      await page.click(`[data-testid="fund-row"][data-code="${FUND}"] [data-testid="fund-link"]`);
      await waitFor('[data-testid="fund"][data-state="ready"][data-balance="0"]', 'the new fund');
      // a new donor, then 1.500.000 đ from them in the campaign
      await page.fill('[data-testid="receipt-new-donor"]', 'Công ty CP Thủy sản Cát Bà');
      await page.click('[data-testid="receipt-add-donor"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="receipt-donor"]').value !== '', null, { timeout: WAIT_MS });
      await page.fill('[data-testid="receipt-date"]', '2025-09-12');
      await page.fill('[data-testid="receipt-amount"]', '1.500.000');
      await page.fill('[data-testid="receipt-campaign"]', 'Tháng Khuyến học 2025');
      await page.click('[data-testid="receipt-save"]');
      await waitBalance(1500000);
      // an anonymous gift in cash
      await page.fill('[data-testid="receipt-date"]', '2025-09-20');
      await page.fill('[data-testid="receipt-amount"]', '500000');
      await page.click('[data-testid="receipt-save"]');
      await waitBalance(2000000);
      const shown = await page.textContent('[data-testid="fund-total"]');
      assert.match(shown, /2\.000\.000 đ/);
      const api = await cashier('GET', `/api/v1/funds/${FUND}`);
      assert.equal(api.body.balance, 2000000);
      assert.deepEqual(api.body.entries.map((e) => e.number), ['PT-2025-0001', 'PT-2025-0002']);
      assert.equal(api.body.entries[0].donor_name, 'Công ty CP Thủy sản Cát Bà');
    });

    it('pays a pupil an award; an overspending payment is refused with the balance', async () => {
      await page.fill('[data-testid="beneficiary-name"]', PUPIL);
      await page.fill('[data-testid="beneficiary-unit"]', commune.code);
      await page.fill('[data-testid="beneficiary-birth-year"]', '2012');
      await page.fill('[data-testid="beneficiary-school"]', 'THCS Cát Bà');
      await page.check('[data-testid="beneficiary-c-poor"]');
      await page.check('[data-testid="beneficiary-a-excellent"]');
      await page.click('[data-testid="beneficiary-save"]');
      await waitFor('[data-testid="beneficiary"]', 'the new beneficiary');
      await page.fill('[data-testid="payment-search"]', PUPIL.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').toLowerCase());
      await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid="payment-beneficiary"] option')].some((o) => o.textContent.startsWith(name)), PUPIL, { timeout: WAIT_MS });
      const option = await page.$eval('[data-testid="payment-beneficiary"]', (el, name) => [...el.options].find((o) => o.textContent.startsWith(name)).value, PUPIL);
      await page.selectOption('[data-testid="payment-beneficiary"]', option);
      await page.selectOption('[data-testid="payment-category"]', 'award');
      await page.fill('[data-testid="payment-date"]', '2025-10-01');
      await page.fill('[data-testid="payment-reason"]', 'Khen thưởng học sinh giỏi');
      // more than the cash holds (500.000 đ in cash, 1.500.000 đ was the donor's cash too: 2.000.000 đ)
      await page.fill('[data-testid="payment-amount"]', '2.500.000');
      await page.click('[data-testid="payment-save"]');
      const refusal = page.locator('[data-testid="payment-problems"] [data-testid="fund-problem"][data-field="amount"]');
      await refusal.waitFor({ timeout: WAIT_MS });
      assert.match(await refusal.textContent(), /2\.000\.000 đ.*2\.500\.000 đ/);
      assert.equal(await balance(), 2000000, 'nothing written');
      await page.fill('[data-testid="payment-amount"]', '1.000.000');
      await page.click('[data-testid="payment-save"]');
      await waitBalance(1000000);
      assert.match(await page.textContent('[data-testid="fund-paid-award"]'), /1\.000\.000 đ/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'fund-phone.png'), fullPage: true });
    });

    it('corrects a donation by a reversal and shows the pupil\'s history', async () => {
      const second = page.locator('[data-testid="fund-entry"][data-kind="receipt"]').nth(1);
      await second.locator('[data-testid="fund-reverse"]').click();
      await page.fill('#text-dialog-field', 'Ghi nhầm số tiền');
      await page.click('[data-testid="text-dialog-ok"]');
      await waitBalance(500000);
      assert.equal(await page.locator('[data-testid="fund-entry"][data-kind="reversal"]').count(), 1);
      assert.equal(await page.locator('[data-testid="fund-entry"][data-reversed="true"]').count(), 1);
      await page.click(`[data-testid="beneficiary-open"]:text("${PUPIL}")`);
      await waitFor('[data-testid="beneficiary-history"][data-total="1000000"]', "the pupil's history");
      const check = await cashier('GET', '/api/v1/fund-check');
      assert.deepEqual(check.body, { ok: true, problems: [] });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 360 px`);
    });

    it('runs the excellent-student programme: proposed, approved by one decision, paid at once', async () => {
      // the month's last donation, so the fund can pay the list
      await page.fill('[data-testid="receipt-date"]', '2025-12-01');
      await page.fill('[data-testid="receipt-amount"]', '5000000');
      await page.fill('[data-testid="receipt-campaign"]', 'Tháng Khuyến học 2025');
      await page.click('[data-testid="receipt-save"]');
      await waitBalance(5500000);
      // the association's administrator adds the programme (funds.approve)
      const admin = await watchedPage(browser, problems, { width: 1280, height: 900 });
      await login(admin, BASE_URL, { hash: `#/quy/${FUND}` });
      await admin.waitForSelector('[data-testid="programmes"][data-state="ready"]', { timeout: WAIT_MS });
      await admin.fill('[data-testid="programme-code"]', 'hsg-2025');
      await admin.fill('[data-testid="programme-name"]', 'Khen thưởng học sinh giỏi năm học 2024–2025');
      // a rule with a mistake first: refused with its line
      await admin.fill('[data-testid="programme-rules"]', 'rule excellent 500.000 prize "Học sinh giỏi"\n  when achievement excellent');
      await admin.click('[data-testid="programme-save"]');
      await admin.waitForSelector('[data-testid="programme-problems"] [data-testid="fund-problem"][data-field="rules"]', { timeout: WAIT_MS });
      await admin.fill('[data-testid="programme-rules"]', 'rule excellent 500.000 award "Học sinh giỏi"\n  when achievement excellent');
      await admin.click('[data-testid="programme-save"]');
      await admin.waitForSelector('[data-testid="programme"][data-code="hsg-2025"]', { timeout: WAIT_MS });
      // the treasurer proposes the list of 2025
      await page.reload();
      await waitFor('[data-testid="programme"][data-code="hsg-2025"]', 'the programme');
      await page.fill('[data-testid="programme-year"]', '2025');
      await page.click('[data-testid="programme"][data-code="hsg-2025"] [data-testid="programme-run"]');
      await waitFor('[data-testid="batch"][data-state="proposed"]', 'the proposed list');
      const names = await page.locator('[data-testid="batch-item"]').allTextContents();
      assert.ok(names.some((n) => n.includes(PUPIL)), `the excellent pupil is proposed: ${names}`);
      const total = Number(await page.getAttribute('[data-testid="batch"]', 'data-total'));
      assert.equal(total, 500000 * names.length);
      // the administrator approves it by one decision
      await admin.reload();
      await admin.click('[data-testid="programme"][data-code="hsg-2025"] [data-testid="batch-open"][data-state="proposed"]');
      await admin.fill('[data-testid="batch-number"]', '15/QĐ-HKH');
      await admin.fill('[data-testid="batch-date"]', '2025-12-15');
      await admin.fill('[data-testid="batch-signer"]', 'Nguyễn Văn Hùng');
      await admin.click('[data-testid="batch-approve"]');
      await admin.waitForSelector('[data-testid="batch"][data-state="approved"]', { timeout: WAIT_MS });
      await admin.context().close();
      // the treasurer pays the whole list at once
      await page.reload();
      await page.click('[data-testid="programme"][data-code="hsg-2025"] [data-testid="batch-open"][data-state="approved"]');
      await page.fill('[data-testid="batch-pay-date"]', '2025-12-20');
      await page.click('[data-testid="batch-pay"]');
      await waitFor('[data-testid="batch"][data-state="paid"]', 'the paid list');
      await waitBalance(5500000 - total);
      const check = await cashier('GET', '/api/v1/fund-check');
      assert.deepEqual(check.body, { ok: true, problems: [] });
      awardTotal = 1000000 + total;
    });

    it("prints a donor's receipt and the public page shows the new totals without a login", async () => {
      const link = page.locator('[data-testid="fund-entry"][data-kind="receipt"]').first().locator('[data-testid="fund-receipt-pdf"]');
      const href = new URL(await link.getAttribute('href'), `${BASE_URL}/`);
      const pdf = await fetch(href, { headers: { Cookie: cashier.cookie } });
      assert.equal(pdf.status, 200);
      assert.match(pdf.headers.get('Content-Type'), /^application\/pdf/);
      assert.equal((await pdf.arrayBuffer()).byteLength > 1000, true);
      // the transparency page, as anyone sees it
      const publicPage = await watchedPage(browser, problems, PHONE);
      await publicPage.goto(`${BASE_URL}/cong-khai/${FUND}?from=2025-01-01&to=2025-12-31`);
      const text = await publicPage.textContent('body');
      assert.match(text, /1\.500\.000/, 'the donation kept');
      const money = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
      assert.ok(text.includes(money(awardTotal)), `the awards paid, ${money(awardTotal)} in all`);
      assert.match(text, /Tháng Khuyến học 2025/);
      assert.ok(!text.includes(PUPIL), "a pupil under 18 is not named on the public page");
      const overflow = await publicPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the public page scrolls sideways by ${overflow}px at 360 px`);
      await publicPage.screenshot({ path: path.join(SCREENSHOTS, 'fund-public-phone.png'), fullPage: true });
      await publicPage.context().close();
    });

    it('had no script errors, console errors, CSP violations or missing files', () => {
      assert.deepEqual(problems, []);
    });
  });
}
