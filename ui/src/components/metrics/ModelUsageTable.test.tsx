import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ModelUsageTable } from './ModelUsageTable';

const models = [
  { model: 'text-embedding-3-small', tokens: 12000, runs: 3, cost: 0.00024 },
  { model: 'unknown', tokens: 50, runs: 1, cost: 0 },
];

describe('ModelUsageTable', () => {
  it('lists tokens, runs and cost per model without prices by default', () => {
    render(<ModelUsageTable label="Tokens per model" models={models} />);
    const table = screen.getByRole('table', { name: 'Tokens per model' });
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Model', 'Tokens', 'Runs', 'Cost']);
    expect(within(table).getAllByRole('row')[1].textContent).toContain('$0.000240');
  });

  it('adds the list price per 1M tokens, a dash for a model without one', () => {
    render(<ModelUsageTable label="Cost per model" models={models} withPrice />);
    const table = screen.getByRole('table', { name: 'Cost per model' });
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent))
      .toEqual(['Model', 'Tokens', 'Runs', 'Price per 1M', 'Cost']);
    const [, known, unknown] = within(table).getAllByRole('row');
    expect(within(known).getAllByRole('cell')[3].textContent).toBe('$0.02');
    expect(within(unknown).getAllByRole('cell')[3].textContent).toBe('–');
  });
});
