// Issue list, test 4: create a webhook on the webhooks page, post JSON to its URL, see the document it made complete
// in the documents list, and the webhook's last trigger no longer "never" after a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiCall, eventually, expectText, goTo, launchBrowser, reloadPage, loginThroughForm, signupTenant, waitForDocument, withPage,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a webhook created on the page ingests what is posted to its URL', { timeout: 180_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'webhooks' });
  const name = `Helpdesk tickets ${Date.now()}`;
  const title = `Printer jam on floor ${Date.now() % 1000}`;

  await loginThroughForm(page, tenant.email, tenant.password);
  await goTo(page, '/webhooks');
  await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create webhook', exact: true }).click();

  const url = await expectText(page.getByTestId('webhook-url'), /^https?:\/\/\S+\/api\/webhooks\/in\/\S+$/);

  // listed, never triggered so far
  await reloadPage(t, page, tenant);
  const row = page.getByRole('row').filter({ hasText: name });
  await row.first().waitFor();
  assert.match(await row.first().innerText(), /\bnever\b/i, 'a new webhook has never been triggered');

  // the URL alone is the credential: no key, no token
  const posted = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, content: 'The printer on floor 3 jams whenever someone prints on A3 paper.' }),
  });
  const body = await posted.json();
  assert.equal(posted.status, 202, `the webhook answered ${posted.status}: ${JSON.stringify(body)}`);
  assert.ok(body.document_id, 'the answer names the document it made');
  await waitForDocument(tenant.apiKey, body.document_id);

  await goTo(page, '/documents');
  const link = page.getByRole('table').getByRole('link', { name: title, exact: true });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), `/documents/${body.document_id}`);
  const documentRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
  await eventually(() => documentRow.innerText(), (text) => /\bcompleted\b/.test(text),
    { timeout: 30_000, message: 'the document row to say completed' });

  // the webhook's list entry no longer says "never"
  await eventually(async () => (await apiCall('/api/webhooks', { key: tenant.apiKey })).body.webhooks
    .find((webhook) => webhook.name === name)?.last_triggered_at, Boolean,
  { timeout: 10_000, message: 'GET /api/webhooks to show last_triggered_at' });
  await goTo(page, '/webhooks');
  await row.first().waitFor();
  await reloadPage(t, page, tenant);
  await row.first().waitFor();
  await eventually(() => row.first().innerText(), (text) => !/\bnever\b/i.test(text),
    { timeout: 5_000, message: 'the webhook row to show when it was last triggered' });
}));
