import { hashKey, queryOptions, type QueryClient } from '@tanstack/react-query';
import { paths } from '@/lib/paths';
import { sessionsParams, type SessionsQuery } from './sessions-query';
import { getJson } from './get-json';
import type { SessionsPage } from './sessions-page';

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

// Only asked-for fetches are not polls, so background refreshes keep no idle console session alive.
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

export function refetchAsked(qc: QueryClient, q: SessionsQuery) {
  const key = sessionsKey(q);
  asked.add(hashKey(key));
  return qc.refetchQueries({ queryKey: key, exact: true });
}
