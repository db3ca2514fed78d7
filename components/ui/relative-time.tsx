'use client';

import { useEffect, useState } from 'react';
import { formatExact, formatRelative, tickIntervalFor } from './time-format';
import { cn } from './cn';

export function RelativeTime({
  at,
  fallback = '—',
  prefix,
  className,
}: {
  at: number | null | undefined;
  fallback?: string;
  prefix?: string;
  className?: string;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at == null) return;
    const t = setTimeout(() => setNow(Date.now()), tickIntervalFor(at, now));
    return () => clearTimeout(t);
  }, [at, now]);
  if (at == null || !Number.isFinite(at)) return <span className={className}>{fallback}</span>;
  const exact = formatExact(at);
  return (
    <time
      dateTime={new Date(at).toISOString()}
      title={exact}
      className={cn('whitespace-nowrap', className)}
      suppressHydrationWarning
    >
      {prefix ? `${prefix} ` : ''}
      {formatRelative(at, now)}
    </time>
  );
}
