import 'server-only';
import type { Db } from '@/lib/db';
import type { SessionDto } from '@/lib/clerk/dto';
import { isSessionStatus } from '@/lib/clerk/dto';
import type { GeoLookup } from './geo';
import { computeSignals } from './signals';
import type { RiskSignal } from './types';
import type { Severity, SignalKind } from '@/lib/vocabulary';

const n = (v: number | string | null): number | null => (v === null ? null : Number(v));

function actorOf(text: string | null): SessionDto['actor'] {
  if (!text) return null;
  try {
    const a = JSON.parse(text) as { sub?: unknown; iss?: unknown } | null;
    if (!a || typeof a !== 'object') return { sub: null, iss: null };
    return {
      sub: typeof a.sub === 'string' ? a.sub : null,
      iss: typeof a.iss === 'string' ? a.iss : null,
    };
  } catch {
    return { sub: null, iss: null };
  }
}

/** A user's whole history in the index, shaped as the Sessions API's DTO (the fields risk signals read). */
export async function indexedSessionsOf(db: Db, userId: string): Promise<SessionDto[]> {
  const rows = await db
    .selectFrom('session_index')
    .select([
      'session_id',
      'user_id',
      'client_id',
      'status',
      'created_at',
      'updated_at',
      'last_active_at',
      'expire_at',
      'ip',
      'city',
      'country',
      'device_type',
      'browser_name',
      'browser_version',
      'is_mobile',
      'actor',
    ])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('session_id', 'asc')
    .execute();
  return rows.map((r) => {
    const createdAt = Number(r.created_at);
    const hasActivity = r.ip || r.city || r.country || r.device_type || r.browser_name;
    return {
      id: r.session_id,
      userId: r.user_id,
      clientId: r.client_id ?? '',
      status: isSessionStatus(r.status) ? r.status : 'ended',
      lastActiveAt: n(r.last_active_at) ?? createdAt,
      expireAt: n(r.expire_at) ?? 0,
      abandonAt: 0,
      createdAt,
      updatedAt: Number(r.updated_at),
      lastActiveOrganizationId: null,
      actor: actorOf(r.actor),
      latestActivity: hasActivity
        ? {
            deviceType: r.device_type,
            browserName: r.browser_name,
            browserVersion: r.browser_version,
            isMobile: Boolean(r.is_mobile),
            ipAddress: r.ip,
            city: r.city,
            country: r.country,
          }
        : null,
    };
  });
}

/** Replaces the user's stored signals with `signals` in one transaction. */
export async function storeUserSignals(
  db: Db,
  userId: string,
  signals: readonly RiskSignal[],
  now: number,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('session_signals').where('user_id', '=', userId).execute();
    if (signals.length === 0) return;
    await tx
      .insertInto('session_signals')
      .values(
        signals.map((s) => ({
          session_id: s.sessionId,
          kind: s.kind,
          user_id: userId,
          severity: s.severity,
          evidence: s.evidence,
          fingerprint: s.fingerprint,
          computed_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['session_id', 'kind']).doNothing())
      .execute();
  });
}

export async function recomputeUserSignals(
  db: Db,
  userId: string,
  opts: { now: number; geo: GeoLookup },
): Promise<RiskSignal[]> {
  const signals = computeSignals(await indexedSessionsOf(db, userId), opts);
  await storeUserSignals(db, userId, signals, opts.now);
  return signals;
}

/** Each user whose sessions arrived, once: their signals against their whole indexed history. */
export async function signalsFromEvents(
  db: Db,
  rows: readonly { userId: string }[],
  opts: { now: number; geo: GeoLookup },
): Promise<Map<string, RiskSignal[]>> {
  const out = new Map<string, RiskSignal[]>();
  for (const userId of new Set(rows.map((r) => r.userId)))
    out.set(userId, await recomputeUserSignals(db, userId, opts));
  return out;
}

export interface StoredSignal {
  sessionId: string;
  userId: string;
  kind: SignalKind;
  severity: Severity;
  evidence: string;
  fingerprint: string;
  computedAt: number;
}
