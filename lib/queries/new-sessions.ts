import { queryOptions } from '@tanstack/react-query';
import { paths } from '@/lib/paths';
import { getJson } from './get-json';

export const NEW_SESSIONS_POLL_MS = 10_000;

export const newSessionsQuery = (userId: string, since: number) =>
  queryOptions({
    queryKey: ['new-sessions', userId, since] as const,
    queryFn: ({ signal }) =>
      getJson<{ count: number; checkedAt: number }>(paths.api.newSessions(userId, since), {
        signal,
        poll: true,
      }),
    // The page was just rendered with the list as of `since`: nothing to ask until the first poll is due.
    initialData: { count: 0, checkedAt: since },
    initialDataUpdatedAt: since,
    staleTime: NEW_SESSIONS_POLL_MS,
    refetchInterval: NEW_SESSIONS_POLL_MS,
    refetchIntervalInBackground: false,
  });
