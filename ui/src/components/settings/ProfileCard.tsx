import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useAuth } from '@/components/AuthProvider';
import { Alert, Button, Card, Field, FormErrors } from '@/components/ui';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { api } from '@/lib/api';
import { messageFor } from '@/lib/problem';
import { PROFILE_KEY, profileChanges, type Profile } from '@/lib/settings';

export function ProfileCard({ profile }: { profile: Profile }) {
  const client = useQueryClient();
  const { reloadMe } = useAuth();
  const [result, setResult] = useState<'saved' | 'unchanged' | null>(null);
  const submit = useFormSubmit(async (form) => {
    setResult(null);
    const change = profileChanges(profile, String(form.get('email') ?? ''), String(form.get('company_name') ?? ''));
    if (Object.keys(change).length === 0) {
      setResult('unchanged');
      return;
    }
    const saved = await api<Profile>('/api/customers/profile', { method: 'PUT', body: change });
    client.setQueryData(PROFILE_KEY, { ...profile, ...saved });
    await client.invalidateQueries({ queryKey: PROFILE_KEY });
    await reloadMe();
    setResult('saved');
  });

  return (
    <Card title="Profile">
      <form className="space-y-4" onSubmit={submit.onSubmit} noValidate>
        <FormErrors messages={submit.general} />
        {result === 'saved' && <Alert tone="success">Profile saved.</Alert>}
        {result === 'unchanged' && <Alert tone="info">Nothing to save: the profile is as shown.</Alert>}
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="profile-email" name="email" type="email" label="Email" autoComplete="email" required maxLength={255}
                 defaultValue={profile.email} hint="You log in with it." error={messageFor(submit.fields, 'email')} />
          <Field id="profile-company" name="company_name" label="Company" autoComplete="organization" maxLength={255}
                 defaultValue={profile.company_name ?? ''} error={messageFor(submit.fields, 'company_name')} />
        </div>
        <Button type="submit" disabled={submit.busy}>{submit.busy ? 'Saving…' : 'Save profile'}</Button>
      </form>
    </Card>
  );
}
