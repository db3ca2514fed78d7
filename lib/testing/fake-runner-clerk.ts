// Test helper: an in-memory Clerk for job runners, staff rows for the store, and job builders.
import { ConsoleApiError } from '@/lib/clerk/errors';
import { currentLane } from '@/lib/clerk/lane';
import type { SessionDto } from '@/lib/clerk/dto';
import type { Db } from '@/lib/db';
import type { RunnerClerk } from '@/lib/jobs/runner';
import type { NewJob } from '@/lib/jobs/store/lifecycle';

export const actor = { staffId: 'staff_1', email: 'support@example.com', role: 'support' };

/** An in-memory Clerk: counts every revoke per session so a double revoke cannot hide. */
export function fakeClerk(ids: string[], userId = 'user_a', pageSize = 500) {
  const sessions = new Map<string, SessionDto>();
  for (const id of ids) sessions.set(id, session(id, userId));
  const revokes = new Map<string, number>();
  const lanes = new Set<string>();
  let failNext: (() => never) | null = null;
  let failPage: ((offset: number) => void) | null = null;
  const pages: number[] = [];
  const hooks: { beforeRevoke?: (id: string) => Promise<void> } = {};
  const clerk: RunnerClerk = {
    async revokeSession(id) {
      lanes.add(currentLane().lane);
      if (failNext) {
        const f = failNext;
        failNext = null;
        f();
      }
      await hooks.beforeRevoke?.(id);
      await Promise.resolve();
      revokes.set(id, (revokes.get(id) ?? 0) + 1);
      const s = sessions.get(id);
      if (!s) throw new ConsoleApiError({ kind: 'not_found', userMessage: 'Session not found.' });
      if (s.status !== 'active')
        throw new ConsoleApiError({ kind: 'already_revoked', userMessage: 'no longer active' });
      const next = { ...s, status: 'revoked' as const, updatedAt: Date.now() };
      sessions.set(id, next);
      return next;
    },
    async getSession(id) {
      lanes.add(currentLane().lane);
      const s = sessions.get(id);
      if (!s) throw new ConsoleApiError({ kind: 'not_found', userMessage: 'Session not found.' });
      return s;
    },
    async activeSessionsPage(uid, offset) {
      pages.push(offset);
      if (failPage) {
        const f = failPage;
        failPage = null;
        f(offset);
      }
      const all = [...sessions.values()].filter((s) => s.userId === uid && s.status === 'active');
      const page = all.slice(offset, offset + pageSize);
      return {
        sessions: page.map((s) => ({ sessionId: s.id, userId: s.userId })),
        next: offset + pageSize < all.length ? offset + pageSize : null,
      };
    },
    async activeSessionsOfClient(cid) {
      return [...sessions.values()]
        .filter((s) => s.clientId === cid && s.status === 'active')
        .map((s) => ({ sessionId: s.id, userId: s.userId }));
    },
  };
  return {
    clerk,
    sessions,
    revokes,
    lanes,
    pages,
    hooks,
    failPageOnce(e: ConsoleApiError) {
      failPage = () => {
        throw e;
      };
    },
    failOnce(e: ConsoleApiError) {
      failNext = () => {
        throw e;
      };
    },
  };
}

export function session(id: string, userId: string, status: SessionDto['status'] = 'active'): SessionDto {
  return {
    id,
    userId,
    clientId: 'client_x',
    status,
    lastActiveAt: 0,
    expireAt: 0,
    abandonAt: 0,
    createdAt: 0,
    updatedAt: Date.now() - 60_000,
    lastActiveOrganizationId: null,
    actor: null,
    latestActivity: null,
  };
}

export const ids = (n: number, prefix = 's') => Array.from({ length: n }, (_, i) => `sess_${prefix}${i}`);

export function sessionsJob(
  sessionIds: string[],
  key = crypto.randomUUID(),
  by: typeof actor = actor,
  userId: string | null = 'user_a',
): NewJob {
  return {
    idempotencyKey: key,
    kind: 'sessions',
    scope: { sessionIds: sessionIds.slice(0, 5) },
    reason: 'unit test: stolen laptop',
    actor: by,
    permission: 'sessions:revoke',
    sessions: sessionIds.map((sessionId) => ({ sessionId, userId })),
    expand: [],
  };
}

/** A staff member of the console (the runner re-checks the acting member of every job against this table). */
export async function addStaff(
  db: Db,
  role: 'viewer' | 'support' | 'admin',
  id = `staff_${crypto.randomUUID()}`,
) {
  const at = new Date().toISOString();
  await db
    .insertInto('staff')
    .values({
      id,
      email: `${id}@example.com`,
      role,
      password_hash: null,
      source: 'password',
      disabled: 0,
      session_version: 0,
      created_at: at,
      updated_at: at,
      last_sign_in_at: null,
      oidc_issuer: null,
      oidc_subject: null,
    })
    .execute();
  return { staffId: id, email: `${id}@example.com`, role };
}
