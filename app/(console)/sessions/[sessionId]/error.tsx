'use client';

import { SectionError } from '@/components/shell/section-error';

/** A known upstream failure shows its fixed message and Clerk's trace id (see boundary-error.ts). */
export default function SessionDetailError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="This session could not be loaded" />;
}
