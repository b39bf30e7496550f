/** Operators' answers (GET /api/admin/*, snake_case as on the wire) and the customer list's sorting and paging. */
import type { DocumentStats, MetricTotal } from './metrics';

export type CustomerStatus = 'active' | 'suspended' | string;

export interface CustomerSummary {
  customer_id: string;
  email: string;
  company_name: string | null;
  status: CustomerStatus;
  total_documents: number;
  total_tokens: number;
  total_cost: number;
  created_at: string;
}

export type CustomerSort = 'cost' | 'tokens' | 'documents' | 'created';
export type SortOrder = 'asc' | 'desc';

/** GET /api/admin/customers */
export interface CustomerPage {
  customers: CustomerSummary[];
  page: number;
  limit: number;
  total: number;
  sort: CustomerSort;
  order: SortOrder;
}

export interface SystemStats {
  total_customers: number;
  total_documents: number;
  total_tokens: number;
  total_cost: number;
  avg_tokens_per_doc: number | null;
  avg_processing_time: number | null;
}

export interface TopDocument {
  customer_id: string;
  email: string;
  document_id: string;
  title: string;
  embedding_tokens_used: number;
  embedding_cost_usd: number;
  created_at: string;
}

/** GET /api/admin/metrics/global */
export interface GlobalMetrics {
  system_stats: SystemStats;
  usage_this_month: MetricTotal[];
  top_customers: CustomerSummary[];
  top_users: TopDocument[];
}

/** GET /api/admin/customers/{id}/usage */
export interface AdminCustomerUsage {
  customer: { customer_id: string; email: string; company_name: string | null; status: CustomerStatus; created_at: string };
  usage: {
    customer_id: string;
    from: string;
    to: string;
    metrics: MetricTotal[];
    total_cost: number;
    documents: DocumentStats;
  };
}

/** POST /api/admin/customers/{id}/suspend | unsuspend */
export interface StatusResponse {
  customer_id: string;
  status: CustomerStatus;
}

export const CUSTOMERS_PAGE_SIZE = 20;

export interface CustomerListState {
  page: number;
  sort: CustomerSort;
  order: SortOrder;
}

/** Newest sign-ups first: the accounts an operator most often looks for (the API's own default is cost). */
export const DEFAULT_CUSTOMER_LIST: CustomerListState = { page: 1, sort: 'created', order: 'desc' };

export function customersPath({ page, sort, order }: CustomerListState, limit = CUSTOMERS_PAGE_SIZE): string {
  const query = new URLSearchParams({ page: String(page), limit: String(limit), sort, order });
  return `/api/admin/customers?${query.toString()}`;
}

/**
 * A click on a column header: the sorted column flips its order; another column sorts by it, largest (or newest)
 * first. The list goes back to its first page either way.
 */
export function nextSort(state: CustomerListState, column: CustomerSort): CustomerListState {
  if (state.sort === column) return { page: 1, sort: column, order: state.order === 'desc' ? 'asc' : 'desc' };
  return { page: 1, sort: column, order: 'desc' };
}

export function ariaSort(state: CustomerListState, column: CustomerSort): 'ascending' | 'descending' | 'none' {
  if (state.sort !== column) return 'none';
  return state.order === 'asc' ? 'ascending' : 'descending';
}

/** The list with one customer's status replaced (after a suspension or reinstatement). */
export function withStatus(page: CustomerPage | undefined, customerId: string, status: CustomerStatus): CustomerPage | undefined {
  if (!page) return page;
  return { ...page, customers: page.customers.map((row) => (row.customer_id === customerId ? { ...row, status } : row)) };
}

export function customerPath(customerId: string, action: 'suspend' | 'unsuspend'): string {
  return `/api/admin/customers/${encodeURIComponent(customerId)}/${action}`;
}

/**
 * The suspend request body: the operator's reason, trimmed; none when it is blank or the prompt was closed. The
 * server accepts up to 500 characters.
 */
export function suspendBody(reason: string | null | undefined): { reason?: string } {
  const trimmed = reason?.trim();
  return trimmed ? { reason: trimmed.slice(0, 500) } : {};
}
