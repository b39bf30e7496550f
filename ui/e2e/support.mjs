// Helpers for the dashboard's end-to-end tests (node:test, playwright-core with Debian's Chromium, axe-core).
// scripts/e2e.sh starts the packaged app (scripts/with-packaged-app.sh) and sets APP_BASE_URL, APP_ADMIN_EMAIL and APP_ADMIN_PASSWORD.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE_URL = (process.env.APP_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const ADMIN_EMAIL = process.env.APP_ADMIN_EMAIL ?? 'admin@example.com';
export const ADMIN_PASSWORD = process.env.APP_ADMIN_PASSWORD ?? 'admin-password-123';
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'screenshots');

export const DESKTOP = { name: 'desktop', width: 1440, height: 900 };
export const MOBILE = { name: 'mobile', width: 390, height: 844 };

/** How long a locator waits for a page to show something, and a document to be processed. */
export const UI_TIMEOUT = 20_000;
export const PROCESSING_TIMEOUT = 120_000;

// --- browser ---------------------------------------------------------------------------------------------------

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * A fresh context (no cookies, no session) and its page. Dialogs (window.confirm before destructive actions,
 * window.prompt for a reason) are accepted, as a user confirming would. Uncaught page errors are collected.
 */
export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: viewport.width, height: viewport.height },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  page.dialogs = [];
  page.pageErrors = [];
  page.on('dialog', (dialog) => {
    page.dialogs.push({ type: dialog.type(), message: dialog.message() });
    dialog.accept(dialog.type() === 'prompt' ? 'End-to-end test' : undefined).catch(() => {});
  });
  page.on('pageerror', (error) => page.pageErrors.push(error.message));
  return page;
}

/** Closes the page's context (each test gets its own). */
export async function closePage(page) {
  if (page) await page.context().close().catch(() => {});
}

/**
 * Runs `body(page)` on a fresh page and always closes it; when the body fails, the page as it was is kept in
 * ui/target/screenshots/failures/<test name>.png and its uncaught errors are added to the message.
 */
