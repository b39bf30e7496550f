import { describe, expect, it } from 'vitest';
import { ariaSort, customerPath, customersPath, DEFAULT_CUSTOMER_LIST, nextSort, suspendBody, withStatus, type CustomerPage } from './admin';

describe('customer list sorting', () => {
  it('starts with the newest sign-ups', () => {
    expect(customersPath(DEFAULT_CUSTOMER_LIST)).toBe('/api/admin/customers?page=1&limit=20&sort=created&order=desc');
    expect(customersPath({ page: 2, sort: 'cost', order: 'asc' })).toBe('/api/admin/customers?page=2&limit=20&sort=cost&order=asc');
  });

  it('flips the order of the sorted column and sorts a new column largest first, back on page 1', () => {
    const onPage3 = { page: 3, sort: 'cost' as const, order: 'desc' as const };
    expect(nextSort(onPage3, 'cost')).toEqual({ page: 1, sort: 'cost', order: 'asc' });
    expect(nextSort({ page: 1, sort: 'cost', order: 'asc' }, 'cost')).toEqual({ page: 1, sort: 'cost', order: 'desc' });
    expect(nextSort({ page: 2, sort: 'cost', order: 'asc' }, 'tokens')).toEqual({ page: 1, sort: 'tokens', order: 'desc' });
  });

  it('says how each header is sorted', () => {
    const state = { page: 1, sort: 'tokens' as const, order: 'asc' as const };
    expect(ariaSort(state, 'tokens')).toBe('ascending');
    expect(ariaSort({ ...state, order: 'desc' }, 'tokens')).toBe('descending');
    expect(ariaSort(state, 'cost')).toBe('none');
  });
});

describe('suspension', () => {
  const page: CustomerPage = {
    customers: [
      { customer_id: 'a', email: 'a@x.io', company_name: null, status: 'active', total_documents: 1, total_tokens: 2, total_cost: 0, created_at: '' },
      { customer_id: 'b', email: 'b@x.io', company_name: 'B', status: 'active', total_documents: 0, total_tokens: 0, total_cost: 0, created_at: '' },
    ],
    page: 1, limit: 20, total: 2, sort: 'cost', order: 'desc',
  };

  it('changes only that customer\u2019s status', () => {
    const changed = withStatus(page, 'b', 'suspended');
    expect(changed?.customers.map((row) => row.status)).toEqual(['active', 'suspended']);
    expect(page.customers[1].status).toBe('active');
    expect(withStatus(undefined, 'b', 'suspended')).toBeUndefined();
  });

  it('sends a trimmed reason, or none', () => {
    expect(suspendBody('  unpaid invoice ')).toEqual({ reason: 'unpaid invoice' });
    expect(suspendBody('   ')).toEqual({});
    expect(suspendBody(null)).toEqual({});
    expect(suspendBody('x'.repeat(600)).reason).toHaveLength(500);
  });

  it('escapes the id in the action path', () => {
    expect(customerPath('a/b', 'unsuspend')).toBe('/api/admin/customers/a%2Fb/unsuspend');
  });
});
