'use client';

import { SectionError } from '@/components/shell/section-error';

export default function TimelineError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="The timeline could not be read" />;
}
