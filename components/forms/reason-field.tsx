'use client';

import type { Ref } from 'react';
import { REASON_MAX } from '@/lib/vocabulary';
import { TextAreaField } from '@/components/ui/text-field';

export const REASON_HINT = 'Recorded in the audit log, e.g. the ticket number.';

/** The reason every write records; the checks are the vocabulary's (checkReason, REASON_MIN/REASON_MAX). */
export function ReasonField({
  value,
  onChange,
  error = null,
  hint = REASON_HINT,
  label = 'Reason',
  id,
  className,
  ref,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  hint?: string;
  label?: string;
  id?: string;
  className?: string;
  ref?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <TextAreaField
      id={id}
      ref={ref}
      label={label}
      name="reason"
      required
      maxLength={REASON_MAX}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={hint}
      className={className}
    />
  );
}
