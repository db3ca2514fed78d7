'use client';

import type { FormEvent } from 'react';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useReasonForm, type ReasonAnswer } from '@/components/forms/use-reason-form';
import type { ConsoleResult } from '@/components/forms/use-console-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

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
  onSend(input: ReasonAnswer): Promise<ConsoleResult<unknown>>;
  onCancel(): void;
}) {
  const form = useReasonForm({ focusOnArrival: true });

  function submit(e: FormEvent) {
    e.preventDefault();
    const sent = form.ready();
    if (!sent) return;
    void onSend(sent).then(form.answered);
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-sm">{question}</p>
      <ReasonCodeFields value={form.extras} onChange={form.setExtras} />
      <ReasonField {...form.reasonProps} />
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
