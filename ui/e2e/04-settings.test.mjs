// Issue list, tests 5 and 6: the chunk size saved on the settings page survives a reload and is what the API says;
// rotating the key there retires the old key at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiCall, apiOk, eventually, expectText, goTo, launchBrowser, reloadPage, loginThroughForm, signupTenant, withPage } from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the chunk size saved on the settings page is kept and is what GET /api/customers/config says', { timeout: 120_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'settings' });
  const before = (await apiOk('/api/customers/config', { key: tenant.apiKey })).chunking_size;
  const wanted = before === 750 ? 850 : 750;

  await loginThroughForm(page, tenant.email, tenant.password);
  await goTo(page, '/settings');
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const chunkSize = page.getByLabel('Chunk size', { exact: true });
  // the form shows the configuration in force before it is changed
  await eventually(() => chunkSize.inputValue(), (value) => value === String(before),
    { message: `Chunk size to show the current ${before}` });
  await chunkSize.fill(String(wanted));
  const saved = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/customers/config'
    && response.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Save configuration', exact: true }).click();
  const response = await saved;
  assert.equal(response.status(), 200, `PUT /api/customers/config answered ${response.status()}: ${await response.text()}`);
  await page.getByText('Configuration saved').first().waitFor();

  await reloadPage(t, page, tenant);
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await eventually(() => page.getByLabel('Chunk size', { exact: true }).inputValue(), (value) => value === String(wanted),
    { message: `Chunk size to show ${wanted} after the reload` });
  assert.equal((await apiOk('/api/customers/config', { key: tenant.apiKey })).chunking_size, wanted);
}));

test('rotating the API key on the settings page retires the old key at once', { timeout: 120_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'rotate' });
  await loginThroughForm(page, tenant.email, tenant.password);
  await goTo(page, '/settings');
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

  const rotated = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/customers/api-key');
  await page.getByRole('button', { name: 'Rotate API key', exact: true }).click();
  const response = await rotated;
  assert.equal(response.status(), 200, `POST /api/customers/api-key answered ${response.status()}`);
  assert.ok(page.dialogs.some((dialog) => dialog.type === 'confirm'), 'the page asks before rotating the key');

  const newKey = await expectText(page.getByTestId('api-key'), /^drag_\S+$/);
  assert.notEqual(newKey, tenant.apiKey);
  assert.equal((await apiCall('/api/auth/me', { key: tenant.apiKey })).status, 401, 'the old key is refused');
  const me = await apiCall('/api/auth/me', { key: newKey });
  assert.equal(me.status, 200, 'the new key works');
  assert.equal(me.body.email, tenant.email);
}));
