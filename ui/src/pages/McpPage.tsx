import { PageHeader } from '@/components/ui';

export function McpPage() {
  return <PageHeader title="MCP" />;
}
