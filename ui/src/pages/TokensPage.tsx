import { PageHeader } from '@/components/ui';

export function TokensPage() {
  return <PageHeader title="Tokens" />;
}
