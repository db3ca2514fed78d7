import type { ListStatus } from '@/lib/vocabulary';
import { paths, sessionsLinkParams, type SessionsLink } from '@/lib/paths';

export interface SessionsQuery {
  userId?: string;
  clientId?: string;
  status: ListStatus;
  limit: number;
  offset: number;
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

export function sessionsParams(q: SessionsQuery): Record<string, string | number | null | undefined> {
  return sessionsLinkParams(sessionsLink(q));
}

export function sessionsHref(q: SessionsQuery, changes: Partial<SessionsQuery> = {}): string {
  const next: SessionsQuery = { ...q, ...changes };
  if ((changes.status !== undefined || changes.look !== undefined) && changes.offset === undefined)
    next.offset = 0;
  return paths.sessions(sessionsLink(next));
}
