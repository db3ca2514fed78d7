'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { reviewSignalAction } from '@/app/(console)/sessions/actions';
import { SIGNAL_LABELS, type SignalKind } from '@/lib/risk/types';
import type { ActionResult } from '@/lib/actions/action-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/text-field';

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
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionResult<unknown> | null, FormData>(
    reviewSignalAction,
    null,
  );
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const label = SIGNAL_LABELS[kind];
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium text-blue-700 dark:text-blue-300">
        {again ? 'Review again' : 'Mark reviewed'}
        <span className="sr-only">: {label}</span>
      </summary>
      <form action={action} className="mt-2 max-w-md space-y-2">
        <input type="hidden" name="sessionId" value={sessionId} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="fingerprint" value={fingerprint} />
        <TextAreaField
          name="note"
          label={`Note on “${label}”`}
          hint="What you checked: this goes to the audit log."
          required
          minLength={3}
          maxLength={500}
          error={state && !state.ok ? (state.fieldErrors?.note?.[0] ?? null) : null}
        />
        <Button type="submit" size="sm" disabled={pending} aria-busy={pending}>
          {pending ? 'Saving…' : 'Save review'}
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
