import 'server-only';
import pMap from 'p-map';
import { invalidInput } from '@/lib/clerk/errors';
import { runInLane } from '@/lib/clerk/lane';
import { getSession, listSessions } from '@/lib/clerk/sessions';
import type { StaffContext } from '@/lib/auth/require-staff';
import { ssoStepUpFresh } from '@/lib/auth/step-up';
import type { JobStepUp } from '@/lib/jobs/policy';
import { activeSessionsOfClient } from '@/lib/jobs/clerk-ops';
import type { JobTarget } from '@/lib/jobs/inputs';
import { MAX_JOB_SESSIONS } from '@/lib/jobs/types';
import { plural } from '@/lib/vocabulary';
import type { NewJob } from '@/lib/jobs/store/lifecycle';
import { signPlan } from '@/lib/jobs/signing';

export { signPlan, targetHash, verifyPlan, type VerifiedPlan } from '@/lib/jobs/signing';

export interface DryRun {
  sessions: number;
  users: number;
  sample: { sessionId: string; userId: string | null }[];
  plan: string;
}

const SAMPLE = 5;
const OWNER_PAGE = 500;
export const COUNT_CONCURRENCY = 8;

// The browser names the user; Clerk's list of that user's active sessions is what counts.
export async function sessionsNotOwnedBy(userId: string, sessionIds: readonly string[]): Promise<number> {
  const missing = new Set(sessionIds);
  for (let offset = 0; missing.size > 0 && offset < MAX_JOB_SESSIONS; offset += OWNER_PAGE) {
    const page = await listSessions({ userId, status: 'active', limit: OWNER_PAGE, offset });
    for (const s of page.data) if (s.userId === userId) missing.delete(s.id);
    if (page.data.length < OWNER_PAGE || offset + OWNER_PAGE >= page.totalCount) break;
  }
  return missing.size;
}

export function notOwnedMessage(notOwned: number, chosen: number): string {
  return `${notOwned} of the ${plural(chosen, 'chosen session')} ${notOwned === 1 ? 'is not an active session' : 'are not active sessions'} of this user: nothing was started. Reload the list and choose again.`;
}

export async function activeCount(userId: string) {
  const page = await listSessions({ userId, status: 'active', limit: SAMPLE, offset: 0 });
  return {
    userId,
    count: page.totalCount,
    sample: page.data.map((s) => ({ sessionId: s.id, userId: s.userId })),
  };
}

export async function dryRun(t: JobTarget, staffId: string): Promise<DryRun> {
  const lane = t.kind === 'users' && t.userIds.length > 10 ? 'bulk' : 'interactive';
  return runInLane({ lane, staffId }, async () => {
    let sessions: number;
    let users: number;
    let sample: DryRun['sample'];
    switch (t.kind) {
      case 'sessions': {
        const ids = [...new Set(t.sessionIds)];
        if (t.userId) {
          const notOwned = await sessionsNotOwnedBy(t.userId, ids);
          if (notOwned) throw invalidInput('session', notOwnedMessage(notOwned, ids.length));
        }
        sessions = ids.length;
        users = t.userId ? 1 : 0;
        sample = ids.slice(0, SAMPLE).map((sessionId) => ({ sessionId, userId: t.userId ?? null }));
        break;
      }
      case 'users': {
        const counts = await pMap(new Set(t.userIds), activeCount, { concurrency: COUNT_CONCURRENCY });
        sessions = counts.reduce((n, c) => n + c.count, 0);
        users = counts.filter((c) => c.count > 0).length;
        sample = counts.flatMap((c) => c.sample).slice(0, SAMPLE);
        break;
      }
      case 'client': {
        const active = await activeSessionsOfClient(t.clientId);
        sessions = active.length;
        users = new Set(active.map((s) => s.userId)).size;
        sample = active.slice(0, SAMPLE);
        break;
      }
      case 'user_except': {
        const kept = await getSession(t.keepSessionId);
        if (kept.userId !== t.userId)
          throw invalidInput('session', 'The session to keep does not belong to this user.');
        if (kept.status !== 'active')
          throw invalidInput('session', 'The session to keep is no longer active.');
        const page = await listSessions({ userId: t.userId, status: 'active', limit: SAMPLE + 1, offset: 0 });
        sessions = Math.max(0, page.totalCount - 1);
        users = sessions > 0 ? 1 : 0;
        sample = page.data
          .filter((s) => s.id !== t.keepSessionId)
          .slice(0, SAMPLE)
          .map((s) => ({ sessionId: s.id, userId: s.userId }));
        break;
      }
    }
    return { sessions, users, sample, plan: signPlan(t, staffId, { sessions, users }) };
  });
}

export function jobItems(t: JobTarget): Pick<NewJob, 'kind' | 'scope' | 'sessions' | 'expand'> {
  switch (t.kind) {
    case 'sessions':
      return {
        kind: 'sessions',
        scope: {
          sessionIds: [...new Set(t.sessionIds)].slice(0, 20),
          ...(t.userId ? { userIds: [t.userId] } : {}),
        },
        sessions: [...new Set(t.sessionIds)].map((sessionId) => ({ sessionId, userId: t.userId ?? null })),
        expand: [],
      };
    case 'users':
      return {
        kind: 'users',
        scope: { userIds: [...new Set(t.userIds)].slice(0, 20) },
        sessions: [],
        expand: [...new Set(t.userIds)].map((target) => ({ kind: 'user' as const, target })),
      };
    case 'client':
      return {
        kind: 'client',
        scope: { clientId: t.clientId },
        sessions: [],
        expand: [{ kind: 'client', target: t.clientId }],
      };
    case 'user_except':
      return {
        kind: 'user_except',
        scope: { userIds: [t.userId], keepSessionId: t.keepSessionId },
        sessions: [],
        expand: [{ kind: 'user', target: t.userId }],
      };
  }
}

export function stepUpFor(staff: StaffContext, needed: boolean): JobStepUp {
  if (!needed) return null;
  return staff.provider === 'oidc' ? { kind: 'sso', fresh: ssoStepUpFresh(staff) } : { kind: 'password' };
}
