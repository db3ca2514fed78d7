'use client';

import { useEffect, useRef, useState } from 'react';
import { checkReason, type ActionResult } from '@/lib/vocabulary';
import { reasonExtrasProblem, reasonExtrasReady, reasonPayload, useReasonExtras } from './reason-extras';

export interface ReasonAnswer {
  reason: string;
  reasonCode: string;
  ticket?: string;
}

/**
 * The reason, category and ticket a dialog's form asks for, and the one check before it sends. `focusOnArrival`: the
 * form arrives after its dialog opened (its own chunk), when Radix has already placed focus.
 */
export function useReasonForm({ focusOnArrival = false }: { focusOnArrival?: boolean } = {}) {
  const [reason, setReason] = useState('');
  const [extras, setExtras] = useReasonExtras();
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focusOnArrival) ref.current?.focus();
  }, [focusOnArrival]);

  /** What to send, or null while a field is wrong (each then says why). */
  function ready(): ReasonAnswer | null {
    const checked = checkReason(reason);
    const extrasOk = reasonExtrasReady(extras, setExtras);
    if (!checked.ok) setError(checked.message);
    return checked.ok && extrasOk ? { reason: checked.reason, ...reasonPayload(extras) } : null;
  }

  const reasonProps = {
    ref,
    value: reason,
    error,
    onChange(value: string) {
      setReason(value);
      setError(null);
    },
  };
  /** The server's answer: a reason it refused shows under the field, as the form's own check would. */
  function answered(r: ActionResult<unknown>) {
    if (!r.ok && r.fieldErrors?.reason) setError(r.fieldErrors.reason[0] ?? null);
  }

  /** What the last check refused that still stands, for a form that shows it away from the fields. */
  const problem = error ?? (extras.checked ? reasonExtrasProblem(extras) : null);
  return { reasonProps, setReason, extras, setExtras, ready, answered, problem };
}
