import { PageHeader } from '@/components/ui';

export function DocumentPage() {
  return <PageHeader title="Document" />;
}
