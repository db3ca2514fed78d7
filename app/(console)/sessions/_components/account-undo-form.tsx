'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ReasonField } from '@/components/forms/reason-field';
import {
  ReasonCodeFields,
  reasonExtrasReady,
  reasonPayload,
  useReasonExtras,
} from '@/components/forms/reason-code-fields';
import type { ConsoleResult } from '@/components/forms/use-console-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { checkReason } from '@/lib/vocabulary';

interface UndoInput {
  reason: string;
  reasonCode: string;
  ticket?: string;
}

export function AccountUndoForm({
  question,
  label,
  pending,
  result,
  onSend,
  onCancel,
}: {
  question: string;
  label: string;
  pending: boolean;
  result: ConsoleResult<unknown> | null;
  onSend(input: UndoInput): Promise<ConsoleResult<unknown>>;
  onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  const [extras, setExtras] = useReasonExtras();
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // This form arrives after the dialog opened (its own chunk): Radix has already placed focus, so take it here.
  useEffect(() => reasonRef.current?.focus(), []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkReason(reason);
    const extrasOk = reasonExtrasReady(extras, setExtras);
    if (!checked.ok) return setError(checked.message);
    if (!extrasOk) return;
    void onSend({ reason: checked.reason, ...reasonPayload(extras) }).then((r) => {
      if (!r.ok && r.fieldErrors?.reason) setError(r.fieldErrors.reason[0] ?? null);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-sm">{question}</p>
      <ReasonCodeFields value={extras} onChange={setExtras} />
      <ReasonField
        ref={reasonRef}
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
        <Button onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Working…' : label}
        </Button>
      </div>
    </form>
  );
}
