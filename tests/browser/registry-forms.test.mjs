// Browser test of the registry forms on a phone (360x740), as a commune's
// data-entry officer uses them: from the commune's panel, "Đăng ký hộ gia
// đình"; choose the village, type the head (who becomes member 1) and two more
// members, one with a citizen ID one digit short. The draft survives a reload;
// saving shows the server's problem next to the citizen ID in Vietnamese and
// writes nothing; fixed, the household saves and its page lists the three
// members with their diacritics. "Sửa" opens the same form, prefilled.
//
// Run: HOCTAP_URL=... HOCTAP_ADMIN_USER=... HOCTAP_ADMIN_PASSWORD=... node --test tests/browser/
// The officer and the household are new in every run.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, launchBrowser, login, missingAdminEnv, sessionApi, watchedPage } from './login.mjs';

const YEAR = 2025;
const DAY = `${YEAR}-12-31`;
const WAIT_MS = 30000;
const PHONE = { width: 360, height: 740 };
const STAMP = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = `Dang-ky-ho-${STAMP.slice(-5)}!`;

// Citizen IDs new in every run (the database keeps earlier runs' people): Hải Phòng's 031
// and 9 digits of the clock; the wife's is typed one digit short first.
const SERIAL = String(Date.now() % 1e9).padStart(9, '0');
const HUSBAND_ID = `031${SERIAL}`;
const WIFE_ID = `034${SERIAL}`;
// Unique per run (letters for the clock's digits), so the search finds this run's household only.
const HEAD = `Nguyễn Văn Thử ${SERIAL.slice(-6).replace(/\d/g, (d) => 'abcdeghikl'[d])}`;
const MEMBERS = [
  { full_name: HEAD, birth_year: '1979', gender: 'nam', citizen_id: HUSBAND_ID },
  { full_name: 'Trần Thị Hồng Nhung', birth_year: '1983', gender: 'nu', citizen_id: WIFE_ID.slice(0, 11) },
  { full_name: 'Nguyễn Đức Hiếu', birth_year: '2011', gender: 'nam', citizen_id: '' },
];

const envProblem = !BASE_URL ? 'HOCTAP_URL is not set' : missingAdminEnv();

