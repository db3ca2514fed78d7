'use client';

import { useId } from 'react';
import { TextField } from '@/components/ui/text-field';
import { ticketUrlFrom } from '@/lib/vocabulary/reasons';
import { useReasonSettings } from './reason-codes-context';
import { CATEGORY_MISSING, ticketProblem, type ReasonExtras } from './reason-extras';

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950';

export function ReasonCodeFields({
  value,
  onChange,
  errors = {},
}: {
  value: ReasonExtras;
  onChange: (next: ReasonExtras) => void;
  errors?: { reasonCode?: string | null; ticket?: string | null };
}) {
  const { codes, ticketUrlTemplate } = useReasonSettings();
  const id = useId();
  const link = ticketUrlFrom(ticketUrlTemplate, value.ticket);
  const ticketError = errors.ticket ?? ticketProblem(value.ticket);
  const codeError = errors.reasonCode ?? (value.checked && !value.reasonCode ? CATEGORY_MISSING : null);
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-code`} className="block text-sm font-medium">
          Category
        </label>
        <select
          id={`${id}-code`}
          name="reasonCode"
          required
          value={value.reasonCode}
          onChange={(e) => onChange({ ...value, reasonCode: e.target.value })}
          aria-invalid={codeError ? true : undefined}
          aria-describedby={codeError ? `${id}-code-error` : undefined}
          className={CONTROL}
        >
          {value.reasonCode ? null : (
            <option value="" disabled>
              Choose a category…
            </option>
          )}
          {codes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
        {codeError ? (
          <p id={`${id}-code-error`} className="mt-1 text-sm text-red-700 dark:text-red-400">
            {codeError}
          </p>
        ) : null}
      </div>
      <div>
        <TextField
          label="Ticket (optional)"
          name="ticket"
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
          value={value.ticket}
          onChange={(e) => onChange({ ...value, ticket: e.target.value })}
          error={ticketError}
          hint={link ? null : 'e.g. SUP-1234'}
          className="font-mono"
        />
        {link && !ticketError ? (
          <p className="mt-1 truncate text-xs">
            Links to{' '}
            <a href={link} target="_blank" rel="noreferrer noopener" className="text-blue-700 underline">
              {link}
            </a>
          </p>
        ) : null}
      </div>
    </div>
  );
}
