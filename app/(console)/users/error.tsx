'use client';

import { SectionError } from '@/components/shell/section-error';

export default function UsersError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <SectionError error={error} reset={reset} title="Users could not be loaded" />;
}
