// Browser test of accounts and access, driven through the pages as people use
// them: the admin logs in and creates a viewer and a data-entry officer for
// one commune, reading their one-time passwords from the page; each logs in,
// must change the password (a weak one is refused with the server's message),
// and sees only what the role and the commune allow; logout ends the session on
// the server; repeated wrong passwords throttle an account; the audit log shows
// it all. Phone width and English are checked on the way.
//
// Run: HOCTAP_URL=http://127.0.0.1:18090 HOCTAP_ADMIN_USER=quantri \
//      HOCTAP_ADMIN_PASSWORD=... node --test tests/browser/
// The server must hold the demo data (`hoctap demo`); the admin must be scoped to
// the city "31" with the password already set. Usernames are unique per run.
// Screenshots go to build/screenshots/ for a person to look at (docs/screenshot-admin.png is
// a copy of admin.png made by hand, so test runs leave the tree clean).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE_URL, SCREENSHOTS, ADMIN_USER, launchBrowser, login, missingAdminEnv, sessionApi, submitLogin, watchedPage } from './login.mjs';

const YEAR = 2025;
const TITLE = 'gia-dinh-hoc-tap';
const WAIT_MS = 20000;
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
// Unique per run: the database keeps the users of earlier runs.
const STAMP = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const WEAK_PASSWORD = '123456789';
const strongPassword = (who) => `Hoc-tap-${who.length}-Manh-${STAMP.slice(-4)}!`;

const envProblem = !BASE_URL
  ? 'HOCTAP_URL is not set. Start the server with demo data and an admin, then e.g.\n' +
    '  HOCTAP_URL=http://127.0.0.1:18090 HOCTAP_ADMIN_USER=quantri HOCTAP_ADMIN_PASSWORD=... node --test tests/browser/'
  : missingAdminEnv();

