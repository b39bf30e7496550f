import { PageHeader } from '@/components/ui';

export function AdminCustomerPage() {
  return <PageHeader title="Customer" />;
}
