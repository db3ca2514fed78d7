'use client';

import type { ActionResult } from '@/lib/vocabulary';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { Button } from '@/components/ui/button';

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
  const { run, pending, result } = useConsoleAction(action, { refresh: 'on-success' });
  const reconcile = () => void run({ intentId });

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
        {result && !result.ok && result.traceId ? (
          <span className="block font-mono">Trace id {result.traceId}</span>
        ) : null}
      </p>
    </div>
  );
}
