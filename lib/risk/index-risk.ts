import 'server-only';
import type { Db } from '@/lib/db';
import type { SessionDto } from '@/lib/clerk/dto';
import { isSessionStatus } from '@/lib/clerk/dto';
import { toCount } from '@/lib/db/values';
import { userHistory } from '@/lib/session-index/history';
import { fromRow } from '@/lib/session-index/store';
import type { IndexedSession } from '@/lib/session-index/types';
import type { GeoLookup } from './geo';
import { computeSignals, newAgainstBaseline, signalsOnArrival } from './signals';
import type { RiskSignal } from './types';
import type { Severity, SignalKind } from '@/lib/vocabulary';

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

/** An indexed session shaped as the Sessions API's DTO (the fields risk signals read). */
export function dtoFromIndexed(r: IndexedSession): SessionDto {
  const hasActivity = r.ip || r.city || r.country || r.deviceType || r.browserName;
  return {
    id: r.sessionId,
    userId: r.userId,
    clientId: r.clientId ?? '',
    status: isSessionStatus(r.status) ? r.status : 'ended',
    lastActiveAt: r.lastActiveAt ?? r.createdAt,
    expireAt: r.expireAt ?? 0,
    abandonAt: 0,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    lastActiveOrganizationId: null,
    actor: actorOf(r.actor),
    latestActivity: hasActivity
      ? {
          deviceType: r.deviceType,
          browserName: r.browserName,
          browserVersion: r.browserVersion,
          isMobile: Boolean(r.isMobile),
          ipAddress: r.ip,
          city: r.city,
          country: r.country,
        }
      : null,
  };
}

/** A user's whole history in the index (tests and benchmarks compare against it; reads never need it). */
export async function indexedSessionsOf(db: Db, userId: string): Promise<SessionDto[]> {
  const rows = await db
    .selectFrom('session_index')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('session_id', 'asc')
    .execute();
  return rows.map((r) => dtoFromIndexed(fromRow(r)));
}

export interface StoredSignal extends RiskSignal {
  userId: string;
  computedAt: number;
}

export async function storedSignalsOf(db: Db, userId: string): Promise<StoredSignal[]> {
  const rows = await db.selectFrom('session_signals').selectAll().where('user_id', '=', userId).execute();
  return rows.map((r) => ({
    sessionId: r.session_id,
    userId: r.user_id,
    kind: r.kind as SignalKind,
    severity: r.severity as Severity,
    evidence: r.evidence,
    fingerprint: r.fingerprint,
    computedAt: toCount(r.computed_at),
  }));
}

const keyOf = (s: { sessionId: string; kind: string }) => `${s.sessionId}|${s.kind}`;

