import 'server-only';
import { createHash } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { hmacTag, sameTag } from '@/lib/hmac';
import type { JobTarget } from '@/lib/jobs/inputs';
import type { PlanCounts } from '@/lib/jobs/types';

const PLAN_TTL_MS = 30 * 60_000;

const key = () => `jobs-plan:${getEnv().authSecret}`;

/** A dry run's answer, signed: valid 30 minutes, for the member it was made for. */
export function signBody(payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify({ ...payload, e: Date.now() + PLAN_TTL_MS })).toString('base64url');
  return `${body}.${hmacTag(key(), body)}`;
}

export function openBody(plan: string): Record<string, unknown> | null {
  const [body, mac] = plan.split('.');
  if (!body || !mac || !sameTag(mac, hmacTag(key(), body))) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof p.e === 'number' && p.e >= Date.now() ? p : null;
  } catch {
    return null;
  }
}

// Canonical form of the target: a plan signed for one target is worth nothing for any other.
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

export interface VerifiedPlan extends PlanCounts {
  incident: boolean;
}

export function signPlan(
  t: JobTarget,
  staffId: string,
  counts: PlanCounts,
  opts: { incident?: boolean } = {},
): string {
  return signBody({
    h: targetHash(t),
    s: staffId,
    n: counts.sessions,
    u: counts.users,
    i: opts.incident === true,
  });
}

export function verifyPlan(plan: string, t: JobTarget, staffId: string): VerifiedPlan | null {
  const p = openBody(plan);
  if (!p || p.h !== targetHash(t) || p.s !== staffId) return null;
  if ((typeof p.n !== 'number' && p.n !== null) || typeof p.u !== 'number') return null;
  return { sessions: p.n, users: p.u, incident: p.i === true };
}
