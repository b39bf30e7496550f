import { PageHeader } from '@/components/ui';

export function MetricsPage() {
  return <PageHeader title="Metrics" />;
}