/** Writes only what changed, so a delivery that changes no signal writes nothing here. */
async function replaceUserSignals(
  db: Db,
  userId: string,
  before: readonly StoredSignal[],
  after: readonly RiskSignal[],
  now: number,
): Promise<void> {
  const next = new Map(after.map((s) => [keyOf(s), s]));
  const gone = before.filter((s) => !next.has(keyOf(s)));
  const prev = new Map(before.map((s) => [keyOf(s), s]));
  const changed = after.filter((s) => {
    const p = prev.get(keyOf(s));
    return !p || p.severity !== s.severity || p.evidence !== s.evidence || p.fingerprint !== s.fingerprint;
  });
  if (gone.length === 0 && changed.length === 0) return;
  await db.transaction().execute(async (tx) => {
    for (const s of gone)
      await tx
        .deleteFrom('session_signals')
        .where('session_id', '=', s.sessionId)
        .where('kind', '=', s.kind)
        .execute();
    if (changed.length === 0) return;
    await tx
      .insertInto('session_signals')
      .values(
        changed.map((s) => ({
          session_id: s.sessionId,
          kind: s.kind,
          user_id: userId,
          severity: s.severity,
          evidence: s.evidence,
          fingerprint: s.fingerprint,
          computed_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['session_id', 'kind']).doUpdateSet((eb) => ({
          user_id: eb.ref('excluded.user_id'),
          severity: eb.ref('excluded.severity'),
          evidence: eb.ref('excluded.evidence'),
          fingerprint: eb.ref('excluded.fingerprint'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  });
}

const WHOLE_HISTORY_UP_TO = 200;

const located = (r: IndexedSession) => r.country !== null && r.lastActiveAt !== null;
const pointOf = (r: IndexedSession) => ({ sessionId: r.sessionId, at: r.lastActiveAt as number });

/**
 * A user's signals after some of their sessions changed, from the live sessions, the stored baseline summary
 * and the changed sessions' neighbours: a few indexed reads whatever the length of the history.
 */
export async function updateUserSignals(
  db: Db,
  userId: string,
  changed: readonly IndexedSession[],
  opts: { now: number; geo: GeoLookup; wholeUpTo?: number },
): Promise<RiskSignal[]> {
  const history = userHistory(db);
  const size = await history.count(userId);
  // Up to a few hundred sessions (and for a backfill page, which brings the history at once) one read of the whole
  // history is cheaper than the few targeted ones; the result is the same (lib/risk/on-arrival.test.ts).
  if (size <= (opts.wholeUpTo ?? WHOLE_HISTORY_UP_TO) || changed.length * 2 >= size) {
    const [signals, stored] = await Promise.all([
      signalsOfWholeHistory(db, userId, opts),
      storedSignalsOf(db, userId),
    ]);
    await replaceUserSignals(db, userId, stored, signals, opts.now);
    return signals;
  }
  const [liveRows, firsts, stored] = await Promise.all([
    history.live(userId),
    history.firsts(userId),
    storedSignalsOf(db, userId),
  ]);
  const live = new Map(liveRows.map((r) => [r.sessionId, r]));
  const heldTravel = stored
    .filter((s) => s.kind === 'impossible_travel' && live.has(s.sessionId))
    .map((s) => live.get(s.sessionId) as IndexedSession);
  const seeds = new Map([...changed, ...heldTravel].filter(located).map((r) => [r.sessionId, r]));
  const ring = await history.neighbours(userId, [...seeds.values()].map(pointOf));
  const targets = new Set([...seeds.keys(), ...ring.map((r) => r.sessionId)].filter((id) => live.has(id)));
  const outer = await history.neighbours(
    userId,
    ring.filter((r) => live.has(r.sessionId) && !seeds.has(r.sessionId) && located(r)).map(pointOf),
  );
  const liveDtos = liveRows.map(dtoFromIndexed);
  const candidates = newAgainstBaseline(liveDtos, firsts);
  const olderCounts = await history.olderCounts(
    userId,
    candidates.map((s) => s.createdAt),
  );
  const judged = signalsOnArrival(
    {
      live: liveDtos,
      travelTargets: targets,
      near: [...seeds.values(), ...ring, ...outer].map(dtoFromIndexed),
      firsts,
      olderCounts,
    },
    opts,
  );
  await replaceUserSignals(db, userId, stored, judged, opts.now);
  return judged;
}

/** Each user whose sessions arrived, once: their signals from what changed (see updateUserSignals). */
export async function signalsFromEvents(
  db: Db,
  rows: readonly IndexedSession[],
  opts: { now: number; geo: GeoLookup; wholeUpTo?: number },
): Promise<Map<string, RiskSignal[]>> {
  const byUser = new Map<string, IndexedSession[]>();
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
  const out = new Map<string, RiskSignal[]>();
  for (const [userId, changed] of byUser) out.set(userId, await updateUserSignals(db, userId, changed, opts));
  return out;
}

/** The whole-history computation, for tests that check the incremental one against it. */
export async function signalsOfWholeHistory(
  db: Db,
  userId: string,
  opts: { now: number; geo: GeoLookup },
): Promise<RiskSignal[]> {
  return computeSignals(await indexedSessionsOf(db, userId), opts);
}
