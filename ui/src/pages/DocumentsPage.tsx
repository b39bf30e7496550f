import { PageHeader } from '@/components/ui';

export function DocumentsPage() {
  return <PageHeader title="Documents" />;
}
