import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { customerPath, suspendBody, withStatus, type CustomerPage, type AdminCustomerUsage, type StatusResponse } from '@/lib/admin';
import { Button } from '@/components/ui';

export interface StatusNotice {
  tone: 'success' | 'error';
  message: string;
}

/**
 * Suspend (asks first, with an optional reason) or reinstate one customer. The lists and the customer's page show the
 * new status at once; then they are read again.
 */
export function CustomerStatusButton({ customer, onResult, size = 'sm' }: {
  customer: { customer_id: string; email: string; status: string };
  onResult: (notice: StatusNotice) => void;
  size?: 'sm' | 'md';
}) {
  const queryClient = useQueryClient();
  const suspended = customer.status === 'suspended';
  const change = useMutation({
    mutationFn: (body: { reason?: string } | undefined) => api<StatusResponse>(
      customerPath(customer.customer_id, suspended ? 'unsuspend' : 'suspend'), { method: 'POST', body }),
    onSuccess: async (answer) => {
      queryClient.setQueriesData<CustomerPage>({ queryKey: ['admin', 'customers'] },
        (page) => withStatus(page, answer.customer_id, answer.status));
      queryClient.setQueryData<AdminCustomerUsage>(['admin', 'customer-usage', answer.customer_id],
        (usage) => (usage ? { ...usage, customer: { ...usage.customer, status: answer.status } } : usage));
      onResult({
        tone: 'success',
        message: answer.status === 'suspended'
          ? `${customer.email} is suspended: every request of the account now gets 403.`
          : `${customer.email} is active again.`,
      });
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (error) => onResult({ tone: 'error', message: error instanceof Error ? error.message : 'The change failed.' }),
  });

  function onClick() {
    if (suspended) {
      if (window.confirm(`Reinstate ${customer.email}? Their keys and sessions work again at once.`)) change.mutate(undefined);
      return;
    }
    if (!window.confirm(`Suspend ${customer.email}? Every request of the account will be refused (403); its data is kept.`)) return;
    const reason = window.prompt(`Reason for suspending ${customer.email} (optional, recorded with the suspension)`, '');
    change.mutate(suspendBody(reason));
  }

  return (
    <Button variant={suspended ? 'secondary' : 'danger'} size={size} disabled={change.isPending} onClick={onClick}
            aria-label={`${suspended ? 'Unsuspend' : 'Suspend'} ${customer.email}`}>
      {change.isPending ? (suspended ? 'Unsuspending…' : 'Suspending…') : suspended ? 'Unsuspend' : 'Suspend'}
    </Button>
  );
}
