import { hashKey, queryOptions, type QueryClient } from '@tanstack/react-query';
import type { SessionDto } from '@/lib/clerk/dto';
import { paths } from '@/lib/paths';
import { sessionsParams, type SessionsQuery } from '@/components/sessions/sessions-query';
import { getJson } from './get-json';

export interface SessionsPage {
  data: SessionDto[];
  totalCount: number;
  fetchedAt: number;
}

export const sessionsKey = (q: SessionsQuery) =>
  [
    'sessions',
    q.userId ?? null,
    q.clientId ?? null,
    q.status,
    q.limit,
    q.offset,
    q.look ? 'look' : null,
  ] as const;

// Fetches someone asked for (Refresh, the re-read after a revoke); every other fetch of a list (the interval,
// window focus) is a background poll and says so, so that it does not keep an idle console session alive.
const asked = new Set<string>();

export const sessionsQuery = (q: SessionsQuery) =>
  queryOptions({
    queryKey: sessionsKey(q),
    queryFn: ({ signal, queryKey }) =>
      getJson<SessionsPage>(paths.api.sessions(sessionsParams(q)), {
        signal,
        poll: !asked.delete(hashKey(queryKey)),
      }),
  });

/** Re-reads a list because the staff member asked (or just acted), not as a poll. */
export function refetchAsked(qc: QueryClient, q: SessionsQuery) {
  const key = sessionsKey(q);
  asked.add(hashKey(key));
  return qc.refetchQueries({ queryKey: key, exact: true });
}
