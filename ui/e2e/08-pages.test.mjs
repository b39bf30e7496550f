// Issue list, test 10: every page of the dashboard, with data in it, at 1440x900 and 390x844: a screenshot each
// (ui/target/screenshots/<page>-desktop.png and -mobile.png) and no serious or critical axe-core violation.
// Runs last (the file name orders it), after the other flows have put tenants, documents and webhooks in.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  adminLogin, apiOk, closePage, findCustomerRow, eventually, expectText, goTo, ingestFile, ingestText, launchBrowser, loginThroughForm,
  SCREENSHOT_DIR, makePdf, newPage, numberIn, screenshotAndAxe, signupTenant, waitForDocument, waitForLoaded,
} from './support.mjs';

const SENTENCE = 'The harbour master of Tobermory logs every yacht that moors in the bay after sunset.';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A tenant with what every page shows: two completed documents, a triggered webhook, searches. */
async function tenantWithData() {
  const tenant = await signupTenant({ prefix: 'screens', companyName: 'Screenshots Ltd' });
  const pdf = await ingestFile(tenant.apiKey, {
    name: 'harbour.pdf', mimeType: 'application/pdf', buffer: makePdf(['Harbour log, summer season.', SENTENCE]), title: 'Harbour log',
  });
  const note = await ingestText(tenant.apiKey, {
    title: 'Mooring fees', content: '# Mooring fees\n\nA night on a visitor mooring costs 25 pounds; showers are included.',
  });
  const webhook = await apiOk('/api/webhooks', { key: tenant.apiKey, method: 'POST', body: { name: 'Harbour bookings' } }, [201]);
  const triggered = await apiOk(webhook.webhook_url, {
    method: 'POST', body: { title: 'Booking 118', content: 'Yacht Kittiwake books a mooring for three nights from 12 June.' },
  }, [202]);
  for (const id of [pdf.document_id, note.document_id, triggered.document_id]) await waitForDocument(tenant.apiKey, id);
  for (const query of ['yachts arriving late in the evening', 'mooring price']) {
    await apiOk('/search', { key: tenant.apiKey, method: 'POST', body: { query, top_k: 5 } });
  }
  return { ...tenant, pdfId: pdf.document_id, webhookName: webhook.name };
}

test('every page at desktop and mobile size: screenshots, and no serious or critical axe violation', { timeout: 300_000 }, async (t) => {
  const tenant = await tenantWithData();
  const problems = [];
  async function check(page, name, path, ready) {
    try {
      if (path) await goTo(page, path);
      problems.push(...await screenshotAndAxe(page, name, async (current) => {
        await waitForLoaded(current);
        if (ready) await ready(current);
      }));
    } catch (error) {
      const file = join(SCREENSHOT_DIR, 'failures', `${name}.png`);
      await mkdir(dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      problems.push(`${name}: the page did not show its data (${file}): ${error.message.split('\n')[0]}`);
    }
  }

  const visitor = await newPage(browser);
  try {
    await visitor.goto('/login');
    await check(visitor, 'login', null, (page) => page.getByRole('button', { name: 'Log in', exact: true }).waitFor());
    await visitor.goto('/signup');
    await check(visitor, 'signup', null, (page) => page.getByRole('button', { name: 'Sign up', exact: true }).waitFor());
  } finally {
    await closePage(visitor);
  }

  const page = await newPage(browser);
  try {
    await loginThroughForm(page, tenant.email, tenant.password);
    await check(page, 'overview', '/', async (current) => {
      await expectText(current.getByTestId('metric-documents'), '3');
      await current.getByText('Harbour log').first().waitFor();
    });
    await check(page, 'documents', '/documents',
      (current) => current.getByRole('table').getByRole('link', { name: 'Harbour log', exact: true }).waitFor());
    await check(page, 'document', `/documents/${tenant.pdfId}`, async (current) => {
      await expectText(current.getByTestId('document-status'), 'completed');
      await current.getByText(SENTENCE).first().waitFor();
    });
    await check(page, 'search', '/search', async (current) => {
      if (await current.getByTestId('search-result').count() === 0) {
        await current.getByLabel('Query', { exact: true }).fill('yachts arriving late in the evening');
        await current.getByRole('button', { name: 'Search', exact: true }).click();
      }
      await current.getByTestId('search-result').first().waitFor();
    });
    await check(page, 'webhooks', '/webhooks', (current) => current.getByText(tenant.webhookName).first().waitFor());
    await check(page, 'settings', '/settings', (current) => eventually(
      () => current.getByLabel('Chunk size', { exact: true }).inputValue(), (value) => /^\d+$/.test(value),
      { message: 'Chunk size to show the configuration' }));
    await check(page, 'metrics', '/metrics');
    await check(page, 'tokens', '/metrics/tokens', (current) => eventually(
      async () => numberIn(await current.getByTestId('total-tokens').textContent()), (tokens) => tokens > 0,
      { message: 'total-tokens above zero' }));
    await check(page, 'costs', '/metrics/costs');
    await check(page, 'audit', '/audit', (current) => current.getByTestId('audit-event')
      .filter({ hasText: 'DocumentSubmittedEvent' }).getByRole('link', { name: 'Harbour log', exact: true }).waitFor());
    await check(page, 'mcp', '/integrations/mcp');
  } finally {
    await closePage(page);
  }

  const admin = await newPage(browser);
  try {
    await adminLogin(admin);
    await check(admin, 'admin', '/admin',
      (current) => findCustomerRow(current, tenant.email));
    await check(admin, 'admin-customer', `/admin/customers/${tenant.customerId}`,
      (current) => current.getByText(tenant.email).first().waitFor());
  } finally {
    await closePage(admin);
  }

  assert.equal(problems.length, 0, `pages with problems:\n${problems.join('\n')}`);
});
