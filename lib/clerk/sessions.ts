import 'server-only';
import { z } from 'zod';
import { callClerk } from './client';
import { toSessionDto, type SessionDto } from './dto';
import { ConsoleApiError, MESSAGES, invalidInput } from './errors';
import { clientIdSchema, sessionIdSchema, userIdSchema } from './ids';
import { LIST_STATUSES, type ListStatus } from '@/lib/sessions/inputs';

/** The console's status filter: Clerk's eight statuses and 'all' (one list, shared with the forms). */
export const SESSION_LIST_STATUSES = LIST_STATUSES;
export type SessionListStatus = ListStatus;

export interface SessionListQuery {
  userId?: string;
  clientId?: string;
  status: SessionListStatus;
  limit: number;
  offset: number;
}

export interface SessionPage {
  data: SessionDto[];
  totalCount: number;
}

/** Clerk's page size ceiling, used when the console has to scan rather than filter upstream. */
const UPSTREAM_PAGE = 500;
/** `pending` scans at most this many upstream pages (the newest 5,000 sessions of the user or client). */
export const PENDING_SCAN_MAX_PAGES = 10;

const listQuerySchema = z.object({
  userId: userIdSchema.optional(),
  clientId: clientIdSchema.optional(),
  status: z.enum(SESSION_LIST_STATUSES),
  limit: z.number().int().min(1).max(500),
  offset: z.number().int().min(0).max(1_000_000),
});

export function parseSessionId(id: unknown): string {
  const parsed = sessionIdSchema.safeParse(id);
  if (!parsed.success) throw invalidInput('session');
  return parsed.data;
}

/**
 * Sessions of exactly one user or one client, newest first. `all` sends no status filter. `pending` is a
 * session status but not one of Clerk's list filters (the API rejects it), so it is answered by scanning the
 * unfiltered list, at most PENDING_SCAN_MAX_PAGES pages of 500, and filtering here: pending sessions are
 * fresh sign-ins, so they sit at the newest end. Its totalCount counts what that scan found: the scan stops
 * once it holds the page and one more, so past that totalCount is a lower bound that still shows a next page.
 */
export async function listSessions(q: SessionListQuery): Promise<SessionPage> {
  const parsed = listQuerySchema.safeParse(q);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    throw field === 'userId'
      ? invalidInput('user')
      : field === 'clientId'
        ? invalidInput('client')
        : invalidInput('any');
  }
  const { userId, clientId, status, limit, offset } = parsed.data;
  if (Boolean(userId) === Boolean(clientId))
    throw invalidInput('any', 'Give either a user id or a client id.');
  const owner = userId ? { userId } : { clientId };

  if (status === 'pending') {
    const pending: SessionDto[] = [];
    for (let page = 0; page < PENDING_SCAN_MAX_PAGES; page++) {
      const res = await callClerk({ write: false, resource: 'session' }, (c) =>
        c.sessions.getSessionList({ ...owner, limit: UPSTREAM_PAGE, offset: page * UPSTREAM_PAGE }),
      );
      for (const s of res.data) if (s.status === 'pending') pending.push(toSessionDto(s));
      if (res.data.length < UPSTREAM_PAGE || (page + 1) * UPSTREAM_PAGE >= res.totalCount) break;
      // The page asked for is full, and one more proves there is a next page: scanning on would only
      // sharpen the count, at up to one upstream request per 500 sessions.
      if (pending.length > offset + limit) break;
    }
    return { data: pending.slice(offset, offset + limit), totalCount: pending.length };
  }

  const res = await callClerk({ write: false, resource: 'session' }, (c) =>
    c.sessions.getSessionList({ ...owner, ...(status === 'all' ? {} : { status }), limit, offset }),
  );
  return { data: res.data.map(toSessionDto), totalCount: res.totalCount };
}

export async function getSession(id: string): Promise<SessionDto> {
  const sessionId = parseSessionId(id);
  const session = await callClerk({ write: false, resource: 'session' }, (c) =>
    c.sessions.getSession(sessionId),
  );
  return toSessionDto(session);
}

/**
 * Revokes one session; never retried (a second revoke answers 400). A 400 is checked against the session's
 * current state before it is called "already revoked", so an unexpected refusal of an active session is
 * reported as such rather than as success-like news.
 */
export async function revokeSession(id: string): Promise<SessionDto> {
  const sessionId = parseSessionId(id);
  try {
    const session = await callClerk({ write: true, resource: 'session' }, (c) =>
      c.sessions.revokeSession(sessionId),
    );
    return toSessionDto(session);
  } catch (e) {
    if (!(e instanceof ConsoleApiError) || e.status !== 400) throw e;
    const upstream = { traceId: e.traceId, status: e.status, clerkCode: e.clerkCode };
    let current: SessionDto;
    try {
      current = await getSession(sessionId);
    } catch (refetch) {
      if (refetch instanceof ConsoleApiError && refetch.kind === 'not_found') throw refetch;
      if (e.kind === 'already_revoked') throw e;
      throw new ConsoleApiError({ ...upstream, kind: 'unknown', userMessage: MESSAGES.unexpected });
    }
    if (current.status === 'active' || current.status === 'pending') {
      throw new ConsoleApiError({ ...upstream, kind: 'unknown', userMessage: MESSAGES.revokeRefused });
    }
    throw new ConsoleApiError({ ...upstream, kind: 'already_revoked', userMessage: MESSAGES.alreadyRevoked });
  }
}
