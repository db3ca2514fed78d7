'use client';

import dynamic from 'next/dynamic';
import { Dialog } from '@/components/ui/dialog';
import { UpstreamText } from '@/components/ui/upstream-text';
import type { RevokeInput, RevokeTarget } from './revoke-types';

// The form (reason codes, ticket, the notice preview) loads when the dialog first opens, not with the list.
const RevokeForm = dynamic(() => import('./revoke-form').then((m) => m.RevokeForm), { ssr: false });

export type { RevokeInput, RevokeTarget } from './revoke-types';

/** Asks for the reason (code, text, ticket) and whether to tell the user; the caller sends the revoke through useConsoleAction, whose request key makes a retry revoke and audit once. */
export function RevokeDialog({
  target,
  onOpenChange,
  onConfirm,
  fallbackFocus,
}: {
  target: RevokeTarget | null;
  onOpenChange(open: boolean): void;
  onConfirm(target: RevokeTarget, input: RevokeInput): void;
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
