'use client';

import { SectionError } from '@/components/shell/section-error';

export default function StaffError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="Staff could not be loaded" />;
}
