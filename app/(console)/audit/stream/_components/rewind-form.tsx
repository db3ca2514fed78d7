'use client';

import { useState, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/vocabulary';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { useReasonForm } from '@/components/forms/use-reason-form';

type Rewind = (input: {
  receiver: string;
  from: string;
  reason: string;
  reasonCode: string;
  ticket?: string;
}) => Promise<ActionResult<{ previous: number; to: number }>>;

export function RewindForm({ receivers, action }: { receivers: string[]; action: Rewind }) {
  const rewind = useConsoleAction(action);
  const form = useReasonForm();
  const [receiver, setReceiver] = useState(receivers[0] ?? '');
  const [from, setFrom] = useState('');
  const [fromStart, setFromStart] = useState(false);
  const { result, pending } = rewind;
  const failed = result && !result.ok ? result : null;
  const field = (name: string) => failed?.fieldErrors?.[name]?.[0] ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const sent = form.ready();
    if (!sent) return;
    form.answered(await rewind.run({ receiver, from: fromStart ? 'start' : from, ...sent }));
  }

  return (
    <form
      onSubmit={submit}
      noValidate
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
            value={receiver}
            onChange={(e) => setReceiver(e.target.value)}
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950"
          >
            {receivers.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        {fromStart ? null : (
          <TextField
            label="From (UTC)"
            type="datetime-local"
            required
            error={field('from')}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        )}
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" checked={fromStart} onChange={(e) => setFromStart(e.target.checked)} />
          From the start of the log
        </label>
      </div>
      <ReasonCodeFields
        value={form.extras}
        onChange={form.setExtras}
        errors={{ reasonCode: field('reasonCode'), ticket: field('ticket') }}
      />
      <ReasonField {...form.reasonProps} />
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'} traceId={failed?.traceId ?? null}>
          {result.message}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? 'Rewinding…' : 'Rewind'}
      </Button>
    </form>
  );
}
