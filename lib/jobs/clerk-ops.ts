import 'server-only';
import { getSession, listSessions, revokeSession } from '@/lib/clerk/sessions';
import { getClient } from '@/lib/clerk/users';
import type { RunnerClerk } from '@/lib/jobs/runner';

const PAGE = 500;
/** A user with more active sessions than this is refused rather than half revoked. */
export const MAX_SESSIONS_PER_USER = 50_000;

/**
 * Every active session id of a user, read in full before any of them is revoked: revoking while paging would
 * shift the offsets and skip sessions.
 */
export async function activeSessionsOfUser(userId: string) {
  const out: { sessionId: string; userId: string | null }[] = [];
  for (let offset = 0; offset < MAX_SESSIONS_PER_USER; offset += PAGE) {
    const page = await listSessions({ userId, status: 'active', limit: PAGE, offset });
    out.push(...page.data.map((s) => ({ sessionId: s.id, userId: s.userId })));
    if (page.data.length < PAGE || out.length >= page.totalCount) break;
  }
  return out;
}

export async function activeSessionsOfClient(clientId: string) {
  const client = await getClient(clientId);
  return client.sessions
    .filter((s) => s.status === 'active')
    .map((s) => ({ sessionId: s.id, userId: s.userId }));
}

export const clerkRunnerOps: RunnerClerk = {
  revokeSession,
  getSession,
  activeSessionsOfUser,
  activeSessionsOfClient,
};
