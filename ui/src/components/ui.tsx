import { useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes,
  type TextareaHTMLAttributes } from 'react';
import { cn } from '@/lib/cn';

/**
 * The dashboard's small component kit (shadcn/ui-style: Tailwind classes, no runtime styling library). Colours are
 * chosen for WCAG AA contrast on white and slate-50: slate-600 is the lightest text colour used.
 */
export function Button({ className, variant = 'primary', size = 'md', ...props }:
  ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; size?: 'sm' | 'md' }) {
  return (
    <button
      type={props.type ?? 'button'}
      className={cn(
        'inline-flex items-center justify-center gap-2 rounded-md font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60',
        size === 'md' ? 'px-4 py-2 text-sm' : 'px-2.5 py-1 text-xs',
        variant === 'primary' && 'bg-brand-600 text-white hover:bg-brand-700 focus-visible:outline-brand-600',
        variant === 'secondary' && 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-100',
        variant === 'danger' && 'bg-red-700 text-white hover:bg-red-800',
        variant === 'ghost' && 'text-slate-700 hover:bg-slate-100',
        className,
      )}
      {...props}
    />
  );
}

const controlClass = (error?: string) => cn(
  'block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-brand-600',
  error ? 'border-red-600' : 'border-slate-300');

function FieldFrame({ id, label, error, hint, children }:
  { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      {children}
      {hint && !error && <p id={`${id}-hint`} className="text-xs text-slate-600">{hint}</p>}
      {error && <p id={`${id}-error`} className="text-sm text-red-700">{error}</p>}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

/** A labelled input with the server's message for this field under it. */
export function Field({ id, label, error, hint, className, ...props }:
  InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; error?: string; hint?: ReactNode }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)}
             className={cn(controlClass(error), className)} {...props} />
    </FieldFrame>
  );
}

export function TextAreaField({ id, label, error, hint, className, ...props }:
  TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string; label: string; error?: string; hint?: ReactNode }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)}
                className={cn(controlClass(error), 'min-h-28 font-mono', className)} {...props} />
    </FieldFrame>
  );
}

export function SelectField({ id, label, error, hint, options, className, ...props }:
  SelectHTMLAttributes<HTMLSelectElement> & {
    id: string; label: string; error?: string; hint?: ReactNode; options: { value: string; label: string }[];
  }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)}
              className={cn(controlClass(error), className)} {...props}>
        {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </select>
    </FieldFrame>
  );
}

export function Alert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'success' | 'info' }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cn('rounded-md border px-3 py-2 text-sm',
      tone === 'error' && 'border-red-300 bg-red-50 text-red-800',
      tone === 'success' && 'border-emerald-300 bg-emerald-50 text-emerald-900',
      tone === 'info' && 'border-sky-300 bg-sky-50 text-sky-900')}>
      {children}
    </div>
  );
}

/** Shows each general message of a form (the ones that name no field). */
export function FormErrors({ messages }: { messages: string[] }) {
  return <>{messages.map((message) => <Alert key={message}>{message}</Alert>)}</>;
}

export function Card({ title, children, className, actions }:
  { title?: string; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={cn('rounded-lg border border-slate-200 bg-white p-5 shadow-sm', className)}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-base font-semibold text-slate-800">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-bold">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

/** A designed empty state: what is missing and how to get it, never a blank box. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children && <div className="mt-1 text-sm text-slate-600">{children}</div>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p role="status" className="py-6 text-sm text-slate-600">{label}</p>;
}

/** A failed query: the server's detail and a way to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert>
      <span>{error instanceof Error ? error.message : 'Something went wrong.'}</span>
      {onRetry && <Button variant="secondary" size="sm" className="ml-3" onClick={onRetry}>Try again</Button>}
    </Alert>
  );
}

const STATUS_TONES: Record<string, string> = {
  completed: 'bg-emerald-100 text-emerald-900',
  active: 'bg-emerald-100 text-emerald-900',
  ready: 'bg-emerald-100 text-emerald-900',
  processing: 'bg-amber-100 text-amber-900',
  reembedding: 'bg-amber-100 text-amber-900',
  failed: 'bg-red-100 text-red-900',
  suspended: 'bg-red-100 text-red-900',
  deleted: 'bg-slate-200 text-slate-800',
  duplicate: 'bg-slate-200 text-slate-800',
};

export function Badge({ children, tone }: { children: ReactNode; tone?: string }) {
  return (
    <span className={cn('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium',
      STATUS_TONES[tone ?? String(children)] ?? 'bg-slate-100 text-slate-800')}>
      {children}
    </span>
  );
}

/** Copies a value and says so; the value stays selectable for browsers without clipboard access. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button variant="secondary" size="sm" onClick={async () => {
      try {
        await navigator.clipboard.writeText(value);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      } catch {
        setCopied(false);
      }
    }}>
      <span aria-live="polite">{copied ? 'Copied' : label}</span>
    </Button>
  );
}

export function Pagination({ page, size, total, onPage }:
  { page: number; size: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-2 pt-3 text-sm text-slate-600">
      <span>Page {page} of {pages} · {total} in all</span>
      <span className="flex gap-2">
        <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</Button>
        <Button variant="secondary" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>Next</Button>
      </span>
    </nav>
  );
}

/**
 * A table that scrolls sideways on a phone instead of squeezing its columns. The scrolling region is focusable and
 * named, so a keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export function Table({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-600" role="region" aria-label={label} tabIndex={0}>
      <table aria-label={label} className="w-full min-w-[36rem] text-left text-sm">{children}</table>
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}
           className="h-2 w-full overflow-hidden rounded bg-slate-200">
        <div className="h-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-600">{label}: {percent} %</p>
    </div>
  );
}
