import 'server-only';
import { runInLane } from '@/lib/clerk/lane';
import { listSessions } from '@/lib/clerk/sessions';
import { listRecentlyActiveUsers } from '@/lib/clerk/users';
import type { SessionDto } from '@/lib/clerk/dto';
import type { BackfillDeps } from '@/lib/session-index/backfill';
import type { SessionIndexInput } from '@/lib/session-index/types';

const SESSION_PAGE = 500;

export function sessionInputFromDto(
  s: SessionDto,
  user: { name: string | null; email: string | null },
): SessionIndexInput {
  const a = s.latestActivity;
  return {
    sessionId: s.id,
    userId: s.userId,
    clientId: s.clientId || null,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    lastActiveAt: s.lastActiveAt,
    expireAt: s.expireAt,
    ip: a?.ipAddress ?? null,
    city: a?.city ?? null,
    country: a?.country ?? null,
    deviceType: a?.deviceType ?? null,
    browserName: a?.browserName ?? null,
    browserVersion: a?.browserVersion ?? null,
    isMobile: a ? a.isMobile : null,
    actor: s.actor ? JSON.stringify(s.actor) : null,
    userName: user.name,
    userEmail: user.email,
  };
}

/** The fill's reads, in the background lane of the shared Clerk budget. */
export function clerkBackfillDeps(): BackfillDeps {
  const names = new Map<string, { name: string | null; email: string | null }>();
  let remaining: number | null = null;
  return {
    now: Date.now,
    remaining: () => remaining,
    listUsers: (before, limit) =>
      runInLane({ lane: 'background' }, async () => {
        const page = await listRecentlyActiveUsers({ since: 0, before, limit });
        remaining = page.totalCount;
        return page.data.map((u) => {
          const user = { name: u.displayName || null, email: u.primaryEmail };
          names.set(u.id, user);
          return { id: u.id, lastActiveAt: u.lastActiveAt, ...user };
        });
      }),
    listSessions: (userId) =>
      runInLane({ lane: 'background' }, async () => {
        const out: SessionIndexInput[] = [];
        const user = names.get(userId) ?? { name: null, email: null };
        names.delete(userId);
        for (let offset = 0; ; offset += SESSION_PAGE) {
          const page = await listSessions({ userId, status: 'all', limit: SESSION_PAGE, offset });
          out.push(...page.data.map((s) => sessionInputFromDto(s, user)));
          if (page.data.length < SESSION_PAGE || out.length >= page.totalCount) return out;
        }
      }),
  };
}
