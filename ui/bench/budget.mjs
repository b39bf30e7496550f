// The dashboard's budget, measured (a benchmark, not a test): prints figures and exits 1 when a budget is missed.
//  - first load of / : JavaScript a logged-in user's browser downloads until the overview is interactive, gzipped
//    (budget 300 KB);
//  - overview interactive: navigation to / until the metric cards show the tenant's figures, with BENCH_DOCUMENTS
//    (1,000) completed documents in the tenant, over loopback (budget 1 s at the median).
// Usage: APP_BASE_URL=http://127.0.0.1:8080 node ui/bench/budget.mjs   (scripts/bench-ui.sh starts a service)
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const BASE = (process.env.APP_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const JS_BUDGET_BYTES = 300 * 1024;
const INTERACTIVE_BUDGET_MS = 1000;
const BATCH = 100;

async function call(path, { key, token, method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (key) headers['X-API-Key'] = key;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function sentence(i) {
  const topics = ['invoice', 'contract', 'turbine', 'wing flutter', 'heat transfer', 'boundary layer', 'supersonic flow'];
  return `Document ${i} about ${topics[i % topics.length]}. It records measurement ${i * 7} taken on day ${i % 31}.`;
}

/** A tenant with DOCUMENTS completed documents: the overview's figures then cover a realistic account. */
async function seedTenant() {
  const email = `bench-ui-${Date.now()}@example.com`;
  const password = 'bench-password-123';
  const signup = await call('/api/auth/signup', { method: 'POST', body: { email, password, company_name: 'UI budget' } });
  const key = signup.api_key;
  await call('/api/customers/config', { key, method: 'PUT', body: { rate_limit_requests_per_minute: 100000, rate_limit_requests_per_day: 100000000 } });
  const started = Date.now();
  for (let first = 0; first < DOCUMENTS; first += BATCH) {
    const items = [];
    for (let i = first; i < Math.min(DOCUMENTS, first + BATCH); i += 1) {
      items.push({ title: `Bench document ${i}`, content: sentence(i), doc_type: 'txt', external_id: `bench-${i}` });
    }
    const answer = await call('/api/ingest/batch', { key, method: 'POST', body: items });
    if (answer.rejected) throw new Error(`the batch at ${first} rejected ${answer.rejected} items: ${JSON.stringify(answer.results)}`);
  }
  for (;;) {
    const overview = await call('/api/metrics/overview', { key });
    const { completed, failed, processing } = overview.documents;
    if (failed > 0) throw new Error(`${failed} documents failed`);
    if (completed >= DOCUMENTS) break;
    if (Date.now() - started > 30 * 60_000) throw new Error(`only ${completed} of ${DOCUMENTS} completed after 30 minutes (${processing} processing)`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  console.log(`seeded ${DOCUMENTS} completed documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { email, password };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const { email, password } = await seedTenant();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    const expected = new Intl.NumberFormat('en-US').format(DOCUMENTS);
    const times = [];
    let scripts = new Map();
    for (let run = 0; run < RUNS; run += 1) {
      // every run is a first load: nothing cached; the session comes back through the refresh cookie
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.detach();
      const loaded = new Map();
      const onResponse = async (response) => {
        if (response.request().resourceType() !== 'script') return;
        try {
          loaded.set(response.url(), await response.body());
        } catch {
          // a script cancelled by the navigation of the next run
        }
      };
      page.on('response', onResponse);
      const started = performance.now();
      await page.goto(`${BASE}/`);
      await page.waitForFunction(
        ([testId, text]) => document.querySelector(`[data-testid="${testId}"]`)?.textContent === text,
        ['metric-documents', expected],
        { timeout: 30_000 },
      );
      times.push(performance.now() - started);
      await page.waitForLoadState('networkidle');
      page.off('response', onResponse);
      if (run === 0) scripts = loaded;
    }

    let raw = 0;
    let gzipped = 0;
    console.log('\nJavaScript of the first load of / (logged in, until the overview is interactive):');
    for (const [url, body] of scripts) {
      const size = gzipSync(body, { level: 9 }).length;
      raw += body.length;
      gzipped += size;
      console.log(`  ${new URL(url).pathname.padEnd(48)} ${(body.length / 1024).toFixed(1).padStart(7)} KB raw ${(size / 1024).toFixed(1).padStart(7)} KB gzip`);
    }
    console.log(`  total: ${scripts.size} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${JS_BUDGET_BYTES / 1024} KB)`);

    const sorted = [...times].sort((a, b) => a - b);
    console.log(`\nOverview interactive with ${DOCUMENTS} documents, ${RUNS} cold loads (navigation -> figures shown):`);
    console.log(`  p50 ${percentile(sorted, 50).toFixed(0)} ms, p90 ${percentile(sorted, 90).toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms (budget ${INTERACTIVE_BUDGET_MS} ms at p50)`);

    const missed = [];
    if (gzipped > JS_BUDGET_BYTES) missed.push('JavaScript size');
    if (percentile(sorted, 50) > INTERACTIVE_BUDGET_MS) missed.push('overview interactive time');
    console.log(missed.length ? `\nBUDGET MISSED: ${missed.join(', ')}` : '\nwithin budget');
    process.exitCode = missed.length ? 1 : 0;
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
