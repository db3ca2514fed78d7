'use client';

import { unstable_rethrow, useRouter } from 'next/navigation';
import { useCallback, useMemo, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/vocabulary';
import { actionCaller, type CallerOptions, type ConsoleResult } from './console-action';

export { CONSOLE_UNREACHABLE, type ConsoleResult } from './console-action';

export interface ConsoleActionOptions extends Omit<CallerOptions, 'rethrow'> {
  /** Re-render the page's server parts after the answer. */
  refresh?: 'on-success' | 'always';
}

/** The one way a browser calls a server action: request key, pending state, and one message when the console is unreachable. */
export function useConsoleAction<I extends object, T>(
  action: (input: I & { idempotencyKey?: string }) => Promise<ActionResult<T>>,
  { refresh, requestKey, omit }: ConsoleActionOptions = {},
) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ConsoleResult<T> | null>(null);
  // Kept across re-renders and refreshes, which may hand in a new function for the same action.
  const [keys] = useState(() => new Map<string, string>());
  const omitKey = omit?.join('\n');
  const call = useMemo(
    () => actionCaller(action, { requestKey, omit: omitKey?.split('\n'), rethrow: unstable_rethrow }, keys),
    [action, requestKey, omitKey, keys],
  );

  // A redirect (sign-out, single sign-on) is thrown inside the transition for the router; the promise then never settles.
  const run = useCallback(
    (input: I) =>
      new Promise<ConsoleResult<T>>((resolve) =>
        startTransition(async () => {
          const r = await call(input);
          setResult(r);
          if (refresh === 'always' || (refresh === 'on-success' && r.ok)) router.refresh();
          resolve(r);
        }),
      ),
    [call, refresh, router],
  );

  const clear = useCallback(() => setResult(null), []);
  return { run, pending, result, clear };
}
