'use client';

import { useState } from 'react';
import { revokeSessionAction } from '@/app/(console)/sessions/actions';
import type { SessionDto } from '@/lib/clerk/dto';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { RevokeDialog, type RevokeInput, type RevokeTarget } from '@/components/sessions/revoke-dialog';
import { deviceLabel } from '@/components/sessions/session-format';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The action re-checks role and status; after a revoke the page re-renders from the server. */
export function RevokeControl({ session, userLabel }: { session: SessionDto; userLabel: string }) {
  const [target, setTarget] = useState<RevokeTarget | null>(null);
  const revoke = useConsoleAction<{ sessionId: string } & RevokeInput, SessionDto>(revokeSessionAction, {
    requestKey: true,
    refresh: 'always',
  });
  const outcome = revoke.result;

  function confirm(t: RevokeTarget, input: RevokeInput) {
    setTarget(null);
    void revoke.run({ sessionId: t.sessionId, ...input });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      {session.status === 'active' ? (
        <Button
          variant="danger"
          disabled={revoke.pending}
          aria-busy={revoke.pending}
          onClick={() =>
            setTarget({ sessionId: session.id, userLabel, deviceLabel: deviceLabel(session.latestActivity) })
          }
        >
          {revoke.pending ? 'Revoking…' : 'Revoke session'}
        </Button>
      ) : null}
      {outcome ? (
        <Alert
          tone={outcome.ok ? 'success' : 'error'}
          traceId={outcome.ok ? null : (outcome.traceId ?? null)}
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
