'use client';

import { useState, type FormEvent } from 'react';
import { ReasonField } from '@/components/forms/reason-field';
import dynamic from 'next/dynamic';
import { reasonExtrasReady, reasonPayload, useReasonExtras } from '@/components/forms/reason-extras';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { UNDO, type UndoKind } from '@/lib/account/undo';
import { checkReason } from '@/lib/vocabulary';
import { unbanUserAction, unlockUserAction, unsetPasswordCompromisedAction } from '../account-actions';

// Loaded with the dialog, not with the sessions page (its first-load budget).
const ReasonCodeFields = dynamic(
  () => import('@/components/forms/reason-code-fields').then((m) => m.ReasonCodeFields),
  { ssr: false },
);

const ACTIONS = {
  unban: unbanUserAction,
  unlock: unlockUserAction,
  unset_compromised: unsetPasswordCompromisedAction,
} as const;

const QUESTIONS: Record<UndoKind, string> = {
  unban: 'Unban this user? They can sign in again at once.',
  unlock: 'Unlock this account? Sign-ins are allowed again at once.',
  unset_compromised: 'Clear the compromised flag? The next sign-in no longer has to reset the password.',
};

export function AccountUndoButton({ kind, userId }: { kind: UndoKind; userId: string }) {
  const [open, setOpen] = useState(false);
  const { run, pending, result, clear } = useConsoleAction(ACTIONS[kind], {
    requestKey: true,
    refresh: 'on-success',
  });
  const [reason, setReason] = useState('');
  const [extras, setExtras] = useReasonExtras();
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkReason(reason);
    const extrasOk = reasonExtrasReady(extras, setExtras);
    if (!checked.ok) return setError(checked.message);
    if (!extrasOk) return;
    void run({ userId, reason: checked.reason, ...reasonPayload(extras) }).then((r) => {
      if (r.ok) {
        setOpen(false);
        setReason('');
      } else if (r.fieldErrors?.reason) setError(r.fieldErrors.reason[0] ?? null);
    });
  }

  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          clear();
          setOpen(true);
        }}
      >
        {UNDO[kind].label}
      </Button>
      {result?.ok && !open ? (
        <span role="status" className="text-xs text-green-800 dark:text-green-300">
          {result.message}
        </span>
      ) : null}
      <Dialog open={open} onOpenChange={(o) => !pending && setOpen(o)} title={UNDO[kind].label}>
        <form onSubmit={submit} noValidate className="space-y-4">
          <p className="text-sm">{QUESTIONS[kind]}</p>
          <ReasonCodeFields value={extras} onChange={setExtras} />
          <ReasonField
            value={reason}
            onChange={(v) => {
              setReason(v);
              if (error) setError(null);
            }}
            error={error}
          />
          {result && !result.ok && !result.fieldErrors?.reason ? (
            <Alert tone="error" traceId={result.traceId ?? null}>
              {result.message}
            </Alert>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            <Button onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={pending}>
              {pending ? 'Working…' : UNDO[kind].label}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
