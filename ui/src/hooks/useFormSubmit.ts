import { useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api';
import { fieldErrors } from '@/lib/problem';

/**
 * One submit flow for every form: the busy state, and the server's problem+json detail split into messages per
 * field (shown next to the field) and the rest (shown above the form).
 */
export function useFormSubmit(action: (form: FormData) => Promise<void>) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFields({});
    setGeneral([]);
    setBusy(true);
    try {
      await action(form);
    } catch (error) {
      const parsed = fieldErrors(error instanceof ApiError ? error.problem.detail : 'Something went wrong; please try again.');
      setFields(parsed.fields);
      setGeneral(parsed.general);
    } finally {
      setBusy(false);
    }
  }

  function reset() {
    setFields({});
    setGeneral([]);
  }

  return { fields, general, busy, onSubmit, reset };
}
