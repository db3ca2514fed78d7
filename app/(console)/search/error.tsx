'use client';

import { SectionError } from '@/components/shell/section-error';

export default function SearchError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="The search could not be run" />;
}
