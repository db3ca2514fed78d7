import 'server-only';
import pMap from 'p-map';
import { invalidInput } from '@/lib/clerk/errors';
import { runInLane } from '@/lib/clerk/lane';
import { lookUpUsers, type ResolvedUser } from '@/lib/clerk/users';
import { MAX_INCIDENT_LINES } from '@/lib/jobs/types';
import { activeCount, COUNT_CONCURRENCY, signPlan } from '@/lib/jobs/plan';
import { INCIDENT_COUNT_MAX_USERS, type PlanCounts } from '@/lib/jobs/types';
import { USER_ID } from '@/lib/vocabulary';

export type IncidentMiss = 'not_found' | 'not_an_identifier' | 'unverified' | 'ambiguous';

export interface IncidentResolution {
  found: {
    input: string;
    userId: string;
    name: string;
    email: string | null;
    activeSessions: number | null;
  }[];
  notFound: { input: string; why: IncidentMiss }[];
  duplicates: number;
  users: number;
  activeSessions: number | null;
  counts: PlanCounts;
  plan: string | null;
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+$/;

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

export type IncidentProgress =
  | { phase: 'parsed'; lines: number; identifiers: number }
  | { phase: 'looking_up'; done: number; total: number }
  | { phase: 'counting'; users: number };

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
  const ids = entries.filter((e) => USER_ID.test(e));
  const notFound: IncidentResolution['notFound'] = entries
    .filter((e) => !EMAIL.test(e) && !USER_ID.test(e))
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
      ? new Map(
          (await pMap(uniqueIds, activeCount, { concurrency: COUNT_CONCURRENCY })).map((c) => [
            c.userId,
            c.count,
          ]),
        )
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
