import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api';
import { exportPath, MAX_TOKEN_ROWS, type TokenMetrics, type UsageExport } from '@/lib/metrics';

/** The tokens per document, as many as the server lists. One query key, so the Costs and Tokens pages share the answer. */
export function useTokenMetrics() {
  return useQuery({
    queryKey: ['metrics', 'tokens', MAX_TOKEN_ROWS],
    queryFn: () => api<TokenMetrics>(`/api/metrics/tokens?limit=${MAX_TOKEN_ROWS}`),
  });
}

/** The metered usage rows since `from` (the JSON export): the only answer that names the embedding model of each run. */
export function useUsageExport(from: string, enabled = true) {
  return useQuery({
    queryKey: ['metrics', 'export', 'json', from],
    queryFn: () => api<UsageExport>(exportPath('json', from, '')),
    enabled,
  });
}
