// Issue list, tests 2 and 3: upload a PDF on the documents page and watch it complete on its own page; then the
// search page finds its sentence by a paraphrase (hybrid) and by a keyword.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  PROCESSING_TIMEOUT, apiOk, eventually, expectText, goTo, ingestFile, launchBrowser, loginThroughForm, makePdf, signupTenant,
  sleep, waitForDocument, withPage,
} from './support.mjs';

const SENTENCE = 'The lighthouse keeper on Skerryvore counted forty-two puffins nesting below the lamp every morning.';
const PDF = makePdf(['Field notes from the Hebrides, spring survey.', SENTENCE]);
const TITLE = 'Skerryvore field notes';

let browser;
let tenant;
/** The uploaded document's id, once test 2 got that far (test 3 ingests its own copy otherwise). */
let uploadedId;

before(async () => {
  browser = await launchBrowser();
  tenant = await signupTenant({ prefix: 'documents' });
});
after(async () => { await browser?.close(); });

test('a PDF uploaded on the documents page shows its progress, then completes live on its own page with its chunks', { timeout: 180_000 }, (t) => withPage(t, browser, async (page) => {
  await loginThroughForm(page, tenant.email, tenant.password);
  await goTo(page, '/documents');
  await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();

  // hold the upload's answer back a moment so that the progress bar can be seen while the request is under way
  await page.route('**/api/ingest/file', async (route) => {
    await sleep(1500);
    await route.continue();
  });
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'skerryvore.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByLabel('Title', { exact: true }).fill(TITLE);
  const uploaded = page.waitForResponse((response) => response.url().endsWith('/api/ingest/file'), { timeout: 60_000 });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Upload progress' });
  await progress.waitFor();
  const percent = Number(await progress.getAttribute('aria-valuenow'));
  assert.ok(percent >= 0 && percent <= 100, `aria-valuenow ${percent}`);
  const response = await uploaded;
  assert.equal(response.status(), 202, `upload answered ${response.status()}: ${await response.text()}`);
  const accepted = await response.json();
  uploadedId = accepted.document_id;

  // the list links the document by its title to its page (so does every other link named by its title)
  const link = page.getByRole('table').getByRole('link', { name: TITLE, exact: true });
  await link.waitFor();
  for (const each of await page.getByRole('link', { name: TITLE, exact: true }).all()) {
    assert.equal(await each.getAttribute('href'), `/documents/${uploadedId}`);
  }

  let navigations = 0;
  await link.click();
  await page.waitForURL((url) => url.pathname === `/documents/${uploadedId}`);
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  const status = page.getByTestId('document-status');
  const seen = new Set([await expectText(status, /^(processing|completed)$/)]);
  await eventually(async () => ((await status.textContent()) ?? '').trim(), (text) => {
    seen.add(text);
    assert.notEqual(text, 'failed', 'the document failed');
    return text === 'completed';
  }, { timeout: PROCESSING_TIMEOUT, interval: 100, message: 'document-status to become completed without a reload' });
  assert.equal(navigations, 0, 'the status changed with no reload or navigation');
  t.diagnostic(`statuses seen on the page: ${[...seen].join(' -> ')}`);

  // the server agrees, and the chunks list shows the PDF's sentence
  assert.equal((await apiOk(`/api/documents/${uploadedId}/status`, { key: tenant.apiKey })).status, 'completed');
  await page.getByText(SENTENCE).first().waitFor();
}));

test('the search page finds the PDF by a paraphrase (hybrid) and by a keyword', { timeout: 180_000 }, (t) => withPage(t, browser, async (page) => {
  let documentId = uploadedId;
  if (!documentId) {
    t.diagnostic('the upload test did not get the PDF in: ingesting it through the API');
    documentId = (await ingestFile(tenant.apiKey, { name: 'skerryvore.pdf', mimeType: 'application/pdf', buffer: PDF, title: TITLE })).document_id;
  }
  await waitForDocument(tenant.apiKey, documentId);

  await loginThroughForm(page, tenant.email, tenant.password);
  await goTo(page, '/search');
  await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();

  async function search(query, mode) {
    await page.getByLabel('Query', { exact: true }).fill(query);
    await page.getByLabel('Mode', { exact: true }).selectOption(mode);
    const results = page.getByLabel('Results', { exact: true });
    if (await results.evaluate((element) => element.tagName === 'SELECT')) await results.selectOption('5');
    else await results.fill('5');
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/search'
      && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const response = await answered;
    assert.equal(response.status(), 200, `search answered ${response.status()}: ${await response.text()}`);
    const sent = response.request().postDataJSON();
    assert.equal(sent.query, query);
    assert.equal(sent.mode, mode);
    assert.equal(sent.top_k, 5);
    const hits = page.getByTestId('search-result');
    await hits.first().waitFor();
    const texts = await hits.allTextContents();
    assert.ok(texts.some((text) => text.includes('forty-two puffins')),
      `a result shows the PDF's sentence for "${query}" (${mode}); results: ${JSON.stringify(texts)}`);
  }

  await search('how many seabirds did the man tending the light see each day', 'hybrid');
  await search('Skerryvore', 'keyword');
}));
