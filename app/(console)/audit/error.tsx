'use client';

import { SectionError } from '@/components/shell/section-error';

/** The audit store could not be read: a plain sentence and Next's reference, never the error's own text. */
export default function AuditError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="The audit log could not be read" />;
}
