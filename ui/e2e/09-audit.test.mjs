// The Audit page (/audit): the tenant's whole event history from GET /api/audit/events. A document ingested with a
// chosen X-Correlation-Id shows up as its DocumentSubmittedEvent with the document's title linked to its page; the
// correlation id narrows the list to that request's events; the loaded events download as JSON.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiOk, eventually, goTo, launchBrowser, loginThroughForm, mainNav, signupTenant, waitForDocument, waitForLoaded,
  withPage } from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the audit page lists the tenant\'s events and filters one request', { timeout: 180_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'audit' });
  const correlationId = `audit-e2e-${randomUUID().slice(0, 8)}`;
  const title = `Lighthouse keeper's log ${randomUUID().slice(0, 6)}`;
  const submitted = await apiOk('/api/ingest/document', {
    key: tenant.apiKey, method: 'POST', headers: { 'X-Correlation-Id': correlationId },
    body: { title, content: '# Lighthouse\n\nThe lamp is lit at dusk and trimmed at midnight.', doc_type: 'md' },
  }, [202]);
  await waitForDocument(tenant.apiKey, submitted.document_id);

  await loginThroughForm(page, tenant.email, tenant.password);
  await mainNav(page).getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  await waitForLoaded(page);

  // the submission: its type, the document's title linking to the document's page, the request's correlation id
  const submittedRow = page.getByTestId('audit-event').filter({ hasText: 'DocumentSubmittedEvent' });
  await submittedRow.first().waitFor();
  assert.equal(await submittedRow.count(), 1, 'one DocumentSubmittedEvent for the one document');
  const link = submittedRow.getByRole('link', { name: title, exact: true });
  assert.equal(await link.getAttribute('href'), `/documents/${submitted.document_id}`);
  await submittedRow.getByRole('button', { name: correlationId, exact: true }).waitFor();
  await submittedRow.getByText(/^Tenant \(/).waitFor();

  // the account's own history is there too: the sign-up, by no one signed in
  const signupRow = page.getByTestId('audit-event').filter({ hasText: 'TenantRegisteredEvent' });
  await signupRow.getByText('Anonymous (sign-up)').waitFor();

  // choosing the correlation id shows every event of that request, and only those: submission through indexing
  await submittedRow.getByRole('button', { name: correlationId, exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('correlation') === correlationId);
  assert.equal(await page.getByLabel('Correlation id', { exact: true }).inputValue(), correlationId);
  const rows = page.getByTestId('audit-event');
  await page.getByTestId('audit-event').filter({ hasText: 'DocumentIndexedEvent' }).waitFor();
  await eventually(() => rows.filter({ hasText: 'TenantRegisteredEvent' }).count(), (count) => count === 0,
    { message: 'the sign-up to be filtered out' });
  const texts = await rows.allTextContents();
  assert.ok(texts.length >= 5, `submitted, parsed, chunked, embedded, indexed at least; got ${texts.length}`);
  for (const text of texts) assert.ok(text.includes(correlationId), `every row shown belongs to the request: ${text}`);

  // the event type filter narrows further; its options come from the loaded events
  await page.getByLabel('Event type', { exact: true }).selectOption('DocumentSubmittedEvent');
  await eventually(() => rows.count(), (count) => count === 1, { message: 'one submitted event of the request' });

  // the payload is there behind a disclosure
  await rows.first().locator('summary').click();
  await rows.first().getByText(`"documentId": "${submitted.document_id}"`, { exact: false }).waitFor();

  // the download holds the events shown, as the API sent them
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download JSON', exact: true }).click();
  const file = await (await download).path();
  const saved = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(saved.count, 1);
  assert.equal(saved.events[0].type, 'DocumentSubmittedEvent');
  assert.equal(saved.events[0].aggregate_id, submitted.document_id);
  assert.equal(saved.events[0].correlation_id, correlationId);
  await page.getByRole('status').filter({ hasText: /^Saved 1 event as audit-events-/ }).waitFor();

  // nothing matches: a designed empty state with a way back
  await page.getByLabel('Correlation id', { exact: true }).fill('no-such-request');
  await page.getByText('No loaded event matches these filters').waitFor();
  await page.getByRole('button', { name: 'Clear filters', exact: true }).last().click();
  await page.waitForURL((url) => url.pathname === '/audit' && url.search === '');
  await signupRow.waitFor();

  // a shared link keeps its filter
  await goTo(page, `/audit?correlation=${encodeURIComponent(correlationId)}&order=newest`);
  await page.getByTestId('audit-event').filter({ hasText: 'DocumentSubmittedEvent' }).waitFor();
  assert.equal(await page.getByLabel('Order', { exact: true }).inputValue(), 'newest');
  const first = await rows.first().textContent();
  assert.ok(!first.includes('DocumentSubmittedEvent'), 'newest first: the submission is not the first row');
}));
