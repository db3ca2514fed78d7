'use client';

import { useId, type ComponentProps, type ReactNode } from 'react';
import { cn } from './cn';

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-600 dark:border-gray-700 dark:bg-gray-950';

type Common = { label: string; error?: string | null; hint?: string | null };

export function TextField({ label, error, hint, className, id, ...props }: Common & ComponentProps<'input'>) {
  return (
    <Field label={label} error={error} hint={hint} className={className} id={id}>
      {(control) => <input {...control} className={CONTROL} {...props} />}
    </Field>
  );
}

export function TextAreaField({
  label,
  error,
  hint,
  className,
  id,
  ...props
}: Common & ComponentProps<'textarea'>) {
  return (
    <Field label={label} error={error} hint={hint} className={className} id={id}>
      {(control) => <textarea {...control} className={cn(CONTROL, 'min-h-20')} {...props} />}
    </Field>
  );
}

type Control = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };

function Field({
  label,
  error,
  hint,
  className,
  id: givenId,
  children,
}: Common & { className?: string; id?: string; children(control: Control): ReactNode }) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-gray-600 dark:text-gray-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
