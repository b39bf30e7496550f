import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { useAuth } from '@/components/AuthProvider';
import { Alert, Button, Card, Field } from '@/components/ui';
import { useFormSubmit } from '@/hooks/useFormSubmit';
import { messageFor } from '@/lib/problem';

function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <p className="text-sm font-semibold text-brand-700">Dynamic RAG</p>
          <h1 className="mt-1 text-2xl font-bold">{title}</h1>
        </div>
        <Card>{children}</Card>
      </div>
    </main>
  );
}

export function LoginPage() {
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const { fields, general, busy, onSubmit } = useFormSubmit(async (form) => {
    await login(String(form.get('email')), String(form.get('password')));
    navigate('/', { replace: true });
  });
  if (me) return <Navigate to="/" replace />;

  return (
    <AuthFrame title="Log in">
      <form className="space-y-4" onSubmit={onSubmit} noValidate>
        {general.map((message) => <Alert key={message}>{message}</Alert>)}
        <Field id="email" name="email" type="email" label="Email" autoComplete="email" required
               error={messageFor(fields, 'email')} />
        <Field id="password" name="password" type="password" label="Password" autoComplete="current-password" required
               error={messageFor(fields, 'password')} />
        <Button type="submit" className="w-full" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</Button>
        <p className="text-center text-sm text-slate-600">No account? <Link className="font-medium text-brand-700 underline" to="/signup">Sign up</Link></p>
      </form>
    </AuthFrame>
  );
}

export function SignupPage() {
  const { signup } = useAuth();
  const navigate = useNavigate();
  const [apiKey, setApiKey] = useState<string | null>(null);
  const { fields, general, busy, onSubmit } = useFormSubmit(async (form) => {
    const answer = await signup(String(form.get('email')), String(form.get('password')), String(form.get('company_name') ?? ''));
    setApiKey(answer.api_key);
  });

  if (apiKey) {
    return (
      <AuthFrame title="Your API key">
        <div className="space-y-4">
          <p className="text-sm text-slate-700">This key is shown once. Keep it for automation (n8n, scripts): send it as <code>X-API-Key</code>.</p>
          <code data-testid="api-key" className="block break-all rounded bg-slate-100 p-3 text-sm">{apiKey}</code>
          <Button variant="secondary" className="w-full" onClick={() => navigator.clipboard?.writeText(apiKey)}>Copy key</Button>
          <Button className="w-full" onClick={() => navigate('/', { replace: true })}>Continue to the dashboard</Button>
        </div>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Create an account">
      <form className="space-y-4" onSubmit={onSubmit} noValidate>
        {general.map((message) => <Alert key={message}>{message}</Alert>)}
        <Field id="email" name="email" type="email" label="Email" autoComplete="email" required
               error={messageFor(fields, 'email')} />
        <Field id="password" name="password" type="password" label="Password (8 to 72 characters)" autoComplete="new-password" required
               error={messageFor(fields, 'password')} />
        <Field id="company_name" name="company_name" label="Company (optional)" autoComplete="organization"
               error={messageFor(fields, 'company_name')} />
        <Button type="submit" className="w-full" disabled={busy}>{busy ? 'Creating…' : 'Sign up'}</Button>
        <p className="text-center text-sm text-slate-600">Have an account? <Link className="font-medium text-brand-700 underline" to="/login">Log in</Link></p>
      </form>
    </AuthFrame>
  );
}
