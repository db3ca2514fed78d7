import { listSessionsInput, type ListStatus } from '@/lib/sessions/inputs';
import { hrefWith } from '@/components/ui/paging';

/** A sessions view as the URL states it: /sessions?user_id=…|client_id=…&status=…&limit=…&offset=… */
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

type SearchParams = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/**
 * Reads and validates the URL with the same schema the server action uses, so a hand-edited link
 * (`user_id=../x`, `limit=5000`) is refused with the schema's own message before anything is fetched.
 */
export function parseSessionsQuery(
  sp: SearchParams,
): { ok: true; query: SessionsQuery } | { ok: false; errors: string[] } {
  const raw: Record<string, string> = {};
  const map = {
    userId: 'user_id',
    clientId: 'client_id',
    status: 'status',
    limit: 'limit',
    offset: 'offset',
    look: 'look',
  } as const;
  for (const [key, param] of Object.entries(map)) {
    const v = first(sp[param]);
    if (v !== undefined) raw[key] = v;
  }
  const parsed = listSessionsInput.safeParse(raw);
  if (!parsed.success) {
    const errors = [...new Set(parsed.error.issues.map((i) => describeIssue(i.path[0], i.message)))];
    return { ok: false, errors };
  }
  const q = parsed.data;
  return {
    ok: true,
    query: {
      ...(q.userId ? { userId: q.userId } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
      status: q.status,
      limit: q.limit,
      offset: q.offset,
      ...(q.look ? { look: true } : {}),
    },
  };
}

function describeIssue(field: PropertyKey | undefined, message: string): string {
  switch (field) {
    case 'status':
      return 'Unknown status filter.';
    case 'limit':
      return 'Page size must be between 1 and 100.';
    case 'offset':
      return 'Page offset must be a whole number between 0 and 100,000.';
    case 'look':
      return 'The “Needs a look” filter is look=1.';
    default:
      return message;
  }
}

/** The query string parameters of a view, defaults left out so links stay canonical. */
export function sessionsParams(q: SessionsQuery): Record<string, string | number | undefined> {
  return {
    user_id: q.userId,
    client_id: q.clientId,
    status: q.status === DEFAULT_STATUS ? undefined : q.status,
    limit: q.limit === DEFAULT_LIMIT ? undefined : q.limit,
    offset: q.offset || undefined,
    look: q.look ? '1' : undefined,
  };
}

/** A link to a view with some fields changed; changing the status goes back to the first page. */
export function sessionsHref(q: SessionsQuery, changes: Partial<SessionsQuery> = {}): string {
  const next: SessionsQuery = { ...q, ...changes };
  if ((changes.status !== undefined || changes.look !== undefined) && changes.offset === undefined)
    next.offset = 0;
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
