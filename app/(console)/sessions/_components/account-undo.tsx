'use client';

import { useState } from 'react';
import dynamic from 'next/dynamic';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { UNDO, type UndoKind } from '@/lib/account/undo';
import { unbanUserAction, unlockUserAction, unsetPasswordCompromisedAction } from '../account-actions';

// Loaded with the dialog, not with the sessions page (its first-load budget).
const AccountUndoForm = dynamic(() => import('./account-undo-form').then((m) => m.AccountUndoForm), {
  ssr: false,
});

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
        <AccountUndoForm
          question={QUESTIONS[kind]}
          label={UNDO[kind].label}
          pending={pending}
          result={result}
          onSend={(input) =>
            run({ userId, ...input }).then((r) => {
              if (r.ok) setOpen(false);
              return r;
            })
          }
          onCancel={() => setOpen(false)}
        />
      </Dialog>
    </>
  );
}
