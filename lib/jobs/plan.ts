import 'server-only';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ConsoleApiError, invalidInput } from '@/lib/clerk/errors';
import { runInLane } from '@/lib/clerk/lane';
import { getSession, listSessions } from '@/lib/clerk/sessions';
import { lookUpUsers, type ResolvedUser } from '@/lib/clerk/users';
import { getEnv } from '@/lib/env';
import type { StaffContext } from '@/lib/auth/require-staff';
import { ssoStepUpFresh } from '@/lib/auth/step-up';
import type { JobStepUp } from '@/lib/jobs/policy';
import { activeSessionsOfClient } from '@/lib/jobs/clerk-ops';
import { MAX_INCIDENT_LINES, type JobTarget } from '@/lib/jobs/inputs';
import { INCIDENT_COUNT_MAX_USERS, MAX_JOB_SESSIONS, type PlanCounts } from '@/lib/jobs/types';
import { plural } from '@/lib/plural';
import type { NewJob } from '@/lib/jobs/store/lifecycle';

export interface DryRun {
  sessions: number;
  users: number;
  /** The first few sessions the job would revoke. */
  sample: { sessionId: string; userId: string | null }[];
  /** Signed summary of this dry run: creating the job checks the typed count against it. */
  plan: string;
}

const SAMPLE = 5;
const OWNER_PAGE = 500;
const COUNT_CONCURRENCY = 8;
const PLAN_TTL_MS = 30 * 60_000;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
    }),
  );
  return out;
}

/**
 * Everything a job over `t` will do, in one canonical form: the kind, every id (deduplicated, sorted), the user
 * named, the session kept and the client. A plan signed for one of these is worth nothing for any other.
 */
export function targetHash(t: JobTarget): string {
  const ids = t.kind === 'sessions' ? t.sessionIds : t.kind === 'users' ? t.userIds : ([] as string[]);
  const canonical = {
    kind: t.kind,
    ids: [...new Set(ids)].sort(),
    userId: t.kind === 'sessions' || t.kind === 'user_except' ? (t.userId ?? null) : null,
    keepSessionId: t.kind === 'user_except' ? t.keepSessionId : null,
    clientId: t.kind === 'client' ? t.clientId : null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

function sign(body: string): string {
  return createHmac('sha256', `jobs-plan:${getEnv().authSecret}`).update(body).digest('base64url');
}

/** What a verified plan holds: the dry run's counts, and whether it came from the incident form. */
export interface VerifiedPlan extends PlanCounts {
  incident: boolean;
}

export function signPlan(
  t: JobTarget,
  staffId: string,
  counts: PlanCounts,
  opts: { incident?: boolean } = {},
): string {
  const body = Buffer.from(
    JSON.stringify({
      h: targetHash(t),
      s: staffId,
      n: counts.sessions,
      u: counts.users,
      i: opts.incident === true,
      e: Date.now() + PLAN_TTL_MS,
    }),
  ).toString('base64url');
  return `${body}.${sign(body)}`;
}

/** The counts a dry run of exactly this target, by this staff member, found; null if forged, stale or another's. */
export function verifyPlan(plan: string, t: JobTarget, staffId: string): VerifiedPlan | null {
  const [body, mac] = plan.split('.');
  if (!body || !mac) return null;
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (p.h !== targetHash(t) || p.s !== staffId || typeof p.e !== 'number' || p.e < Date.now()) return null;
    if ((typeof p.n !== 'number' && p.n !== null) || typeof p.u !== 'number') return null;
    return { sessions: p.n, users: p.u, incident: p.i === true };
  } catch {
    return null;
  }
}

/**
 * How many of `sessionIds` are not active sessions of `userId`, from one paged list of that user's active
 * sessions (stopping once every id is seen). The browser names the user; Clerk's list is what counts.
 */
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

async function activeCount(userId: string) {
  const page = await listSessions({ userId, status: 'active', limit: SAMPLE, offset: 0 });
  return {
    userId,
    count: page.totalCount,
    sample: page.data.map((s) => ({ sessionId: s.id, userId: s.userId })),
  };
}

/**
 * What a job over `t` would revoke right now: how many sessions of how many users, and the first few. Reads
 * only. "Except this device" checks that the kept session is the user's and still active.
 */
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
        const counts = await mapLimit([...new Set(t.userIds)], COUNT_CONCURRENCY, activeCount);
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

/** The items a new job over `t` starts with: sessions as given, users and clients to expand by the runner. */
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

/**
 * Why a line matched nobody: no user; not an email or id; an address only on an account that never verified it;
 * or a verified address two users hold (never guessed between them).
 */
export type IncidentMiss = 'not_found' | 'not_an_identifier' | 'unverified' | 'ambiguous';

export interface IncidentResolution {
  /** activeSessions is null when the list was too long to count first. */
  found: {
    input: string;
    userId: string;
    name: string;
    email: string | null;
    activeSessions: number | null;
  }[];
  notFound: { input: string; why: IncidentMiss }[];
  duplicates: number;
  /** Distinct users found. */
  users: number;
  /** Their active sessions, or null: counted by the job as it expands (more than INCIDENT_COUNT_MAX_USERS). */
  activeSessions: number | null;
  /** What the signed plan holds, so the form asks for the same confirmation the action checks. */
  counts: PlanCounts;
  plan: string | null;
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+$/;
const USER = /^user_[A-Za-z0-9]{1,64}$/;

/** One identifier per line, or the first column of a CSV (a header row naming email or id is skipped). */
export function parseIncidentList(text: string): { entries: string[]; duplicates: number } {
  const seen = new Set<string>();
  const entries: string[] = [];
  let duplicates = 0;
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    let v = line.split(/[,;\t]/)[0]?.trim() ?? '';
    v = v.replace(/^"(.*)"$/, '$1').trim();
    if (!v) return;
    if (i === 0 && /^(e-?mail|email_address|user_?id|id|identifier)$/i.test(v)) return;
    const key = v.includes('@') ? v.toLowerCase() : v;
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    entries.push(v);
  });
  return { entries, duplicates };
}

