'use client';

import { SectionError } from '@/components/shell/section-error';

export default function ApprovalsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="Approvals could not be loaded" />;
}