if (envProblem) {
  test('HOCTAP_URL, HOCTAP_ADMIN_USER and HOCTAP_ADMIN_PASSWORD are set', () => assert.fail(envProblem));
} else {
  describe('Đăng ký hộ gia đình (registry forms)', () => {
    let browser;
    let page;
    let officerApi;
    const problems = [];
    let commune;
    let village;
    let saved;

    const noSideScroll = async (what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${what}: the page scrolls sideways by ${overflow}px at 360 px`);
    };
    const value = (testId) => page.inputValue(`[data-testid="${testId}"]`);

    before(async () => {
      browser = await launchBrowser();
      // The city's administrator makes a data-entry officer of one commune.
      const adminPage = await watchedPage(browser, problems, { width: 1280, height: 900 });
      await login(adminPage, BASE_URL);
      const admin = await sessionApi(adminPage, BASE_URL);
      const communes = await admin('GET', `/api/v1/units?date=${DAY}&parent=31`);
      // A commune the other browser tests do not watch (they take the first ones with
      // households, and the one with the most): files may run side by side.
      const peopled = communes.body.units.filter((u) => u.counts.households > 0);
      const most = Math.max(...peopled.map((u) => u.counts.households));
      commune = peopled.slice(2).filter((u) => u.counts.households < most).at(-1) || peopled.at(-1);
      const villages = await admin('GET', `/api/v1/units?date=${DAY}&parent=${commune.code}`);
      village = villages.body.units[0];
      const username = `dangky-${STAMP}`;
      const created = await admin('POST', '/api/v1/users', {
        username,
        full_name: 'Cán bộ nhập liệu xã',
        role: 'data-entry',
        unit: commune.code,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await adminPage.context().close();
      // The officer, on a phone: the one-time password is changed first.
      page = await watchedPage(browser, problems, PHONE);
      await login(page, BASE_URL, { username, password: created.body.one_time_password, forcedChange: true });
      await page.fill('[data-testid="pw-current"]', created.body.one_time_password);
      await page.fill('[data-testid="pw-new"]', PASSWORD);
      await page.fill('[data-testid="pw-repeat"]', PASSWORD);
      await page.click('[data-testid="pw-submit"]');
      await page.waitForSelector('[data-testid="user-menu"]', { timeout: WAIT_MS });
      officerApi = await sessionApi(page, BASE_URL);
    });

    after(async () => {
      if (browser) await browser.close();
    });

    it("opens the form from the commune's panel and fills it in on a phone", async () => {
      await page.goto(`${BASE_URL}/#/u/${commune.code}?d=${DAY}`);
      await page.click('[data-testid="detail-register-household"]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-testid="regform"][data-form="household"]', { timeout: WAIT_MS });
      assert.match(page.url(), new RegExp(`#/dang-ky/ho\\?unit=${commune.code}&year=${YEAR}`));
      assert.equal((await page.textContent('[data-testid="page-title"]')).trim(), 'Đăng ký hộ gia đình');
      // The officer's commune: its villages to choose from.
      await page.waitForSelector('[data-testid="rf-village-step"]', { timeout: WAIT_MS });
      await page.selectOption('[data-testid="rf-village-step"]', village.code);
      await page.fill('[data-testid="rf-head_name"]', HEAD);
      await page.fill('[data-testid="rf-address"]', 'Số 7, ngõ Hòa Bình');
      // The head is member 1 by default.
      assert.equal(await value('rf-members-0-full_name'), HEAD);
      await page.click('[data-testid="rf-add-member"]');
      await page.click('[data-testid="rf-add-member"]');
      assert.equal(await page.locator('[data-testid="rf-member"]').count(), 3);
      for (const [i, m] of MEMBERS.entries()) {
        if (i > 0) await page.fill(`[data-testid="rf-members-${i}-full_name"]`, m.full_name);
        await page.fill(`[data-testid="rf-members-${i}-birth_year"]`, m.birth_year);
        await page.selectOption(`[data-testid="rf-members-${i}-gender"]`, m.gender);
        await page.fill(`[data-testid="rf-members-${i}-citizen_id"]`, m.citizen_id);
      }
      await page.check('[data-testid="rf-members-2-in_school"]');
      await page.selectOption('[data-testid="rf-members-2-school_result"]', 'kha');
      await page.waitForSelector('[data-testid="rf-draft-note"]', { timeout: WAIT_MS });
      assert.match(await page.textContent('[data-testid="rf-draft-note"]'), /^Bản nháp đã lưu lúc \d\d:\d\d$/);
      await noSideScroll('the household form');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'regform-phone.png'), fullPage: true });
    });

    it('the draft survives a reload', async () => {
      // wait for the last keystrokes to be kept
      await page.waitForFunction(
        (cid) => Object.keys(localStorage).some((k) => k.startsWith('hoctap.draft.') && localStorage.getItem(k).includes(cid)),
        MEMBERS[2].birth_year,
        { timeout: WAIT_MS },
      );
      await page.reload();
      await page.waitForSelector('[data-testid="rf-draft-note"]', { timeout: WAIT_MS });
      assert.match(await page.textContent('[data-testid="rf-draft-note"]'), /^Đã mở lại bản nháp lưu lúc \d\d:\d\d$/);
      assert.equal(await value('rf-head_name'), HEAD);
      assert.equal(await value('rf-address'), 'Số 7, ngõ Hòa Bình');
      assert.equal(await page.locator('[data-testid="rf-member"]').count(), 3);
      assert.equal(await value('rf-members-1-full_name'), MEMBERS[1].full_name);
      assert.equal(await value('rf-members-1-citizen_id'), MEMBERS[1].citizen_id);
      assert.equal(await value('rf-members-2-school_result'), 'kha');
      assert.ok(await page.isChecked('[data-testid="rf-members-2-in_school"]'));
      await page.waitForFunction(
        (code) => document.querySelector('[data-testid="rf-village-step"]')?.value === code,
        village.code,
        { timeout: WAIT_MS },
      );
    });

    it('a citizen ID one digit short is named at its field and nothing is saved', async () => {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/households') && r.request().method() === 'POST'),
        page.click('[data-testid="rf-save"]'),
      ]);
      assert.equal(response.status(), 422);
      const error = await page.waitForSelector('[data-testid="rf-members-1-citizen_id-error"]', { timeout: WAIT_MS });
      const text = (await error.textContent()).trim();
      assert.equal(text, `'${WIFE_ID.slice(0, 11)}' không phải số CCCD: phải có đúng 12 chữ số`);
      assert.equal(text.normalize('NFC'), text);
      assert.match(await page.textContent('[data-testid="rf-problems"]'), /Biểu mẫu có 1 lỗi; chưa lưu gì/);
      assert.ok((await page.textContent('[data-testid="rf-problems"]')).includes(`Thành viên 2: '${WIFE_ID.slice(0, 11)}'`));
      assert.equal(await page.getAttribute('[data-testid="rf-members-1-citizen_id"]', 'aria-invalid'), 'true');
      const found = await officerApi('GET', `/api/v1/search?q=${encodeURIComponent(HEAD)}&year=${YEAR}`);
      assert.deepEqual(found.body.households, [], 'nothing was written');
      await noSideScroll('the form with a problem');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'regform-problem.png'), fullPage: true });
    });

    it('fixed, the household saves and its page lists the members with their diacritics', async () => {
      await page.fill('[data-testid="rf-members-1-citizen_id"]', WIFE_ID);
      assert.equal(await page.locator('[data-testid="rf-members-1-citizen_id-error"]').count(), 0, 'the error goes when the field is edited');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/households') && r.request().method() === 'POST'),
        page.click('[data-testid="rf-save"]'),
      ]);
      assert.equal(response.status(), 201);
      saved = await response.json();
      await page.waitForSelector(`[data-testid="household"][data-code="${saved.code}"][data-state="ready"]`, { timeout: WAIT_MS });
      assert.equal((await page.textContent('[data-testid="hh-head"]')).trim(), HEAD);
      assert.equal((await page.textContent('[data-testid="hh-address"]')).trim(), 'Số 7, ngõ Hòa Bình');
      assert.equal(await page.getAttribute('[data-testid="hh-village"]', 'data-code'), village.code);
      const rows = await page.$$eval('[data-testid="hh-member"]', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.innerText.trim())),
      );
      assert.deepEqual(
        rows.map((r) => [r[0], r[1], r[2], r[3]]),
        [
          [HEAD, '1979', 'Nam', HUSBAND_ID],
          ['Trần Thị Hồng Nhung', '1983', 'Nữ', WIFE_ID],
          ['Nguyễn Đức Hiếu', '2011', 'Nam', '—'],
        ],
      );
      const body = await page.evaluate(() => document.body.innerText);
      assert.equal(body.normalize('NFC'), body, 'the page text is NFC');
      // the draft is gone once saved
      const drafts = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hoctap.draft.')));
      assert.deepEqual(drafts, []);
      await noSideScroll('the household page');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'regform-saved.png'), fullPage: true });
    });

    it('"Sửa" opens the same form prefilled; a change shows on the page', async () => {
      await page.click('[data-testid="hh-edit"]');
      await page.waitForSelector(`[data-testid="regform"][data-code="${saved.code}"][data-state="idle"]`, { timeout: WAIT_MS });
      assert.equal(await value('rf-head_name'), HEAD);
      assert.equal(await page.locator('[data-testid="rf-member"]').count(), 3);
      assert.equal(await value('rf-members-1-full_name'), 'Trần Thị Hồng Nhung');
      assert.equal(await value('rf-members-2-school_result'), 'kha');
      assert.equal(await page.locator('[data-testid="rf-remove-member"]').count(), 0, 'saved members are not removed here');
      assert.equal(await page.locator('[data-testid="rf-member"] [data-testid="rf-head-tag"]').count(), 1);
      assert.equal(
        await page.locator('[data-testid="rf-member"]', { has: page.locator('[data-testid="rf-head-tag"]') }).getAttribute('data-index'),
        '0',
        'the head, born first, is member 1',
      );
      assert.equal(await page.locator('[data-testid="rf-draft-note"]').count(), 0, 'no draft yet');
      await page.fill('[data-testid="rf-address"]', 'Số 9, đường Lạch Tray');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/api/v1/households/${saved.code}`) && r.request().method() === 'PUT'),
        page.click('[data-testid="rf-save"]'),
      ]);
      assert.equal(response.status(), 200);
      await page.waitForSelector(`[data-testid="household"][data-code="${saved.code}"][data-state="ready"]`, { timeout: WAIT_MS });
      assert.equal((await page.textContent('[data-testid="hh-address"]')).trim(), 'Số 9, đường Lạch Tray');
      assert.equal(await page.locator('[data-testid="hh-member"]').count(), 3);
      assert.deepEqual(problems, []);
    });

    it('a clan and a learning unit are registered from the same panel', async () => {
      // a clan in the village
      await page.goto(`${BASE_URL}/#/u/${commune.code}?d=${DAY}`);
      await page.click('[data-testid="detail-register-clan"]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-testid="regform"][data-form="clan"]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-testid="rf-village-step"]', { timeout: WAIT_MS });
      await page.selectOption('[data-testid="rf-village-step"]', village.code);
      const clanName = `Dòng họ Phạm Đình ${STAMP}`;
      await page.fill('[data-testid="rf-name"]', clanName);
      const [clan] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/clans') && r.request().method() === 'POST'),
        page.click('[data-testid="rf-save"]'),
      ]);
      assert.equal(clan.status(), 201, await clan.text());
      const savedClan = await clan.json();
      assert.equal(savedClan.name, clanName);
      // a learning unit managed by the commune: its kind is required
      await page.goto(`${BASE_URL}/#/u/${commune.code}?d=${DAY}`);
      await page.click('[data-testid="detail-register-unit"]', { timeout: WAIT_MS });
      await page.waitForSelector('[data-testid="regform"][data-form="unit"]', { timeout: WAIT_MS });
      const unitName = `Trường Mầm non Hoa Sữa ${STAMP}`;
      await page.fill('[data-testid="rf-name"]', unitName);
      await page.click('[data-testid="rf-save"]');
      await page.waitForSelector('[data-testid="rf-kind-error"]', { timeout: WAIT_MS });
      const kinds = await page.$$eval('[data-testid="rf-kind"] option', (os) => os.map((o) => o.value).filter(Boolean));
      await page.selectOption('[data-testid="rf-kind"]', kinds[0]);
      const [unit] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/organisations') && r.request().method() === 'POST'),
        page.click('[data-testid="rf-save"]'),
      ]);
      assert.equal(unit.status(), 201, await unit.text());
      assert.equal((await unit.json()).name, unitName);
      await noSideScroll('the learning-unit form');
      assert.deepEqual(problems, []);
    });
  });
}
