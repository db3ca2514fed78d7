import 'server-only';
import { getSession, listSessions, revokeSession } from '@/lib/clerk/sessions';
import { getClient } from '@/lib/clerk/users';
import {
  banUsers,
  disableMfa,
  getAccountState,
  listApiKeys,
  listTrustedDevices,
  lockUser,
  revokeApiKey,
  revokeTrustedDevice,
  setPasswordCompromised,
} from '@/lib/clerk/account';
import type { RunnerAccountClerk, RunnerClerk } from '@/lib/jobs/runner';

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

const API_KEY_PAGE = 100;

export const clerkAccountOps: RunnerAccountClerk = {
  state: getAccountState,
  ban: banUsers,
  lock: lockUser,
  setCompromised: (userId) => setPasswordCompromised(userId, { revokeAllSessions: true }),
  resetMfa: disableMfa,
  apiKeys: async (userId) =>
    (await listApiKeys(userId, { limit: API_KEY_PAGE })).data.filter((k) => !k.revoked),
  revokeApiKey,
  trustedDevices: async (userId) => (await listTrustedDevices(userId)).filter((d) => d.status === 'active'),
  revokeTrustedDevice,
};

export const clerkRunnerOps: RunnerClerk = {
  revokeSession,
  getSession,
  activeSessionsPage,
  activeSessionsOfClient,
  account: clerkAccountOps,
};
