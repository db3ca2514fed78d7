'use client';

import { SectionError } from '@/components/shell/section-error';

export default function SessionSearchError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="The session search could not be run" />;
}
