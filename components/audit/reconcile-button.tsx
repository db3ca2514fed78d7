'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/action-state';
import { Button } from '@/components/ui/button';

type Result = { ok: boolean; message: string; traceId?: string | null };

/** The reconcile server action, passed in by the route (components never import app/). */
export type ReconcileAction = (input: { intentId: string }) => Promise<ActionResult<unknown>>;

/** Rendered on reconciled rows too (`offer` false) so the sentence saying what was found survives the refresh. */
export function ReconcileButton({
  intentId,
  offer,
  action,
}: {
  intentId: string;
  offer: boolean;
  action: ReconcileAction;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<Result | null>(null);

  function reconcile() {
    startTransition(async () => {
      try {
        const r = await action({ intentId });
        setResult(
          r.ok ? { ok: true, message: r.message } : { ok: false, message: r.message, traceId: r.traceId },
        );
        if (r.ok) router.refresh();
      } catch {
        setResult({ ok: false, message: 'The console could not be reached. Try again.' });
      }
    });
  }

  if (!offer && !result) return null;
  return (
    <div className="mt-1 max-w-[14rem] space-y-1">
      {offer ? (
        <Button size="sm" onClick={reconcile} disabled={pending} aria-describedby={`reconcile-${intentId}`}>
          {pending ? 'Reconciling…' : 'Reconcile'}
        </Button>
      ) : null}
      <p
        id={`reconcile-${intentId}`}
        role="status"
        data-testid="reconcile-result"
        className={
          result && !result.ok
            ? 'text-xs text-red-800 dark:text-red-200'
            : 'text-xs text-gray-700 dark:text-gray-300'
        }
      >
        {result ? result.message : null}
        {result?.traceId ? <span className="block font-mono">Trace id {result.traceId}</span> : null}
      </p>
    </div>
  );
}
