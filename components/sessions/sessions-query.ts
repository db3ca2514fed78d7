import type { ListStatus } from '@/lib/vocabulary';
import { hrefWith } from '@/components/ui/paging';

/**
 * A sessions view as the URL states it: /sessions?user_id=…|client_id=…&status=…&limit=…&offset=…
 * Browser-safe (links, keys); reading a URL is parse-sessions-query.ts, which needs zod.
 */
export interface SessionsQuery {
  userId?: string;
  clientId?: string;
  status: ListStatus;
  limit: number;
  offset: number;
}

export const DEFAULT_STATUS: ListStatus = 'active';
export const DEFAULT_LIMIT = 25;

/** The query string parameters of a view, defaults left out so links stay canonical. */
export function sessionsParams(q: SessionsQuery): Record<string, string | number | undefined> {
  return {
    user_id: q.userId,
    client_id: q.clientId,
    status: q.status === DEFAULT_STATUS ? undefined : q.status,
    limit: q.limit === DEFAULT_LIMIT ? undefined : q.limit,
    offset: q.offset || undefined,
  };
}

/** A link to a view with some fields changed; changing the status goes back to the first page. */
export function sessionsHref(q: SessionsQuery, changes: Partial<SessionsQuery> = {}): string {
  const next: SessionsQuery = { ...q, ...changes };
  if (changes.status !== undefined && changes.offset === undefined) next.offset = 0;
  return hrefWith('/sessions', sessionsParams(next));
}

export function userSessionsHref(userId: string): string {
  return hrefWith('/sessions', { user_id: userId });
}

export function clientSessionsHref(clientId: string): string {
  return hrefWith('/sessions', { client_id: clientId });
}

export function sessionDetailHref(sessionId: string): string {
  return `/sessions/${encodeURIComponent(sessionId)}`;
}
