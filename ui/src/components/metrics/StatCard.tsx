import { Card } from '@/components/ui';

/** One headline figure: what it is, the value, and a line of context. */
export function StatCard({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 break-words text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</p>
      {hint && <p className="mt-1 text-xs text-slate-600">{hint}</p>}
    </Card>
  );
}
