'use client';

import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { sessionsQuery } from '@/lib/queries/sessions';
import type { SessionsPage } from '@/lib/queries/sessions-page';
import type { SessionsQuery } from '@/lib/queries/sessions-query';
import { ActionError } from './action-error';

export const POLL_INTERVAL_MS = 15_000;
const STOP_POLLING = new Set(['unauthenticated', 'forbidden']);

export function useSessionsList(query: SessionsQuery, initial: SessionsPage) {
  const options = useMemo(() => sessionsQuery(query), [query]);
  const list = useQuery({
    ...options,
    initialData: initial,
    initialDataUpdatedAt: initial.fetchedAt,
    staleTime: 10_000,
    refetchInterval: (q) =>
      q.state.error instanceof ActionError && STOP_POLLING.has(q.state.error.failure.kind)
        ? false
        : POLL_INTERVAL_MS,
  });
  return { list, queryKey: options.queryKey };
}
