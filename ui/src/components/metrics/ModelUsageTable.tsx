import { formatNumber, formatUsd } from '@/lib/format';
import { PRICING, type ModelUsage } from '@/lib/metrics';
import { Table } from '@/components/ui';

function listPrice(model: string): number | undefined {
  return PRICING.find((entry) => entry.model === model)?.usd_per_million;
}

/**
 * Embedding tokens, runs and cost per model. The Costs page shows each model's list price too, so a cost can be
 * checked against it; the Tokens page, about volume, leaves it out.
 */
export function ModelUsageTable({ label, models, withPrice = false }: { label: string; models: ModelUsage[]; withPrice?: boolean }) {
  return (
    <Table label={label}>
      <thead className="text-slate-600">
        <tr>
          <th scope="col" className="py-2 pr-3">Model</th>
          <th scope="col" className="pr-3 text-right">Tokens</th>
          <th scope="col" className="pr-3 text-right">Runs</th>
          {withPrice && <th scope="col" className="pr-3 text-right">Price per 1M</th>}
          <th scope="col" className="text-right">Cost</th>
        </tr>
      </thead>
      <tbody>
        {models.map((model) => (
          <tr key={model.model} className="border-t border-slate-100">
            <td className="py-2 pr-3 font-mono text-xs">{model.model}</td>
            <td className="pr-3 text-right tabular-nums">{formatNumber(model.tokens)}</td>
            <td className="pr-3 text-right tabular-nums">{formatNumber(model.runs)}</td>
            {withPrice && <td className="pr-3 text-right tabular-nums">{formatUsd(listPrice(model.model), 2)}</td>}
            <td className="text-right tabular-nums">{formatUsd(model.cost, 6)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
