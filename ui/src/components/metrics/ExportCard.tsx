import { useRef, useState } from 'react';
import { api, ApiError } from '@/lib/api';
import { defaultExportRange, exportFileName, exportPath, parameterDetail } from '@/lib/metrics';
import { messageFor } from '@/lib/problem';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { Alert, Button, Card, Field, FormErrors } from '@/components/ui';
import { saveTextFile } from '@/lib/download';

type Format = 'csv' | 'json';

/** The usage rows of a date range as a CSV or JSON download. */
export function ExportCard() {
  const defaults = useRef(defaultExportRange());
  const format = useRef<Format>('csv');
  const [saved, setSaved] = useState<string | null>(null);
  const { fields, general, busy, onSubmit } = useFormSubmit(async (form) => {
    setSaved(null);
    const kind = format.current;
    const from = String(form.get('from') ?? '');
    const to = String(form.get('to') ?? '');
    let text: string;
    try {
      text = await api<string>(exportPath(kind, from, to), {
        text: true,
        headers: { Accept: kind === 'csv' ? 'text/csv, application/problem+json' : 'application/json, application/problem+json' },
      });
    } catch (error) {
      if (error instanceof ApiError) throw new ApiError({ ...error.problem, detail: parameterDetail(error.problem) });
      throw error;
    }
    const name = exportFileName(kind, from, to);
    // Excel needs the byte-order mark the server sent; decoding the response dropped it.
    saveTextFile(kind === 'csv' ? `\uFEFF${text}` : text, name, kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/json');
    setSaved(name);
  });

  return (
    <Card title="Export usage">
      <form className="space-y-4" onSubmit={onSubmit} noValidate>
        <p className="text-sm text-slate-600">
          Every metered usage row of the range (API calls, searches, tokens, storage, processed documents) with its
          cost. Both dates are UTC days and both are included.
        </p>
        <FormErrors messages={general} />
        {saved && <Alert tone="success">Downloaded {saved}.</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="export-from" name="from" type="date" label="From" defaultValue={defaults.current.from}
                 error={messageFor(fields, 'from')} />
          <Field id="export-to" name="to" type="date" label="To" defaultValue={defaults.current.to}
                 error={messageFor(fields, 'to')} />
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy} onClick={() => { format.current = 'csv'; }}>Export CSV</Button>
          <Button type="submit" variant="secondary" disabled={busy} onClick={() => { format.current = 'json'; }}>Export JSON</Button>
          {busy && <span role="status" className="self-center text-sm text-slate-600">Preparing the file…</span>}
        </div>
      </form>
    </Card>
  );
}
