import 'server-only';
import { getSession, listSessions, revokeSession } from '@/lib/clerk/sessions';
import { getClient } from '@/lib/clerk/users';
import type { RunnerClerk } from '@/lib/jobs/runner';

const PAGE = 500;

// The runner revokes only after the last page, so its revocations never shift the offsets it pages by.
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
