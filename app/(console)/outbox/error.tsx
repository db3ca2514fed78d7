'use client';

import { SectionError } from '@/components/shell/section-error';

export default function OutboxError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="The outbox could not be loaded" />;
}
