'use client';

import { useState, type FormEvent } from 'react';
import { reviewSignalAction } from '@/app/(console)/sessions/actions';
import { SIGNAL_LABELS, type SignalKind } from '@/lib/vocabulary';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/text-field';

type ReviewInput = { sessionId: string; kind: SignalKind; fingerprint: string; note: string };

export function ReviewForm({
  sessionId,
  kind,
  fingerprint,
  again,
}: {
  sessionId: string;
  kind: SignalKind;
  fingerprint: string;
  again: boolean;
}) {
  const review = useConsoleAction<ReviewInput, unknown>(reviewSignalAction, { refresh: 'on-success' });
  const [note, setNote] = useState('');
  const state = review.result;
  const label = SIGNAL_LABELS[kind];

  function submit(e: FormEvent) {
    e.preventDefault();
    void review.run({ sessionId, kind, fingerprint, note }).then((r) => {
      if (r.ok) setNote('');
    });
  }

  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium text-blue-700 dark:text-blue-300">
        {again ? 'Review again' : 'Mark reviewed'}
        <span className="sr-only">: {label}</span>
      </summary>
      <form onSubmit={submit} className="mt-2 max-w-md space-y-2">
        <TextAreaField
          name="note"
          label={`Note on “${label}”`}
          hint="What you checked: this goes to the audit log."
          required
          minLength={3}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={state && !state.ok ? (state.fieldErrors?.note?.[0] ?? null) : null}
        />
        <Button type="submit" size="sm" disabled={review.pending} aria-busy={review.pending}>
          {review.pending ? 'Saving…' : 'Save review'}
        </Button>
        {state && !state.ok && !state.fieldErrors?.note ? (
          <Alert tone="error" traceId={state.traceId ?? null}>
            {state.message}
          </Alert>
        ) : null}
        {state?.ok ? <Alert tone="success">{state.message}</Alert> : null}
      </form>
    </details>
  );
}
