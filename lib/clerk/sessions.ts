import 'server-only';
import { z } from 'zod';
import { callClerk } from './client';
import { toSessionDto, type SessionDto } from './dto';
import { ConsoleApiError, MESSAGES, invalidInput } from './errors';
import { clientIdSchema, sessionIdSchema, userIdSchema } from './ids';
import { LIST_STATUSES, type ListStatus } from '@/lib/vocabulary';

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

const UPSTREAM_PAGE = 500;
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

// Clerk rejects `pending` as a list filter: scan the unfiltered list; past page + 1, totalCount is a floor.
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

// A 400 is checked against the session's state before it is called "already revoked".
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
