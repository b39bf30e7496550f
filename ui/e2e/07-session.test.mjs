// Issue list, test 11: a reload keeps the session (the HttpOnly refresh cookie drag_refresh, POST /api/auth/refresh
// with X-Refresh-Cookie: 1), and the access token is not kept where scripts could read it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { goTo, launchBrowser, loginThroughForm, signupTenant, withPage } from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a reload keeps the session through the refresh cookie', { timeout: 120_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'session' });
  const login = await loginThroughForm(page, tenant.email, tenant.password);

  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'drag_refresh');
  assert.ok(cookie, 'the login answer sets the drag_refresh cookie');
  assert.equal(cookie.httpOnly, true, 'the refresh cookie is HttpOnly');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(login.token), 'the access token is not in web storage');

  await goTo(page, '/documents');
  await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
  const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/auth/refresh'));
  await page.reload();
  const refresh = await refreshed;
  assert.equal(refresh.status(), 200, `POST /api/auth/refresh after the reload answered ${refresh.status()}`);
  assert.equal(refresh.request().headers()['x-refresh-cookie'], '1');
  await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/documents', 'still on the same page, not sent to /login');

  // and a second reload works too (the refresh token rotates; the new cookie replaced the old one)
  await page.reload();
  await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/documents');
}));
