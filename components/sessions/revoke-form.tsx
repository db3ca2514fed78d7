'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ReasonField } from '@/components/forms/reason-field';
import {
  ReasonCodeFields,
  reasonPayload,
  reasonExtrasReady,
  useReasonExtras,
} from '@/components/forms/reason-code-fields';
import { noticePayload, TELL_USER_OFF, TellUserField } from '@/components/forms/tell-user-field';
import { checkReason } from '@/lib/vocabulary';
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
  const [reason, setReason] = useState('');
  const [extras, setExtras] = useReasonExtras();
  const [tell, setTell] = useState(TELL_USER_OFF);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // This form arrives after the dialog opened (its own chunk): Radix has already placed focus, so take it here.
  useEffect(() => reasonRef.current?.focus(), []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkReason(reason);
    const extrasOk = reasonExtrasReady(extras, setExtras);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    if (!extrasOk) return;
    onConfirm(target, {
      reason: checked.reason,
      ...reasonPayload(extras),
      ...noticePayload(tell, 'revoke', extras.reasonCode, extras.ticket),
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="font-mono text-xs text-gray-600 dark:text-gray-400">{target.sessionId}</p>
      <ReasonField
        ref={reasonRef}
        value={reason}
        onChange={(value) => {
          setReason(value);
          if (error) setError(null);
        }}
        error={error}
      />
      <ReasonCodeFields value={extras} onChange={setExtras} />
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
