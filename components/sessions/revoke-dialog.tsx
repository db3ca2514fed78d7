'use client';

import { useState, type FormEvent } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { Button } from '@/components/ui/button';
import { UpstreamText } from '@/components/ui/upstream-text';
import { ReasonField } from '@/components/forms/reason-field';
import { checkReason } from '@/lib/vocabulary';

export interface RevokeTarget {
  sessionId: string;
  userLabel: string;
  deviceLabel: string;
}

/** Asks for the reason; the caller sends the revoke through useConsoleAction, whose request key makes a retry revoke and audit once. */
export function RevokeDialog({
  target,
  onOpenChange,
  onConfirm,
  fallbackFocus,
}: {
  target: RevokeTarget | null;
  onOpenChange(open: boolean): void;
  onConfirm(target: RevokeTarget, reason: string): void;
  fallbackFocus?: () => HTMLElement | null | undefined;
}) {
  return (
    <Dialog
      open={target !== null}
      onOpenChange={onOpenChange}
      fallbackFocus={fallbackFocus}
      title="Revoke session?"
      description={
        target ? (
          <>
            This signs <UpstreamText value={target.userLabel} inline className="font-semibold" max={120} />{' '}
            out on <UpstreamText value={target.deviceLabel} inline className="font-semibold" max={120} /> at
            once. It can’t be undone.
          </>
        ) : null
      }
    >
      {/* Keyed by session so a reason typed for one session never carries over to another. */}
      {target ? (
        <RevokeForm
          key={target.sessionId}
          target={target}
          onCancel={() => onOpenChange(false)}
          onConfirm={onConfirm}
        />
      ) : null}
    </Dialog>
  );
}

function RevokeForm({
  target,
  onCancel,
  onConfirm,
}: {
  target: RevokeTarget;
  onCancel(): void;
  onConfirm(target: RevokeTarget, reason: string): void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkReason(reason);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    onConfirm(target, checked.reason);
  }

  // No autoFocus here: Radix focuses the first field itself, after noting what to return focus to on close.
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="font-mono text-xs text-gray-600 dark:text-gray-400">{target.sessionId}</p>
      <ReasonField
        value={reason}
        onChange={(value) => {
          setReason(value);
          if (error) setError(null);
        }}
        error={error}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="danger">
          Revoke session
        </Button>
      </div>
    </form>
  );
}
