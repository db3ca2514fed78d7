'use client';

import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { decodeBoundaryDigest } from './boundary-error';

/** Never `error.message` or a stack: in development they could carry upstream text. */
export function SectionError({
  error,
  reset,
  title = 'This page could not be loaded',
}: {
  error: Error & { digest?: string };
  reset: () => void;
  title?: string;
}) {
  const router = useRouter();
  const known = decodeBoundaryDigest(error.digest);
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">{title}</h1>
      <Alert tone="error" traceId={known?.traceId}>
        {known ? known.message : 'Something went wrong on the server.'}
        {known?.retryAfterSeconds ? ` Retry in ${known.retryAfterSeconds} s.` : null}
        {!known && error.digest ? (
          <span className="mt-1 block text-xs">
            Reference: <code className="font-mono">{error.digest}</code>
          </span>
        ) : null}
      </Alert>
      <Button variant="primary" onClick={retry}>
        Try again
      </Button>
    </div>
  );
}