export async function withPage(t, browser, body, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  try {
    return await body(page);
  } catch (error) {
    const file = join(SCREENSHOT_DIR, 'failures', `${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
    await mkdir(dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    const errors = page.pageErrors.length > 0 ? `\nuncaught errors in the page: ${page.pageErrors.join(' | ')}` : '';
    error.message = `${error.message}\n(at ${page.url()}; screenshot ${file})${errors}`;
    throw error;
  } finally {
    await closePage(page);
  }
}

// --- the HTTP API ----------------------------------------------------------------------------------------------

/**
 * Calls the API as a tenant: `key` (X-API-Key) or `token` (a JWT). Resolves to {status, body, headers};
 * never throws on an HTTP error status, so a test can assert a 401 or 403.
 */
export async function apiCall(path, { key, token, method = 'GET', body, headers = {}, form } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  if (key) sent['X-API-Key'] = key;
  if (token) sent.Authorization = `Bearer ${token}`;
  let payload;
  if (form) {
    payload = form;
  } else if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const url = path.startsWith('http') ? path : `${BASE_URL}${path}`;
  const response = await fetch(url, { method, headers: sent, body: payload });
  const text = await response.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Like apiCall, but fails the test unless the status is the expected one; resolves to the body. */
export async function apiOk(path, options = {}, expected = [200]) {
  const answer = await apiCall(path, options);
  assert.ok(expected.includes(answer.status),
    `${options.method ?? 'GET'} ${path}: expected ${expected.join(' or ')}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

let tenantCounter = 0;

/** A unique email for this run. */
export function uniqueEmail(prefix = 'e2e') {
  tenantCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${tenantCounter}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * Signs a fresh tenant up through POST /api/auth/signup. Its per-minute rate limit is raised so that the dashboard's
 * polling and the tests' own calls never meet a 429. Resolves to {email, password, companyName, customerId, apiKey,
 * token}.
 */
export async function signupTenant({ prefix = 'e2e', companyName = 'E2E Testing Ltd' } = {}) {
  const email = uniqueEmail(prefix);
  const password = 'e2e-password-123';
  const answer = await apiOk('/api/auth/signup', { method: 'POST', body: { email, password, company_name: companyName } }, [201]);
  assert.match(answer.api_key, /^drag_/);
  await apiOk('/api/customers/config', {
    key: answer.api_key, method: 'PUT', body: { rate_limit_requests_per_minute: 1000 },
  });
  return { email, password, companyName, customerId: answer.customer_id, apiKey: answer.api_key, token: answer.token };
}

/** Logs in through the API; resolves to the JWT. */
export async function apiLogin(email, password) {
  return (await apiOk('/api/auth/login', { method: 'POST', body: { email, password } })).token;
}

/** Polls a document's status until it is `status` (default completed); fails on failed or after the timeout. */
export async function waitForDocument(key, documentId, { status = 'completed', timeout = PROCESSING_TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    const answer = await apiCall(`/api/documents/${documentId}/status`, { key });
    last = answer.body;
    if (answer.status === 200 && last.status === status) return last;
    if (answer.status === 200 && last.status === 'failed' && status !== 'failed') {
      assert.fail(`document ${documentId} failed: ${last.error_message}`);
    }
    await sleep(1000);
  }
  return assert.fail(`document ${documentId} was not ${status} within ${timeout} ms; last answer ${JSON.stringify(last)}`);
}

/** Ingests a file through POST /api/ingest/file; resolves to the 202 answer. */
export async function ingestFile(key, { name, mimeType, buffer, title }) {
  const form = new FormData();
  form.append('file', new Blob([buffer], { type: mimeType }), name);
  if (title) form.append('title', title);
  return apiOk('/api/ingest/file', { key, method: 'POST', form }, [202]);
}

/** Ingests a text document through POST /api/ingest/document; resolves to the 202 answer. */
export async function ingestText(key, { title, content, docType = 'md' }) {
  return apiOk('/api/ingest/document', { key, method: 'POST', body: { title, content, doc_type: docType } }, [202]);
}

// --- the dashboard -----------------------------------------------------------------------------------------------

/** The main navigation (present on every signed-in page). */
export function mainNav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/**
 * Loads `path` (/login or /signup) and makes sure no one is signed in: the app first tries the refresh cookie on
 * every load, and when that brings a session back the page logs out through its button first.
 */
export async function openSignedOut(page, path) {
  const refreshed = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/refresh',
    { timeout: 10_000 }).catch(() => null);
  await page.goto(path);
  const refresh = await refreshed;
  if (refresh?.ok()) {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    if (path !== '/login') await page.goto(path);
  }
}

/**
 * Logs in through the login form and waits for the signed-in layout. Resolves to the login answer the page
 * received ({token, expires_in}): the dashboard session's JWT, for API checks.
 */
export async function loginThroughForm(page, email, password) {
  await openSignedOut(page, '/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  const answer = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  const response = await answer;
  assert.equal(response.status(), 200, `login of ${email} answered ${response.status()}: ${await response.text()}`);
  await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();
  await page.waitForURL((url) => url.pathname === '/');
  return response.json();
}

/**
 * Goes to a dashboard route inside the running app (as a click on a link does: the in-memory session stays), not by
 * loading the page again. Reloads and deep links are checked on their own (07-session).
 */
export async function goTo(page, path) {
  await page.evaluate((target) => {
    window.history.pushState({}, '', target);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, path);
  await page.waitForURL((url) => url.pathname + url.search === path);
}

/**
 * Reloads the page as a user pressing F5 does. Should the session not survive it (the refresh cookie is what keeps
 * it; 07-session tests exactly that), the test notes it, logs in again and comes back to the same page, so that the
 * test at hand still checks what the server kept.
 */
export async function reloadPage(t, page, { email, password }) {
  const path = new URL(page.url()).pathname;
  await page.reload();
  const signedIn = await page.getByRole('button', { name: 'Log out', exact: true }).waitFor({ timeout: 10_000 })
    .then(() => true, () => false);
  if (signedIn && new URL(page.url()).pathname === path) return;
  t.diagnostic(`a reload of ${path} did not keep the session or the page (07-session checks that): loading / instead`);
  await page.goto('/');
  const restored = await page.getByRole('button', { name: 'Log out', exact: true }).waitFor({ timeout: 10_000 })
    .then(() => true, () => false);
  if (!restored) await loginThroughForm(page, email, password);
  await goTo(page, path);
}

/** Logs the operator account in through the form. */
export function adminLogin(page) {
  return loginThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
}

/**
 * The admin customers table's row of `email`, paging on with the table's "Next" button while the row is not on the
 * page shown (a long-running service has more tenants than one page holds).
 */
export async function findCustomerRow(page, email, { maxPages = 20 } = {}) {
  const row = page.getByRole('row').filter({ hasText: email });
  const next = page.getByRole('navigation', { name: 'Pagination' }).getByRole('button', { name: 'Next', exact: true });
  for (let shown = 1; ; shown += 1) {
    await page.getByRole('row').nth(1).waitFor();
    await waitForLoaded(page);
    if (await row.count() > 0) return row.first();
    if (shown >= maxPages || await next.count() === 0 || await next.isDisabled()) {
      return assert.fail(`no row for ${email} in the customers table (${shown} page(s) looked at)`);
    }
    const before = await page.getByRole('row').nth(1).innerText();
    await next.click();
    await eventually(() => page.getByRole('row').nth(1).innerText(), (text) => text !== before,
      { message: 'the next page of customers' });
  }
}

/** Waits until `read()` (sync or async) returns something `accept` likes; fails with the last value seen. */
export async function eventually(read, accept, { timeout = UI_TIMEOUT, interval = 250, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await read();
      if (await accept(last)) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      return assert.fail(`${message} not met within ${timeout} ms; last seen: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await sleep(interval);
  }
}

/** Waits for a locator's trimmed text to equal (string) or match (RegExp) `expected`. */
export async function expectText(locator, expected, { timeout = UI_TIMEOUT } = {}) {
  const matches = (text) => (expected instanceof RegExp ? expected.test(text) : text === expected);
  return eventually(async () => ((await locator.first().textContent({ timeout: 1000 })) ?? '').trim(), matches,
    { timeout, message: `text of ${locator} to be ${expected}` });
}

/**
 * Waits until the form's alerts (role=alert) say `detail`, the server's message. A form may show a detail's parts
 * (split at "; ") as separate alerts: they are joined back before comparing.
 */
export async function expectFormMessage(page, detail, { timeout = UI_TIMEOUT } = {}) {
  return eventually(async () => (await page.getByRole('alert').allInnerTexts()).map((text) => text.trim()).join('; '),
    (shown) => shown === detail, { timeout, message: `the form to show the server's message "${detail}"` });
}

/** The digits of a formatted number ("1,234" -> 1234). */
export function numberIn(text) {
  const digits = String(text).replace(/[^0-9]/g, '');
  assert.ok(digits.length > 0, `no number in "${text}"`);
  return Number(digits);
}

/** Waits until nothing on the page says it is still loading (the kit's Loading has role=status and "Loading…"). */
export async function waitForLoaded(page, { timeout = UI_TIMEOUT } = {}) {
  await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout });
  await eventually(() => page.getByText(/^Loading/).count(), (count) => count === 0,
    { timeout, message: 'the page to finish loading' });
}

// --- screenshots and accessibility -------------------------------------------------------------------------------

/** Serious and critical axe violations of the page as it is now. */
export async function axeViolations(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** One readable line per failing node: rule id, impact, CSS target, help and where to read more. */
export function describeViolations(violations) {
  return violations.flatMap((violation) => violation.nodes.map((node) =>
    `  [${violation.impact}] ${violation.id} at ${node.target.join(' ')}: ${violation.help} (${violation.helpUrl})`)).join('\n');
}

/**
 * Screenshots the page (full length) at desktop and mobile size into ui/target/screenshots/<name>-<size>.png and
 * runs axe at each size. `ready(page)` waits for the page's data; it runs again after each resize. Resolves to the
 * problems found, as readable lines (empty when none), so one test can check every page and then report all.
 */
export async function screenshotAndAxe(page, name, ready = waitForLoaded) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const problems = [];
  for (const size of [DESKTOP, MOBILE]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await ready(page);
    // no hover effect (a chart's tooltip under the last click) in the picture
    await page.mouse.move(0, 0);
    // fonts and layout settle after a resize before the picture is taken
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))));
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size.name}.png`), fullPage: true });
    const violations = await axeViolations(page);
    if (violations.length > 0) problems.push(`${name} at ${size.name} (${size.width}x${size.height}):\n${describeViolations(violations)}`);
  }
  await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
  return problems;
}

// --- test data -----------------------------------------------------------------------------------------------------

/**
 * A small valid one-page PDF whose text is `lines` (Helvetica, ASCII), written by hand with a correct xref table so
 * that any parser (PDFBox under Tika) reads it without repair.
 */
export function makePdf(lines) {
  const escape = (text) => text.replace(/[\\()]/g, (character) => `\\${character}`);
  const shown = lines.map((line, index) => `${index === 0 ? '' : '0 -18 Td '}(${escape(line)}) Tj`).join('\n');
  const content = `BT\n/F1 12 Tf\n72 720 Td\n${shown}\nET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
