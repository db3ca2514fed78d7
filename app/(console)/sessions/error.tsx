'use client';

import { SectionError } from '@/components/shell/section-error';

export default function SessionsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="The sessions could not be loaded" />;
}
