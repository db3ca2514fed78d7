'use client';

import { useEffect, useState } from 'react';
import { formatExact } from '@/components/ui/time-format';
import { formatCountdown, secondsRemaining, type TokenClock } from './token-time';

/** `role="timer"` keeps screen readers from announcing every tick. */
export function ExpiryCountdown({ clock }: { clock: TokenClock }) {
  const [now, setNow] = useState(() => Date.now());
  const remaining = secondsRemaining(clock, now);
  const expired = remaining <= 0;
  useEffect(() => {
    if (expired) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [expired]);
  return (
    <p className="text-sm">
      <span
        role="timer"
        data-testid="token-countdown"
        className={expired ? 'font-semibold text-red-700 dark:text-red-400' : 'font-semibold tabular-nums'}
      >
        {formatCountdown(remaining)}
      </span>{' '}
      <span className="text-gray-600 dark:text-gray-400">(exp {formatExact(clock.exp * 1000)})</span>
    </p>
  );
}
