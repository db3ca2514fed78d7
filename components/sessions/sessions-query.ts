import type { ListStatus } from '@/lib/vocabulary';
import { paths, sessionsLinkParams, type SessionsLink } from '@/lib/paths';

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
  /** "Needs a look": only sessions with a risk signal nobody has reviewed (user views only). */
  look?: boolean;
}

export const DEFAULT_STATUS: ListStatus = 'active';
export const DEFAULT_LIMIT = 25;

function sessionsLink(q: SessionsQuery): SessionsLink {
  return {
    userId: q.userId,
    clientId: q.clientId,
    status: q.status === DEFAULT_STATUS ? undefined : q.status,
    limit: q.limit === DEFAULT_LIMIT ? undefined : q.limit,
    offset: q.offset,
    look: q.look,
  };
}

/** The query string parameters of a view, defaults left out so links stay canonical. */
export function sessionsParams(q: SessionsQuery): Record<string, string | number | null | undefined> {
  return sessionsLinkParams(sessionsLink(q));
}

/** A link to a view with some fields changed; changing the status goes back to the first page. */
export function sessionsHref(q: SessionsQuery, changes: Partial<SessionsQuery> = {}): string {
  const next: SessionsQuery = { ...q, ...changes };
  if ((changes.status !== undefined || changes.look !== undefined) && changes.offset === undefined)
    next.offset = 0;
  return paths.sessions(sessionsLink(next));
}
