// Issue list, test 7: the tokens page shows the tenant's total tokens, the sum of embedding_tokens_used over its
// documents, and more than zero.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiOk, eventually, goTo, ingestText, launchBrowser, loginThroughForm, numberIn, reloadPage, signupTenant, waitForDocument, withPage,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the tokens page total equals the sum of embedding_tokens_used over the documents', { timeout: 180_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'tokens' });
  const ids = [];
  for (const [title, content] of [
    ['Tide tables', 'High water at Oban is at 06:12 and 18:40; spring tides reach 4.2 metres in March.'],
    ['Ferry notes', 'The ferry to Mull leaves every two hours in summer and carries bicycles free of charge.'],
  ]) {
    ids.push((await ingestText(tenant.apiKey, { title, content })).document_id);
  }
  for (const id of ids) await waitForDocument(tenant.apiKey, id);
  const listed = await apiOk('/api/documents?page=1&size=100', { key: tenant.apiKey });
  assert.equal(listed.documents.length, ids.length);
  const sum = listed.documents.reduce((total, document) => total + (document.embedding_tokens_used ?? 0), 0);
  assert.ok(sum > 0, `the documents used tokens (${sum})`);

  await loginThroughForm(page, tenant.email, tenant.password);
  await goTo(page, '/metrics/tokens');
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  const total = page.getByTestId('total-tokens');
  // usage is recorded from the pipeline's events: give the ledger a few seconds, reloading as a user would
  await eventually(async () => {
    await total.waitFor();
    const shown = numberIn(await total.textContent());
    if (shown !== sum) await reloadPage(t, page, tenant);
    return shown;
  }, (shown) => shown === sum, { timeout: 30_000, interval: 2_000, message: `total-tokens to show ${sum}` });
}));