if (envProblem) {
  test('HOCTAP_URL, HOCTAP_ADMIN_USER and HOCTAP_ADMIN_PASSWORD are set', () => assert.fail(envProblem));
} else {
  describe('Tài khoản và phân quyền (accounts and access)', () => {
    let browser;
    const contexts = [];
    const problems = []; // script errors, CSP violations, missing files
    let adminPage;
    let adminApi; // (method, path, body) -> {status, body} with the admin's session

    /** A fresh browser context (its own cookies) and page, watched for problems. */
    async function newPage(viewport = DESKTOP) {
      const page = await watchedPage(browser, problems, viewport);
      contexts.push(page.context());
      return page;
    }

    /** Wait for a selector; on timeout say what the page shows instead. */
    async function waitFor(page, selector, what) {
      try {
        return await page.waitForSelector(selector, { timeout: WAIT_MS });
      } catch (error) {
        const shown = await page
          .$$eval('[data-testid][data-state]', (els) => els.map((el) => `${el.dataset.testid}:${el.dataset.state}`))
          .catch(() => []);
        const alert = await page.$eval('[role="alert"]', (el) => el.innerText).catch(() => null);
        throw new Error(
          `${what} not shown; the page has ${JSON.stringify(shown)}` + (alert ? `; alert: ${alert}` : '') + `; url ${page.url()}`,
          { cause: error },
        );
      }
    }

    async function apiOk(method, pathAndQuery, body) {
      const answer = await adminApi(method, pathAndQuery, body);
      assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${pathAndQuery}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    }

    const noSideScroll = async (page, what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${what}: the page does not scroll sideways on a phone (${overflow}px too wide)`);
    };

    const assertNfc = async (page, what) => {
      const text = await page.evaluate(() => document.body.innerText);
      assert.equal(text, text.normalize('NFC'), `${what}: all text on the page is NFC`);
    };

    before(async () => {
      browser = await launchBrowser();
      adminPage = await newPage();
    });

    after(async () => {
      for (const context of contexts) await context.close().catch(() => {});
      if (browser) await browser.close();
    });

    // Two communes of the city with households in YEAR, and a household of each.
    const communeA = {};
    const communeB = {};
    const people = {
      viewer: { username: `xem.${STAMP}`, fullName: 'Trần Thị Xem', role: 'viewer' },
      officer: { username: `nhaplieu.${STAMP}`, fullName: 'Lê Văn Nhập Liệu', role: 'data-entry' },
      throwaway: { username: `thu.${STAMP}`, fullName: 'Phạm Thử Khóa', role: 'viewer' },
    };

    it('without a session the login page is shown, in Vietnamese', async () => {
      await adminPage.goto(`${BASE_URL}/#/`);
      await waitFor(adminPage, '[data-testid="login"]', 'the login page');
      assert.equal((await adminPage.textContent('[data-testid="page-title"]')).trim(), 'Đăng nhập');
      assert.equal(await adminPage.getAttribute('html', 'lang'), 'vi');
      assert.equal(await adminPage.locator('[data-testid="nav"]').count(), 0, 'no navigation before login');
      assert.equal(await adminPage.locator('label[for="login-username"]').textContent(), 'Tên đăng nhập');
      assert.equal(await adminPage.locator('label[for="login-password"]').textContent(), 'Mật khẩu');
      await assertNfc(adminPage, 'login page');
      await adminPage.screenshot({ path: path.join(SCREENSHOTS, 'login.png') });
      const phone = await newPage(PHONE);
      await phone.goto(`${BASE_URL}/#/`);
      await waitFor(phone, '[data-testid="login"]', 'the login page on a phone');
      await noSideScroll(phone, 'login page');
      await phone.screenshot({ path: path.join(SCREENSHOTS, 'login-phone.png') });
    });

    it('the admin logs in and sees name, role, unit and the admin and audit links', async () => {
      await login(adminPage, BASE_URL);
      adminApi = await sessionApi(adminPage, BASE_URL);
      const { user } = await apiOk('GET', '/api/v1/session');
      assert.equal(user.username, ADMIN_USER);
      assert.ok(user.perms.includes('users.manage') && user.perms.includes('audit.read'), 'the admin can manage users and read the audit');
      assert.equal((await adminPage.textContent('[data-testid="user-name"]')).trim(), user.full_name);
      const roleLine = (await adminPage.textContent('[data-testid="user-role"]')).trim();
      assert.ok(roleLine.includes(user.role_name_vi), `the bar names the role: ${roleLine}`);
      assert.ok(roleLine.includes(user.unit.name), `the bar names the unit: ${roleLine}`);
      await adminPage.click('[data-testid="user-menu-button"]');
      await waitFor(adminPage, '[data-testid="menu-admin"]', 'the admin link');
      assert.equal((await adminPage.textContent('[data-testid="menu-admin"]')).trim(), 'Quản trị');
      assert.equal((await adminPage.textContent('[data-testid="menu-audit"]')).trim(), 'Nhật ký');
      assert.equal((await adminPage.textContent('[data-testid="menu-account"]')).trim(), 'Tài khoản');
      assert.equal((await adminPage.textContent('[data-testid="menu-logout"]')).trim(), 'Đăng xuất');
    });

    it('finds two communes with households (A and B) through the API', async () => {
      const { units } = await apiOk('GET', `/api/v1/units?parent=31&date=${YEAR}-12-31`);
      assert.ok(units.length >= 2, 'the city has communes');
      const found = [];
      for (const unit of units) {
        const results = await apiOk('GET', `/api/v1/results?title=${TITLE}&unit=${encodeURIComponent(unit.code)}&year=${YEAR}&limit=1`);
        if (results.total > 0 && results.entities.length) {
          found.push({ code: unit.code, name: unit.name, household: results.entities[0] });
          if (found.length === 2) break;
        }
      }
      assert.equal(found.length, 2, 'two communes with households');
      Object.assign(communeA, found[0]);
      Object.assign(communeB, found[1]);
    });

    /** Through the admin page: create `who` in commune A and read the one-time password shown once. */
    async function createThroughPage(who) {
      await adminPage.selectOption('[data-testid="new-role"]', who.role);
      await adminPage.fill('[data-testid="new-username"]', who.username);
      await adminPage.fill('[data-testid="new-full-name"]', who.fullName);
      await adminPage.fill('[data-testid="new-unit"]', communeA.code);
      await adminPage.click('[data-testid="create-submit"]');
      const box = `[data-testid="otp"][data-username="${who.username}"][data-kind="created"]`;
      await waitFor(adminPage, box, `the one-time password of ${who.username}`);
      who.oneTimePassword = await adminPage.inputValue(`${box} [data-testid="otp-value"]`);
      assert.ok(who.oneTimePassword.length >= 8, `a one-time password is shown for ${who.username}`);
      const boxText = await adminPage.textContent(box);
      assert.match(boxText, /chỉ hiển thị một lần/, 'the box warns it is shown once');
      await waitFor(adminPage, `[data-testid="user-row"][data-username="${who.username}"]`, `${who.username} in the list`);
    }

    it('the admin creates a viewer and a data-entry officer of commune A on the admin page', async () => {
      await adminPage.click('[data-testid="menu-admin"]');
      await waitFor(adminPage, '[data-testid="admin"][data-state="ready"] [data-testid="users"][data-state="ready"]', 'the admin page');
      assert.equal(new URL(adminPage.url()).hash, '#/quan-tri');
      const { roles } = await apiOk('GET', '/api/v1/roles');
      for (const key of ['viewer', 'data-entry']) {
        const role = roles.find((item) => item.key === key);
        assert.ok(role, `role ${key} exists`);
        const label = await adminPage.textContent(`[data-testid="new-role"] option[value="${key}"]`);
        assert.equal(label.trim(), role.name_vi, `the role select names ${key} in Vietnamese`);
      }
      await createThroughPage(people.viewer);
      await createThroughPage(people.officer);
      const status = await adminPage.getAttribute(
        `[data-testid="user-row"][data-username="${people.officer.username}"]`,
        'data-status',
      );
      assert.equal(status, 'must-change', 'a new user must change the password');
      await assertNfc(adminPage, 'admin page');
      await adminPage.evaluate(() => window.scrollTo(0, 0));
      await adminPage.screenshot({ path: path.join(SCREENSHOTS, 'admin.png'), fullPage: true });
      await adminPage.click('[data-testid="otp-close"]');
      // The list filters by text.
      await adminPage.fill('[data-testid="users-filter"]', people.viewer.username);
      await waitFor(
        adminPage,
        `[data-testid="users"][data-state="ready"][data-q="${people.viewer.username}"]`,
        'the filtered list',
      );
      const shown = await adminPage.$$eval('[data-testid="user-row"]', (rows) => rows.map((row) => row.dataset.username));
      assert.deepEqual(shown, [people.viewer.username], 'the filter keeps the one user');
      await adminPage.fill('[data-testid="users-filter"]', '');
    });

    /** Log in with the one-time password, be forced to change it: weak refused, strong accepted. */
    async function firstLogin(who, { checkWeak = false } = {}) {
      const page = await newPage();
      await login(page, BASE_URL, { username: who.username, password: who.oneTimePassword, forcedChange: true });
      assert.equal((await page.textContent('[data-testid="page-title"]')).trim(), 'Đổi mật khẩu');
      assert.equal(await page.locator('[data-testid="nav"]').count(), 0, 'nothing else before the change');
      if (checkWeak) {
        await page.screenshot({ path: path.join(SCREENSHOTS, 'forced-change.png') });
        await page.fill('[data-testid="pw-current"]', who.oneTimePassword);
        await page.fill('[data-testid="pw-new"]', WEAK_PASSWORD);
        await page.fill('[data-testid="pw-repeat"]', WEAK_PASSWORD);
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/v1/session/password') && r.request().method() === 'POST'),
          page.click('[data-testid="pw-submit"]'),
        ]);
        assert.equal(response.status(), 400, 'the server refuses the weak password');
        const refusal = (await response.json()).error;
        assert.equal(refusal.code, 'weak_password');
        const shown = await waitFor(page, '[data-testid="pw-new-error"]', 'the weak password message');
        assert.equal((await shown.textContent()).trim().replace(/^✗\s*/, ''), refusal.message_vi, 'the server message is shown at the field');
        assert.ok(await page.isVisible('[data-testid="forced-change"]'), 'still on the forced change page');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'forced-change-weak.png') });
      }
      who.password = strongPassword(who.username);
      await page.fill('[data-testid="pw-current"]', who.oneTimePassword);
      await page.fill('[data-testid="pw-new"]', who.password);
      await page.fill('[data-testid="pw-repeat"]', who.password);
      await page.click('[data-testid="pw-submit"]');
      await waitFor(page, '[data-testid="user-menu"]', `the app for ${who.username} after the change`);
      assert.equal((await page.textContent('[data-testid="user-name"]')).trim(), who.fullName);
      return page;
    }

    let viewerPage;
    let officerPage;
    let throwawayId;

    it('the viewer logs in with the one-time password and must change it; a weak one is refused', async () => {
      viewerPage = await firstLogin(people.viewer, { checkWeak: true });
      await waitFor(viewerPage, '[data-testid="dashboard"][data-state="ready"]', 'the home page (Tổng quan) for the viewer');
    });

    it('the viewer sees no admin link and cannot change anything', async () => {
      await viewerPage.click('[data-testid="user-menu-button"]');
      await waitFor(viewerPage, '[data-testid="menu-account"]', 'the viewer menu');
      assert.equal(await viewerPage.locator('[data-testid="menu-admin"]').count(), 0, 'no admin link for a viewer');
      assert.equal(await viewerPage.locator('[data-testid="menu-audit"]').count(), 0, 'no audit link for a viewer');
      await viewerPage.keyboard.press('Escape');
      await viewerPage.goto(`${BASE_URL}/#/quan-tri`);
      await waitFor(viewerPage, '[data-testid="admin"][data-state="forbidden"]', 'the refusal of the admin page');
      assert.equal(
        (await viewerPage.textContent('[data-testid="refusal"] .refusal-title')).trim(),
        'Bạn không có quyền truy cập trang này.',
      );
      assert.equal(await viewerPage.locator('[data-testid="create-user"]').count(), 0, 'no create form');
      const answer = await viewerPage.evaluate(async (username) => {
        const session = await (await fetch('api/v1/session', { credentials: 'same-origin' })).json();
        const response = await fetch('api/v1/users', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf },
          body: JSON.stringify({ username, full_name: 'Không được tạo', role: 'admin', unit: '31' }),
        });
        return { status: response.status, body: await response.json() };
      }, `khongduoc.${STAMP}`);
      assert.equal(answer.status, 403, `a viewer's POST /api/v1/users is refused: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, 'forbidden');
    });

    it('the officer of commune A cannot open a household of commune B, by URL or by search; one of A opens', async () => {
      officerPage = await firstLogin(people.officer);
      const codeB = communeB.household.code;
      await officerPage.goto(`${BASE_URL}/#/ho/${encodeURIComponent(codeB)}?year=${YEAR}`);
      await waitFor(officerPage, `[data-testid="household"][data-state="forbidden"][data-code="${codeB}"]`, 'the refusal of B');
      assert.equal((await officerPage.textContent('[data-testid="hh-forbidden"] .refusal-title')).trim(), 'Bạn không có quyền xem hộ này');
      await officerPage.screenshot({ path: path.join(SCREENSHOTS, 'household-refused.png') });

      // The search box: B's household is not offered, A's is, and opens.
      const search = async (text) => {
        await officerPage.fill('[data-testid="search-input"]', text);
        await waitFor(officerPage, `[data-testid="search-results"][data-state="ready"][data-q="${text}"]`, `results for ${text}`);
        return officerPage.$$eval('[data-testid="search-household"]', (links) => links.map((link) => link.dataset.code));
      };
      const nameB = communeB.household.name;
      const foundB = await search(nameB);
      assert.ok(!foundB.includes(codeB), `${codeB} of commune B is not found by the officer of A (${foundB})`);
      const adminFinds = await apiOk('GET', `/api/v1/search?q=${encodeURIComponent(nameB)}&year=${YEAR}&limit=50`);
      assert.ok(
        adminFinds.households.some((item) => item.code === codeB),
        `the admin does find ${codeB} by "${nameB}" (so the officer's search was a real test)`,
      );

      const codeA = communeA.household.code;
      const foundA = await search(communeA.household.name);
      assert.ok(foundA.includes(codeA), `${codeA} of commune A is found (${foundA})`);
      await officerPage.click(`[data-testid="search-household"][data-code="${codeA}"]`);
      await waitFor(officerPage, `[data-testid="household"][data-state="ready"][data-code="${codeA}"]`, `household ${codeA}`);
      const officerApi = await sessionApi(officerPage, BASE_URL);
      const { status, body } = await officerApi('GET', `/api/v1/households/${encodeURIComponent(codeA)}?year=${YEAR}`);
      assert.equal(status, 200);
      assert.equal((await officerPage.textContent('[data-testid="hh-head"]')).trim(), body.head_name);
      assert.equal((await officerPage.textContent('[data-testid="hh-village"]')).trim(), body.village.name);
      const ids = await officerPage.$$eval('[data-testid="hh-citizen-id"]', (cells) =>
        cells.map((cell) => cell.firstChild.textContent.trim()),
      );
      assert.deepEqual(
        ids,
        body.members.map((member) => member.citizen_id || '—'),
        'citizen IDs as the server sends them',
      );
      await assertNfc(officerPage, 'household page');
      await officerPage.screenshot({ path: path.join(SCREENSHOTS, 'household.png') });
      await officerPage.setViewportSize(PHONE);
      await noSideScroll(officerPage, 'household page');
      await officerPage.screenshot({ path: path.join(SCREENSHOTS, 'household-phone.png'), fullPage: true });
      await officerPage.setViewportSize(DESKTOP);
    });

    it('the account page: an API token shown once works as Bearer and is revoked; logout on every device', async () => {
      await officerPage.click('[data-testid="user-menu-button"]');
      await officerPage.click('[data-testid="menu-account"]');
      await waitFor(officerPage, '[data-testid="token-panel"][data-state="ready"][data-exists="false"]', 'the token panel');
      assert.equal((await officerPage.textContent('[data-testid="account-username"]')).trim(), people.officer.username);
      await officerPage.click('[data-testid="token-create"]');
      await waitFor(officerPage, '[data-testid="token-secret"]', 'the new token');
      const token = await officerPage.inputValue('[data-testid="token-secret-value"]');
      assert.match(await officerPage.textContent('[data-testid="token-secret"]'), /chỉ hiển thị một lần/);
      await waitFor(officerPage, '[data-testid="token-panel"][data-state="ready"][data-exists="true"]', 'the token marked as existing');
      const withToken = async () =>
        (await fetch(`${BASE_URL}/api/v1/session`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }))
          .status;
      assert.equal(await withToken(), 200, 'the token opens the API');
      await officerPage.screenshot({ path: path.join(SCREENSHOTS, 'account-token.png') });
      await officerPage.click('[data-testid="token-secret-close"]');
      assert.equal(await officerPage.locator('[data-testid="token-secret"]').count(), 0, 'closed, the token is gone from the page');
      await officerPage.click('[data-testid="token-revoke"]');
      await officerPage.click('[data-testid="confirm-ok"]');
      await waitFor(officerPage, '[data-testid="token-panel"][data-state="ready"][data-exists="false"]', 'the revoked token');
      assert.equal(await withToken(), 401, 'a revoked token opens nothing');

      const saved = await officerPage.context().cookies(BASE_URL);
      const cookieHeader = saved.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
      await officerPage.click('[data-testid="logout-all"]');
      await waitFor(officerPage, '[data-testid="confirm-dialog"]', 'the logout-all confirmation');
      await officerPage.click('[data-testid="confirm-ok"]');
      await waitFor(officerPage, '[data-testid="login-notice"][data-notice="loggedOutAll"]', 'the login page after logout-all');
      const status = (await fetch(`${BASE_URL}/api/v1/session`, { headers: { Cookie: cookieHeader } })).status;
      assert.equal(status, 401, 'the session ended on the server');
    });

    it('the viewer sees citizen IDs masked', async () => {
      const codeA = communeA.household.code;
      await viewerPage.goto(`${BASE_URL}/#/ho/${encodeURIComponent(codeA)}?year=${YEAR}`);
      await waitFor(viewerPage, `[data-testid="household"][data-state="ready"][data-code="${codeA}"]`, `household ${codeA}`);
      const api = await sessionApi(viewerPage, BASE_URL);
      const { body } = await api('GET', `/api/v1/households/${encodeURIComponent(codeA)}?year=${YEAR}`);
      const masked = body.members.filter((member) => member.citizen_id_masked);
      if (masked.length) {
        assert.ok(await viewerPage.isVisible('[data-testid="hh-masked-note"]'), 'the page says IDs are masked');
        const shown = await viewerPage.textContent(`[data-testid="hh-member"][data-id="${masked[0].id}"] [data-testid="hh-citizen-id"]`);
        assert.ok(shown.includes(masked[0].citizen_id), `the masked ID as sent: ${shown}`);
      }
    });

    it('logout ends the session on the server: the old cookie gets 401', async () => {
      const saved = await viewerPage.context().cookies(BASE_URL);
      assert.ok(saved.some((cookie) => cookie.name === 'hoctap_session'), 'the session cookie exists');
      const cookieHeader = saved.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
      const check = async () =>
        (await fetch(`${BASE_URL}/api/v1/session`, { headers: { Cookie: cookieHeader, Accept: 'application/json' } })).status;
      assert.equal(await check(), 200, 'the cookie works before logout');
      await viewerPage.click('[data-testid="user-menu-button"]');
      await viewerPage.click('[data-testid="menu-logout"]');
      await waitFor(viewerPage, '[data-testid="login"] [data-testid="login-notice"][data-notice="loggedOut"]', 'the login page after logout');
      assert.equal(await check(), 401, 'the saved cookie no longer opens a session');
    });

    it('repeated wrong passwords throttle the account; even the right password waits', async () => {
      const created = await apiOk('POST', '/api/v1/users', {
        username: people.throwaway.username,
        full_name: people.throwaway.fullName,
        role: people.throwaway.role,
        unit: communeA.code,
      });
      const rightPassword = created.one_time_password;
      throwawayId = created.user.id;
      const page = await newPage();
      await page.goto(`${BASE_URL}/#/`);
      let code = null;
      let attempts = 0;
      for (; attempts < 30 && code !== 'throttled'; attempts++) {
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
          submitLogin(page, people.throwaway.username, `sai-mat-khau-${attempts}`),
        ]);
        code = (await response.json()).error.code;
        await waitFor(page, `[data-testid="login-error"][data-code="${code}"]`, `the ${code} message`);
        if (attempts === 0) {
          assert.equal(code, 'bad_credentials', 'a wrong password is first just refused');
          assert.equal(response.status(), 401);
        }
      }
      assert.equal(code, 'throttled', `throttled after ${attempts} wrong passwords`);
      const wait = await page.getAttribute('[data-testid="login-wait"]', 'data-seconds');
      assert.ok(Number(wait) > 0, `the page counts down the wait (${wait} s)`);
      assert.match(await page.textContent('[data-testid="login-wait"]'), /Hãy thử lại sau \d+/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'login-throttled.png') });

      const [right] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
        submitLogin(page, people.throwaway.username, rightPassword),
      ]);
      assert.equal(right.status(), 429, 'the right password is refused during the wait');
      assert.ok(Number(right.headers()['retry-after']) > 0, 'with a Retry-After header');
      await waitFor(page, '[data-testid="login-error"][data-code="throttled"]', 'the throttling message again');
      assert.equal(await page.locator('[data-testid="user-menu"]').count(), 0, 'not logged in');
    });

    it('the admin disables and resets a user after confirming; the reset shows a new one-time password and ends the session', async () => {
      const rowOf = (who) => `[data-testid="user-row"][data-username="${who.username}"]`;
      // Loaded afresh: the throwaway user was created through the API.
      await adminPage.goto(`${BASE_URL}/#/quan-tri`);
      await adminPage.reload();
      await waitFor(adminPage, rowOf(people.throwaway), 'the throwaway row');
      await adminPage.click(`${rowOf(people.throwaway)} [data-testid="user-disable"]`);
      await waitFor(adminPage, '[data-testid="confirm-dialog"]', 'the confirmation');
      assert.match(await adminPage.textContent('[data-testid="confirm-dialog"]'), new RegExp(people.throwaway.username));
      await adminPage.click('[data-testid="confirm-cancel"]');
      assert.equal(await adminPage.locator('[data-testid="confirm-dialog"]').count(), 0, 'cancel closes the question');
      assert.equal(await adminPage.getAttribute(rowOf(people.throwaway), 'data-status'), 'must-change', 'nothing changed');
      await adminPage.click(`${rowOf(people.throwaway)} [data-testid="user-disable"]`);
      await adminPage.click('[data-testid="confirm-ok"]');
      await waitFor(adminPage, `${rowOf(people.throwaway)}[data-status="disabled"]`, 'the disabled user');
      await adminPage.click(`${rowOf(people.throwaway)} [data-testid="user-enable"]`);
      await waitFor(adminPage, `${rowOf(people.throwaway)}:not([data-status="disabled"])`, 'the enabled user');

      // The viewer is working when the admin resets the password: the next request finds
      // the session ended and the login page comes back, saying so.
      await login(viewerPage, BASE_URL, { username: people.viewer.username, password: people.viewer.password });
      await adminPage.click(`${rowOf(people.viewer)} [data-testid="user-reset"]`);
      await waitFor(adminPage, '[data-testid="confirm-dialog"]', 'the reset confirmation');
      await adminPage.click('[data-testid="confirm-ok"]');
      const box = `[data-testid="otp"][data-username="${people.viewer.username}"][data-kind="reset"]`;
      await waitFor(adminPage, box, 'the new one-time password');
      const fresh = await adminPage.inputValue(`${box} [data-testid="otp-value"]`);
      assert.ok(fresh.length >= 8 && fresh !== people.viewer.oneTimePassword, 'a new one-time password');
      await waitFor(adminPage, `${rowOf(people.viewer)}[data-status="must-change"]`, 'the viewer must change again');
      await viewerPage.click('[data-testid="nav-evaluation"]');
      await waitFor(viewerPage, '[data-testid="login-notice"][data-notice="expired"]', 'the login page after the reset');
      assert.match(await viewerPage.textContent('[data-testid="login-notice"]'), /Phiên làm việc đã kết thúc/);
      assert.match(new URL(viewerPage.url()).hash, /^#\/danh-gia/, 'the page the viewer was opening is kept for after the login');
    });

    it('the audit page shows the user creation, the failed logins and a before/after comparison', async () => {
      const { users } = await apiOk('GET', `/api/v1/users?q=${encodeURIComponent(people.viewer.username)}`);
      const viewer = users.find((item) => item.username === people.viewer.username);
      assert.ok(viewer, 'the viewer is listed');

      await adminPage.click('[data-testid="user-menu-button"]');
      await adminPage.click('[data-testid="menu-audit"]');
      await waitFor(adminPage, '[data-testid="audit"][data-state="ready"]', 'the audit page');
      // Filter by the admin and the action, through the form.
      await adminPage.fill('[data-testid="audit-filter-actor"]', ADMIN_USER);
      await adminPage.fill('[data-testid="audit-filter-action"]', 'user.create');
      await adminPage.click('[data-testid="audit-apply"]');
      await waitFor(
        adminPage,
        `[data-testid="audit"][data-state="ready"][data-filters="actor=${encodeURIComponent(ADMIN_USER)}&action=user.create"]`,
        'the filtered audit',
      );
      const creations = await adminPage.$$eval('[data-testid="audit-row"]', (rows) =>
        rows.map((row) => ({ seq: row.dataset.seq, object: row.dataset.object, action: row.dataset.action })),
      );
      assert.ok(creations.every((row) => row.action === 'user.create'), 'only creations');
      const mine = creations.filter((row) =>
        [people.viewer.username, viewer.id].includes(row.object),
      );
      assert.equal(mine.length, 1, `the viewer's creation is listed once (${JSON.stringify(creations.slice(0, 5))})`);
      const row = `[data-testid="audit-row"][data-seq="${mine[0].seq}"]`;
      await adminPage.click(`${row} [data-testid="audit-toggle"]`);
      const diff = await waitFor(adminPage, '[data-testid="audit-diff"]', 'the before/after of the creation');
      const diffText = await diff.innerText();
      assert.ok(diffText.includes(people.viewer.username), `the after side names the new user: ${diffText}`);
      const afterTexts = await adminPage.$$eval('[data-testid="audit-diff-after"]', (cells) => cells.map((c) => c.textContent.trim()));
      assert.ok(afterTexts.includes(people.viewer.username), `the "after" column has the username: ${afterTexts}`);
      assert.equal(
        await adminPage.locator('[data-testid="audit-diff-row"][data-changed="true"]').count(),
        0,
        'a creation has no "before" to compare with',
      );
      await assertNfc(adminPage, 'audit page');
      await adminPage.screenshot({ path: path.join(SCREENSHOTS, 'audit.png') });

      // The disabling of the throwaway account: before and after compared field by field.
      await adminPage.goto(`${BASE_URL}/#/nhat-ky?action=user.disable`);
      await waitFor(adminPage, '[data-testid="audit"][data-state="ready"][data-filters="action=user.disable"]', 'disablings');
      const { entries } = await apiOk('GET', '/api/v1/audit?action=user.disable&limit=50');
      const disabling = entries.find((entry) => [people.throwaway.username, throwawayId].includes(entry.object_id));
      assert.ok(disabling, `the disabling of ${people.throwaway.username} is in the audit log`);
      if (disabling.before && disabling.after) {
        const disabledRow = `[data-testid="audit-row"][data-seq="${disabling.seq}"]`;
        await adminPage.click(`${disabledRow} [data-testid="audit-toggle"]`);
        await waitFor(adminPage, '[data-testid="audit-diff-row"][data-changed="true"]', 'a changed field');
        await adminPage.screenshot({ path: path.join(SCREENSHOTS, 'audit-diff.png') });
      }

      // The failed logins of the throwaway account.
      await adminPage.goto(`${BASE_URL}/#/nhat-ky?action=login.failed`);
      await waitFor(adminPage, '[data-testid="audit"][data-state="ready"][data-filters="action=login.failed"]', 'failed logins');
      const failed = await adminPage.$$eval('[data-testid="audit-row"]', (rows) =>
        rows.map((row) => `${row.dataset.actor} ${row.dataset.object}`),
      );
      const throwawayFailures = failed.filter((text) => text.includes(people.throwaway.username));
      assert.ok(throwawayFailures.length >= 2, `the failed logins of ${people.throwaway.username} are listed (${throwawayFailures.length})`);
      await adminPage.screenshot({ path: path.join(SCREENSHOTS, 'audit-failed-logins.png') });

      // From the admin list: one user's entries.
      await adminPage.goto(`${BASE_URL}/#/quan-tri`);
      await waitFor(adminPage, `[data-testid="user-row"][data-username="${people.viewer.username}"]`, 'the viewer row');
      await adminPage.click(`[data-testid="user-row"][data-username="${people.viewer.username}"] [data-testid="user-audit"]`);
      await waitFor(
        adminPage,
        `[data-testid="audit"][data-state="ready"][data-filters="actor=${encodeURIComponent(people.viewer.username)}"]`,
        "the viewer's entries",
      );
      const actions = await adminPage.$$eval('[data-testid="audit-row"]', (rows) => rows.map((r) => r.dataset.action));
      assert.ok(actions.includes('login'), `the viewer's login is listed (${actions})`);
      assert.ok(actions.includes('password.change'), `the viewer's password change is listed (${actions})`);
    });

    it('the admin page works in English and at phone width', async () => {
      await adminPage.goto(`${BASE_URL}/#/quan-tri`);
      await waitFor(adminPage, '[data-testid="admin"][data-state="ready"]', 'the admin page');
      await adminPage.click('[data-testid="lang-toggle"]');
      try {
        await adminPage.waitForFunction(() => document.querySelector('h1').textContent === 'User administration');
        assert.equal(await adminPage.getAttribute('html', 'lang'), 'en');
        assert.equal((await adminPage.textContent('[data-testid="create-submit"]')).trim(), 'Create user');
        await adminPage.setViewportSize(PHONE);
        await noSideScroll(adminPage, 'admin page');
        await adminPage.screenshot({ path: path.join(SCREENSHOTS, 'admin-phone-en.png') });
        await adminPage.click('[data-testid="user-menu-button"]');
        await waitFor(adminPage, '[data-testid="menu-admin"]', 'the menu on a phone');
        assert.equal((await adminPage.textContent('[data-testid="menu-admin"]')).trim(), 'Administration');
        const panel = await adminPage.$eval('[data-testid="user-menu-panel"]', (el) => {
          const box = el.getBoundingClientRect();
          return { left: box.left, right: box.right };
        });
        assert.ok(panel.left >= 0 && panel.right <= PHONE.width, `the menu fits the phone screen (${JSON.stringify(panel)})`);
        await adminPage.keyboard.press('Escape');
      } finally {
        await adminPage.setViewportSize(DESKTOP);
        await adminPage.click('[data-testid="lang-toggle"]');
        await adminPage.waitForFunction(() => document.querySelector('h1').textContent === 'Quản trị tài khoản');
      }
    });

    it('had no script errors, CSP violations or missing files', () => {
      assert.deepEqual(problems, []);
    });
  });
}
