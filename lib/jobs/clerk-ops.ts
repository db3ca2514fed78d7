import 'server-only';
import { getSession, listSessions, revokeSession } from '@/lib/clerk/sessions';
import { getClient } from '@/lib/clerk/users';
import type { RunnerClerk } from '@/lib/jobs/runner';

const PAGE = 500;

/**
 * One page of a user's active sessions. The runner stores each page with the next offset and holds the sessions
 * it found until the last page, so nothing it revokes shifts the offsets under it; the job's cap is
 * MAX_JOB_SESSIONS, not a per-user stop.
 */
export async function activeSessionsPage(userId: string, offset: number) {
  const page = await listSessions({ userId, status: 'active', limit: PAGE, offset });
  const sessions = page.data.map((s) => ({ sessionId: s.id, userId: s.userId }));
  const last = page.data.length < PAGE || offset + page.data.length >= page.totalCount;
  return { sessions, next: last ? null : offset + PAGE };
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
  activeSessionsPage,
  activeSessionsOfClient,
};
