import { PageHeader } from '@/components/ui';

export function SearchPage() {
  return <PageHeader title="Search" />;
}
