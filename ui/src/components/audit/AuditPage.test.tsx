import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '@/lib/api';
import type { AuditEventPage, TenantAuditEvent } from '@/lib/audit';
import { AuditPage } from '@/pages/AuditPage';

vi.mock('@/lib/api', async (original) => ({ ...(await original<typeof import('@/lib/api')>()), api: vi.fn() }));
const mockedApi = vi.mocked(api);

function event(index: number, overrides: Partial<TenantAuditEvent> = {}): TenantAuditEvent {
  return {
    global_index: index, event_id: `e-${index}`, type: 'DocumentParsedEvent', payload_type: 'x', revision: null,
    aggregate_type: 'Document', aggregate_id: 'doc-1', sequence_number: index, version: 1,
    occurred_at: '2026-11-25T14:40:01.123Z', actor: 'system', correlation_id: 'req-1', payload: {}, ...overrides,
  };
}

const FIRST: AuditEventPage = {
  events: [
    event(1, { type: 'TenantRegisteredEvent', aggregate_type: 'Tenant', aggregate_id: 't-1', version: null, actor: 'anonymous', correlation_id: 'signup-1' }),
    event(2, { type: 'DocumentSubmittedEvent', actor: 'tenant:t-1', payload: { documentId: 'doc-1', title: 'Travel diary' } }),
  ],
  count: 2, has_more: true, next_cursor: 2, resume_after: 2,
};
const SECOND: AuditEventPage = { events: [event(3)], count: 1, has_more: false, next_cursor: null, resume_after: 3 };

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname + location.search}</p>;
}

function renderPage(path = '/audit') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes><Route path="/audit" element={<><AuditPage /><Where /></>} /></Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => mockedApi.mockReset());

describe('AuditPage', () => {
  it('pages forward with next_cursor until has_more is false', async () => {
    mockedApi.mockImplementation(async (path: string) => (path.includes('after=0') ? FIRST : SECOND) as never);
    renderPage();
    const table = await screen.findByRole('table', { name: 'Audit events' });
    expect(within(table).getAllByTestId('audit-event')).toHaveLength(2);
    expect(within(table).getByRole('link', { name: 'Travel diary' })).toHaveAttribute('href', '/documents/doc-1');
    expect(within(table).getByText('Anonymous (sign-up)')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(table).getAllByTestId('audit-event')).toHaveLength(3));
    expect(mockedApi.mock.calls.map((call) => call[0])).toEqual([
      '/api/audit/events?after=0&limit=100', '/api/audit/events?after=2&limit=100',
    ]);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(screen.getByText(/This is the whole history/)).toBeInTheDocument();
  });

  it('narrows the list to one request when a correlation id is chosen, and back', async () => {
    mockedApi.mockResolvedValue(FIRST as never);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'signup-1' }));
    await waitFor(() => expect(screen.getAllByTestId('audit-event')).toHaveLength(1));
    expect(screen.getByTestId('where')).toHaveTextContent('/audit?correlation=signup-1');
    expect(screen.getByLabelText('Correlation id')).toHaveValue('signup-1');

    fireEvent.change(screen.getByLabelText('Correlation id'), { target: { value: 'nothing' } });
    expect(await screen.findByText('No loaded event matches these filters')).toBeInTheDocument();
    fireEvent.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]);
    await waitFor(() => expect(screen.getAllByTestId('audit-event')).toHaveLength(2));
    expect(screen.getByTestId('where')).toHaveTextContent(/^\/audit$/);
  });

  it('filters by event type and orders newest first from the query string', async () => {
    mockedApi.mockResolvedValue(FIRST as never);
    renderPage('/audit?order=newest');
    const rows = await screen.findAllByTestId('audit-event');
    expect(rows[0]).toHaveTextContent('DocumentSubmittedEvent');
    fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'TenantRegisteredEvent' } });
    await waitFor(() => expect(screen.getAllByTestId('audit-event')).toHaveLength(1));
    expect(screen.getByTestId('where')).toHaveTextContent('type=TenantRegisteredEvent');
  });

  it('shows the error with a retry, and a designed empty history', async () => {
    mockedApi.mockRejectedValueOnce(new ApiError({ status: 500, detail: 'The event store is unavailable' }));
    mockedApi.mockResolvedValueOnce({ events: [], count: 0, has_more: false, next_cursor: null, resume_after: 0 } as never);
    renderPage();
    expect(await screen.findByText('The event store is unavailable')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No events yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download JSON' })).toBeDisabled();
  });
});
