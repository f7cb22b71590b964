// Logging in through the login form, and the settings every browser test uses. Every page
// of the app needs a session now; the runner gives an admin of the whole city
// in HOCTAP_ADMIN_USER / HOCTAP_ADMIN_PASSWORD (password already set).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Shared by every browser test: where the server is, the browser and where screenshots go.
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = path.join(REPO, 'build', 'screenshots');
export const BASE_URL = (process.env.HOCTAP_URL || '').replace(/\/+$/, '');
export const CHROMIUM = process.env.HOCTAP_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium, headless; also makes the screenshot folder. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM} (install Debian's chromium package)`);
  }
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A page in a new context (its own cookies) whose script errors, CSP
 * violations and missing files (HTTP errors outside /api/, where tests
 * provoke them on purpose) are pushed to `problems`.
 */
export async function watchedPage(browser, problems, viewport) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content.Security.Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && !url.pathname.startsWith('/api/')) {
      problems.push(`HTTP ${response.status()} for ${url.pathname}`);
    }
  });
  return page;
}

export const ADMIN_USER = process.env.HOCTAP_ADMIN_USER || '';
export const ADMIN_PASSWORD = process.env.HOCTAP_ADMIN_PASSWORD || '';
const WAIT_MS = 20000;

/** What is missing from the environment for a logged-in test, or null. */
export function missingAdminEnv() {
  const missing = ['HOCTAP_ADMIN_USER', 'HOCTAP_ADMIN_PASSWORD'].filter((name) => !process.env[name]);
  return missing.length
    ? `${missing.join(' and ')} not set: create an admin of unit 31, e.g.\n` +
        "  echo 'Mat-khau-thu-nghiem-1' | build/hoctap user add quantri --role admin --unit 31 " +
        "--full-name 'Quản trị' --password-stdin --db DB\n" +
        '  HOCTAP_ADMIN_USER=quantri HOCTAP_ADMIN_PASSWORD=Mat-khau-thu-nghiem-1 HOCTAP_URL=... node --test tests/browser/'
    : null;
}

/** Type `username` and `password` into the login form that is on screen and submit it. */
export async function submitLogin(page, username, password) {
  await page.waitForSelector('[data-testid="login"]', { timeout: WAIT_MS });
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', password);
  await page.click('[data-testid="login-submit"]');
}

/**
 * Open `baseUrl` + `hash`, log in through the form (the admin of the
 * environment unless told otherwise) and wait until the app is shown (or the
 * forced password change, with `forcedChange`). Fails with the page's error
 * message when the login is refused.
 */
export async function login(page, baseUrl, { username = ADMIN_USER, password = ADMIN_PASSWORD, hash = '#/', forcedChange = false } = {}) {
  assert.ok(username && password, missingAdminEnv() || 'a username and password to log in with');
  await page.goto(`${baseUrl}/${hash}`);
  await submitLogin(page, username, password);
  const done = forcedChange ? '[data-testid="forced-change"]' : '[data-testid="user-menu"]';
  const outcome = await Promise.race([
    page.waitForSelector(done, { timeout: WAIT_MS }).then(() => 'in'),
    page.waitForSelector('[data-testid="login-error"]', { timeout: WAIT_MS }).then(() => 'refused'),
  ]);
  if (outcome === 'refused') {
    const text = await page.textContent('[data-testid="login-error"]');
    assert.fail(`login as ${username} refused: ${text.trim()}`);
  }
}

/**
 * Cookie and CSRF token of the page's session, and a fetch from Node that uses
 * them: `call(method, path, body)` -> {status, body}. For API checks beside the
 * page (the session cookie is HttpOnly, so it is read from the context).
 */
export async function sessionApi(page, baseUrl) {
  const cookies = await page.context().cookies(baseUrl);
  const cookie = cookies.map((item) => `${item.name}=${item.value}`).join('; ');
  const call = async (method, path, body) => {
    const headers = { Accept: 'application/json', Cookie: cookie };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && call.csrf) headers['X-CSRF-Token'] = call.csrf;
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    return { status: response.status, body: parsed };
  };
  const session = await call('GET', '/api/v1/session');
  assert.equal(session.status, 200, `GET /api/v1/session with the page's cookie: ${JSON.stringify(session.body)}`);
  call.csrf = session.body.csrf;
  call.cookie = cookie;
  return call;
}
