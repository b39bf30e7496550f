import { PageHeader } from '@/components/ui';

export function CostsPage() {
  return <PageHeader title="Costs" />;
}
