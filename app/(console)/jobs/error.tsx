'use client';

import { SectionError } from '@/components/shell/section-error';

export default function JobsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="Jobs could not be loaded" />;
}
