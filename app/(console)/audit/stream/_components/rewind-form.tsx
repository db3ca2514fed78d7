'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/vocabulary';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { ReasonCodeFields, useReasonExtras } from '@/components/forms/reason-code-fields';

type Rewind = (prev: unknown, form: FormData) => Promise<ActionResult<{ previous: number; to: number }>>;

export function RewindForm({ receivers, action }: { receivers: string[]; action: Rewind }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [fromStart, setFromStart] = useState(false);
  const [extras, setExtras] = useReasonExtras();
  const error = state && !state.ok ? state : null;
  const field = (name: string) => error?.fieldErrors?.[name]?.[0] ?? null;
  return (
    <form
      action={formAction}
      className="space-y-3 rounded-lg border border-gray-200 p-4 dark:border-gray-800"
    >
      <h2 className="text-base font-semibold">Rewind to replay</h2>
      <p className="text-sm text-gray-600 dark:text-gray-400">
        The receiver gets every event again from the chosen time, in order and with the same ids, so it can
        drop what it already has.
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor="rewind-receiver" className="block text-sm font-medium">
            Receiver
          </label>
          <select
            id="rewind-receiver"
            name="receiver"
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950"
          >
            {receivers.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        {fromStart ? (
          <input type="hidden" name="from" value="start" />
        ) : (
          <TextField label="From (UTC)" name="from" type="datetime-local" required error={field('from')} />
        )}
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" checked={fromStart} onChange={(e) => setFromStart(e.target.checked)} />
          From the start of the log
        </label>
      </div>
      <ReasonCodeFields
        value={extras}
        onChange={setExtras}
        errors={{ reasonCode: field('reasonCode'), ticket: field('ticket') }}
      />
      <TextField
        label="Reason"
        name="reason"
        required
        minLength={3}
        maxLength={500}
        error={field('reason')}
      />
      {state ? (
        <Alert tone={state.ok ? 'success' : 'error'} traceId={state.ok ? null : state.traceId}>
          {state.message}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? 'Rewinding…' : 'Rewind'}
      </Button>
    </form>
  );
}
