// Issue list, tests 8 and 9: the operator suspends and unsuspends a tenant from the customers table; a tenant sees
// no admin page and the admin API refuses its session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiCall, adminLogin, expectFormMessage, expectText, findCustomerRow, goTo, launchBrowser, loginThroughForm, mainNav, newPage, closePage, signupTenant, withPage,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the admin suspends a tenant from the customers table: its key and its session are refused; unsuspend restores them', { timeout: 180_000 }, (t) => withPage(t, browser, async (admin) => {
  const tenant = await signupTenant({ prefix: 'suspend' });
  const tenantPage = await newPage(browser);
  try {
    const session = await loginThroughForm(tenantPage, tenant.email, tenant.password);
    assert.equal((await apiCall('/api/auth/me', { token: session.token })).status, 200);

    await adminLogin(admin);
    assert.equal(await mainNav(admin).getByRole('link', { name: 'Admin', exact: true }).count(), 1, 'the admin has an Admin link');
    await mainNav(admin).getByRole('link', { name: 'Admin', exact: true }).click();
    await admin.waitForURL((url) => url.pathname === '/admin');
    const row = await findCustomerRow(admin, tenant.email);
    const status = row.getByTestId('customer-status');
    await expectText(status, 'active');

    const suspended = admin.waitForResponse((response) => response.url().endsWith(`/api/admin/customers/${tenant.customerId}/suspend`));
    await row.getByRole('button', { name: `Suspend ${tenant.email}`, exact: true }).click();
    assert.equal((await suspended).status(), 200);
    await expectText(status, 'suspended');

    // the next request with its key, and with its dashboard session, is refused
    assert.equal((await apiCall('/api/auth/me', { key: tenant.apiKey })).status, 403, 'the suspended key gets 403');
    assert.equal((await apiCall('/api/auth/me', { token: session.token })).status, 403, 'the suspended session gets 403');
    assert.equal((await apiCall('/api/documents', { key: tenant.apiKey })).status, 403);
    const refusedLogin = await apiCall('/api/auth/login', { method: 'POST', body: { email: tenant.email, password: tenant.password } });
    assert.equal(refusedLogin.status, 403);
    // and in the browser: a reload does not bring the dashboard back, a new login shows the server's reason
    await tenantPage.reload();
    await tenantPage.waitForURL((url) => url.pathname === '/login');
    await tenantPage.getByLabel('Email', { exact: true }).fill(tenant.email);
    await tenantPage.getByLabel('Password', { exact: true }).fill(tenant.password);
    await tenantPage.getByRole('button', { name: 'Log in', exact: true }).click();
    await expectFormMessage(tenantPage, refusedLogin.body.detail);

    const unsuspended = admin.waitForResponse((response) => response.url().endsWith(`/api/admin/customers/${tenant.customerId}/unsuspend`));
    await row.getByRole('button', { name: `Unsuspend ${tenant.email}`, exact: true }).click();
    assert.equal((await unsuspended).status(), 200);
    await expectText(status, 'active');
    assert.equal((await apiCall('/api/auth/me', { key: tenant.apiKey })).status, 200, 'the key works again');
    await loginThroughForm(tenantPage, tenant.email, tenant.password);
  } finally {
    await closePage(tenantPage);
  }
}));

test('a tenant gets no Admin link, /admin says it is for operators, the admin API answers 403', { timeout: 120_000 }, (t) => withPage(t, browser, async (page) => {
  const tenant = await signupTenant({ prefix: 'not-admin' });
  const session = await loginThroughForm(page, tenant.email, tenant.password);
  await mainNav(page).getByRole('link', { name: 'Settings', exact: true }).waitFor();
  assert.equal(await mainNav(page).getByRole('link', { name: 'Admin', exact: true }).count(), 0, 'no Admin link for a tenant');

  await goTo(page, '/admin');
  await page.getByText('This page is for operators').waitFor();
  assert.equal(await page.getByRole('table').count(), 0, 'no customers table');

  assert.equal((await apiCall('/api/admin/customers', { token: session.token })).status, 403);
  assert.equal((await apiCall('/api/admin/customers', { key: tenant.apiKey })).status, 403);
}));