/**
 * Which user each email and id names. An email matches a user only through a verified address; an address
 * verified on two accounts is ambiguous, and one that only sits unverified on accounts is reported as such.
 */
export function matchIncident(
  emails: readonly string[],
  ids: readonly string[],
  users: readonly ResolvedUser[],
): { matched: { input: string; userId: string }[]; missed: IncidentResolution['notFound'] } {
  const verified = new Map<string, Set<string>>();
  const unverified = new Set<string>();
  const known = new Set<string>();
  for (const u of users) {
    known.add(u.user.id);
    for (const e of u.emails) {
      const holders = verified.get(e) ?? new Set<string>();
      holders.add(u.user.id);
      verified.set(e, holders);
    }
    for (const e of u.unverifiedEmails) unverified.add(e);
  }
  const matched: { input: string; userId: string }[] = [];
  const missed: IncidentResolution['notFound'] = [];
  for (const e of emails) {
    const holders = verified.get(e);
    if (holders?.size === 1) matched.push({ input: e, userId: [...holders][0]! });
    else if (holders && holders.size > 1) missed.push({ input: e, why: 'ambiguous' });
    else missed.push({ input: e, why: unverified.has(e) ? 'unverified' : 'not_found' });
  }
  for (const id of ids) {
    if (known.has(id)) matched.push({ input: id, userId: id });
    else missed.push({ input: id, why: 'not_found' });
  }
  return { matched, missed };
}

/** Progress of one incident resolution: lines read, then identifiers looked up so far, then sessions counted. */
export type IncidentProgress =
  | { phase: 'parsed'; lines: number; identifiers: number }
  | { phase: 'looking_up'; done: number; total: number }
  | { phase: 'counting'; users: number };

/**
 * Resolves an incident list to users, in the bulk lane: found ones with their active session count, and every
 * line that matched nobody, so nothing is dropped without a word.
 */
export async function resolveIncident(
  text: string,
  staffId: string,
  onProgress?: (p: IncidentProgress) => void,
): Promise<IncidentResolution> {
  const { entries, duplicates } = parseIncidentList(text);
  if (entries.length > MAX_INCIDENT_LINES)
    throw invalidInput(
      'any',
      `Paste ${MAX_INCIDENT_LINES.toLocaleString('en-US')} emails or user ids at most.`,
    );
  const emails = [...new Set(entries.filter((e) => EMAIL.test(e)).map((e) => e.toLowerCase()))];
  const ids = entries.filter((e) => USER.test(e));
  const notFound: IncidentResolution['notFound'] = entries
    .filter((e) => !EMAIL.test(e) && !USER.test(e))
    .map((input) => ({ input: input.slice(0, 200), why: 'not_an_identifier' as const }));
  onProgress?.({ phase: 'parsed', lines: entries.length, identifiers: emails.length + ids.length });
  return runInLane({ lane: 'bulk', staffId }, async () => {
    const users = await lookUpUsers({ emails, userIds: ids }, (done, total) =>
      onProgress?.({ phase: 'looking_up', done, total }),
    );
    const byId = new Map(users.map((u) => [u.user.id, u]));
    const { matched, missed } = matchIncident(emails, ids, users);
    notFound.push(...missed);
    const uniqueIds = [...new Set(matched.map((m) => m.userId))];
    const counted = uniqueIds.length <= INCIDENT_COUNT_MAX_USERS;
    if (counted && uniqueIds.length) onProgress?.({ phase: 'counting', users: uniqueIds.length });
    const counts = counted
      ? new Map((await mapLimit(uniqueIds, COUNT_CONCURRENCY, activeCount)).map((c) => [c.userId, c.count]))
      : null;
    const found = matched.map((m) => {
      const u = byId.get(m.userId)!.user;
      return {
        input: m.input,
        userId: m.userId,
        name: u.displayName,
        email: u.primaryEmail,
        activeSessions: counts ? (counts.get(m.userId) ?? 0) : null,
      };
    });
    const activeSessions = counts ? uniqueIds.reduce((n, id) => n + (counts.get(id) ?? 0), 0) : null;
    const planCounts: PlanCounts = counts
      ? { sessions: activeSessions, users: uniqueIds.filter((id) => (counts.get(id) ?? 0) > 0).length }
      : { sessions: null, users: uniqueIds.length };
    return {
      found,
      notFound,
      duplicates,
      users: uniqueIds.length,
      activeSessions,
      counts: planCounts,
      plan: uniqueIds.length
        ? signPlan({ kind: 'users', userIds: uniqueIds }, staffId, planCounts, { incident: true })
        : null,
    };
  });
}

/** What the start form must ask of this staff member when the job needs step-up. */
export function stepUpFor(staff: StaffContext, needed: boolean): JobStepUp {
  if (!needed) return null;
  return staff.provider === 'oidc' ? { kind: 'sso', fresh: ssoStepUpFresh(staff) } : { kind: 'password' };
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ConsoleApiError && e.kind === 'not_found';
}
