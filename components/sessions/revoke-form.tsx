'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { noticePayload, TELL_USER_OFF, TellUserField } from '@/components/forms/tell-user-field';
import { useReasonForm } from '@/components/forms/use-reason-form';
import type { RevokeInput, RevokeTarget } from './revoke-types';

export function RevokeForm({
  target,
  onCancel,
  onConfirm,
}: {
  target: RevokeTarget;
  onCancel(): void;
  onConfirm(target: RevokeTarget, input: RevokeInput): void;
}) {
  const form = useReasonForm({ focusOnArrival: true });
  const { extras } = form;
  const [tell, setTell] = useState(TELL_USER_OFF);

  function submit(e: FormEvent) {
    e.preventDefault();
    const sent = form.ready();
    if (!sent) return;
    onConfirm(target, { ...sent, ...noticePayload(tell, 'revoke', extras.reasonCode, extras.ticket) });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="font-mono text-xs text-gray-600 dark:text-gray-400">{target.sessionId}</p>
      <ReasonField {...form.reasonProps} />
      <ReasonCodeFields value={extras} onChange={form.setExtras} />
      <TellUserField
        value={tell}
        onChange={setTell}
        kind="revoke"
        reasonCode={extras.reasonCode}
        ticket={extras.ticket}
        hasEmail={target.hasEmail}
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
