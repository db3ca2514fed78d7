// Signals judged on arrival (the changed session against the stored baseline, wholeUpTo: 0 forces that way)
// equal the whole-history judgement.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest, postgresForThisFile } from '@/lib/testing/engines';
import { sessionIndex } from '@/lib/session-index/store';
import type { SessionIndexInput } from '@/lib/session-index/types';
import { getGeoIndex } from './geo-data';
import type { GeoLookup } from './geo';
import { signalsFromEvents, signalsOfWholeHistory, storedSignalsOf } from './index-risk';

const pg = postgresForThisFile();
const H = 3_600_000;
const D = 24 * H;
const NOW = Date.parse('2026-12-07T12:00:00.000Z');

let geo: GeoLookup;
beforeAll(async () => {
  geo = await getGeoIndex();
});

const PLACES = [
  { city: 'Villejuif', country: 'FR', ip: '192.0.2.1' },
  { city: 'Paris', country: 'FR', ip: '192.0.2.2' },
  { city: 'Berlin', country: 'DE', ip: '198.51.100.3' },
  { city: 'Lisbon', country: 'PT', ip: '203.0.113.4' },
  { city: 'Tokyo', country: 'JP', ip: '203.0.113.5' },
  { city: null, country: 'CA', ip: '203.0.113.6' },
];
const DEVICES = [
  ['Macintosh', 'Chrome'],
  ['iPhone', 'Safari'],
  ['Windows', 'Firefox'],
] as const;

// A fixed pseudo-random walk: trips, new devices, impersonation, ends and revokes, in an order that repeats.
function history(userId: string, n: number): SessionIndexInput[] {
  let x = 7;
  const next = (m: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % m;
  };
  return Array.from({ length: n }, (_, i) => {
    const place = PLACES[next(10) < 7 ? 0 : next(PLACES.length)]!;
    const [deviceType, browserName] = DEVICES[next(10) < 8 ? 0 : next(DEVICES.length)]!;
    const createdAt = NOW - (n - i) * 9 * H - next(5) * H;
    const lastActiveAt = Math.min(NOW, createdAt + next(40) * H);
    return {
      sessionId: `sess_${userId}_${String(i).padStart(4, '0')}`,
      userId,
      clientId: `client_${i}`,
      status: next(3) === 0 ? 'ended' : 'active',
      createdAt,
      updatedAt: lastActiveAt,
      lastActiveAt,
      expireAt: NOW + 7 * D,
      ...place,
      deviceType,
      browserName,
      browserVersion: '1',
      isMobile: deviceType === 'iPhone',
      actor:
        next(25) === 0 ? JSON.stringify({ sub: 'user_staff', iss: 'https://dashboard.clerk.com' }) : null,
      userName: null,
      userEmail: null,
    };
  });
}

const comparable = (
  list: readonly {
    sessionId: string;
    kind: string;
    severity: string;
    evidence: string;
    fingerprint: string;
  }[],
) => list.map((s) => `${s.sessionId} ${s.kind} ${s.severity} ${s.fingerprint} ${s.evidence}`).sort();

describe.each(TEST_ENGINES)('signals on arrival on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  it('agree with the whole history after every delivery: sign-ins, trips, ends and revokes', async () => {
    const index = sessionIndex(current.db);
    const sessions = history('user_walk', 70);
    const deliveries: SessionIndexInput[] = [
      ...sessions,
      ...sessions.filter((_, i) => i % 4 === 1).map((s) => ({ ...s, status: 'revoked', updatedAt: NOW })),
    ];
    let flagged = 0;
    for (const d of deliveries) {
      const written = await index.upsert(d, { source: 'webhook', now: NOW });
      await signalsFromEvents(current.db, written, { now: NOW, geo, wholeUpTo: 0 });
      const whole = await signalsOfWholeHistory(current.db, 'user_walk', { now: NOW, geo });
      expect(comparable(await storedSignalsOf(current.db, 'user_walk'))).toEqual(comparable(whole));
      flagged = Math.max(flagged, whole.length);
    }
    expect(flagged).toBeGreaterThan(3);
  });

  it('agree when a backfill brings the history at once and a trip comes after', async () => {
    const index = sessionIndex(current.db);
    const [first, ...rest] = [history('user_fill', 120)];
    const written = await index.upsert(first!, { source: 'backfill', now: NOW });
    await signalsFromEvents(current.db, written, { now: NOW, geo });
    expect(rest).toEqual([]);
    const trip = await index.upsert(
      {
        ...first![0]!,
        sessionId: 'sess_user_fill_trip',
        createdAt: NOW - H,
        updatedAt: NOW - H / 2,
        lastActiveAt: NOW - H / 2,
        status: 'active',
        city: 'Sydney',
        country: 'AU',
        ip: '203.0.113.9',
      },
      { source: 'webhook', now: NOW },
    );
    await signalsFromEvents(current.db, trip, { now: NOW, geo, wholeUpTo: 0 });
    const stored = await storedSignalsOf(current.db, 'user_fill');
    expect(comparable(stored)).toEqual(
      comparable(await signalsOfWholeHistory(current.db, 'user_fill', { now: NOW, geo })),
    );
    expect(stored.filter((s) => s.sessionId === 'sess_user_fill_trip').map((s) => s.kind)).toEqual(
      expect.arrayContaining(['impossible_travel', 'new_country']),
    );
  });

  it('purges the signals of purged sessions with them', async () => {
    const index = sessionIndex(current.db);
    const written = await index.upsert(history('user_old', 30), { source: 'backfill', now: NOW });
    await signalsFromEvents(current.db, written, { now: NOW, geo });
    const before = await storedSignalsOf(current.db, 'user_old');
    expect(before.length).toBeGreaterThan(0);
    const cutoff = NOW - 5 * D;
    const kept = new Set(
      written.filter((r) => (r.lastActiveAt ?? r.updatedAt) >= cutoff).map((r) => r.sessionId),
    );
    const purged = await index.purgeOlderThan(cutoff);
    const after = await storedSignalsOf(current.db, 'user_old');
    expect(after.every((s) => kept.has(s.sessionId))).toBe(true);
    expect(purged.signals).toBe(before.filter((s) => !kept.has(s.sessionId)).length);
    expect(purged.signals).toBeGreaterThan(0);
  });
});
