'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { revokeSessionAction } from '@/app/(console)/sessions/actions';
import type { SessionDto } from '@/lib/clerk/dto';
import { RevokeDialog, type RevokeTarget } from '@/components/sessions/revoke-dialog';
import { deviceLabel } from '@/components/sessions/session-format';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

type Outcome = { ok: true; message: string } | { ok: false; message: string; traceId: string | null };

/** The action re-checks role and status; after a revoke the page re-renders from the server. */
export function RevokeControl({ session, userLabel }: { session: SessionDto; userLabel: string }) {
  const router = useRouter();
  const [target, setTarget] = useState<RevokeTarget | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm(t: RevokeTarget, reason: string, idempotencyKey: string) {
    setTarget(null);
    startTransition(async () => {
      const result = await revokeSessionAction({ sessionId: t.sessionId, reason, idempotencyKey });
      setOutcome(
        result.ok
          ? { ok: true, message: result.message }
          : { ok: false, message: result.message, traceId: result.traceId ?? null },
      );
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      {session.status === 'active' ? (
        <Button
          variant="danger"
          disabled={pending}
          aria-busy={pending}
          onClick={() =>
            setTarget({ sessionId: session.id, userLabel, deviceLabel: deviceLabel(session.latestActivity) })
          }
        >
          {pending ? 'Revoking…' : 'Revoke session'}
        </Button>
      ) : null}
      {outcome ? (
        <Alert
          tone={outcome.ok ? 'success' : 'error'}
          traceId={outcome.ok ? null : outcome.traceId}
          className="max-w-sm"
        >
          {outcome.message}
        </Alert>
      ) : null}
      <RevokeDialog
        target={target}
        onOpenChange={(open) => (open ? undefined : setTarget(null))}
        onConfirm={confirm}
      />
    </div>
  );
}
