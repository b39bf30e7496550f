// Issue list, test 1: sign up through the form, the key shown once, log out and in again, a wrong password.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, expectFormMessage, expectText, launchBrowser, loginThroughForm, mainNav, openSignedOut, uniqueEmail, withPage } from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('sign-up through the form shows the key once, then the overview with zero documents; log out, log in, wrong password', { timeout: 120_000 }, (t) => withPage(t, browser, async (page) => {
  const email = uniqueEmail('signup');
  const password = 'e2e-password-123';

  await openSignedOut(page, '/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password (8 to 72 characters)', { exact: true }).fill(password);
  await page.getByLabel('Company (optional)', { exact: true }).fill('Form Signup GmbH');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();

  const key = page.getByTestId('api-key');
  const apiKey = await expectText(key, /^drag_\S+$/);
  // the key shown is a working key of this account
  const me = await apiCall('/api/auth/me', { key: apiKey });
  assert.equal(me.status, 200);
  assert.equal(me.body.email, email);

  await page.getByRole('button', { name: 'Continue to the dashboard', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await expectText(page.getByTestId('metric-documents'), '0');
  // shown once: nowhere on the dashboard any more
  assert.equal(await page.getByTestId('api-key').count(), 0);
  assert.equal(await page.getByText(apiKey).count(), 0, 'the API key must not be shown again');
  for (const name of ['Overview', 'Documents', 'Search', 'Webhooks', 'Metrics', 'Tokens', 'Costs', 'MCP', 'Settings']) {
    assert.equal(await mainNav(page).getByRole('link', { name, exact: true }).count(), 1, `navigation link ${name}`);
  }

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/login');

  await loginThroughForm(page, email, password);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/login');

  // a wrong password: the form shows the server's own message
  const refused = await apiCall('/api/auth/login', { method: 'POST', body: { email, password: 'not-the-password' } });
  assert.equal(refused.status, 401);
  assert.ok(refused.body.detail, 'the server explains the refusal');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expectFormMessage(page, refused.body.detail);
  assert.equal(new URL(page.url()).pathname, '/login');
}));
