// Signals from events on both engines: computed as sessions reach the index, against the user's whole history.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest, postgresForThisFile } from '@/lib/testing/engines';
import { onSessionIndexed } from '@/lib/session-index/on-indexed';
import { sessionIndex } from '@/lib/session-index/store';
import type { SessionIndexInput } from '@/lib/session-index/types';
import { getGeoIndex } from './geo-data';
import type { GeoLookup } from './geo';
import { indexedSessionsOf, signalsFromEvents } from './index-risk';
import { riskReviews } from './reviews';
import { computeSignals } from './signals';
import { watchSessionIndex } from './on-index';
import { readEventWatchlist } from './watchlist-events';

const pg = postgresForThisFile();
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const NOW = Date.now();

let geo: GeoLookup;
beforeAll(async () => {
  geo = await getGeoIndex();
  watchSessionIndex();
});

let seq = 0;
const session = (p: Partial<SessionIndexInput> & { ago?: number } = {}): SessionIndexInput => {
  seq++;
  const { ago = H, ...rest } = p;
  return {
    sessionId: `sess_${String(seq).padStart(5, '0')}`,
    userId: 'user_helene',
    clientId: 'client_1',
    status: 'active',
    createdAt: NOW - ago - D,
    updatedAt: NOW - ago,
    lastActiveAt: NOW - ago,
    expireAt: NOW + 7 * D,
    ip: '192.0.2.1',
    city: 'Villejuif',
    country: 'FR',
    deviceType: 'Macintosh',
    browserName: 'Chrome',
    browserVersion: '133.0.0.0',
    isMobile: false,
    actor: null,
    userName: 'Hélène Huet',
    userEmail: 'helene@example.com',
    ...rest,
  };
};

describe.each(TEST_ENGINES)('signals from events on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  it('puts a risky sign-in on the watchlist as it arrives, and a review takes it off', async () => {
    const index = sessionIndex(current.db);
    const home = await index.upsert(
      [4, 3, 2, 1].map((h) => session({ ago: h * H })),
      { source: 'backfill', now: NOW },
    );
    await onSessionIndexed(home, { db: current.db });
    expect(await readEventWatchlist(current.db, { since: NOW - D })).toEqual([]);

    const away = await index.upsert(
      [
        session({ ago: 13 * H + 40 * MIN }),
        session({ ago: 13 * H, city: 'Neubrandenburg', country: 'DE', ip: '198.51.100.9' }),
      ],
      { source: 'webhook', now: NOW },
    );
    await onSessionIndexed(away, { db: current.db });
    const [entry, ...rest] = await readEventWatchlist(current.db, { since: NOW - D });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ userId: 'user_helene', name: 'Hélène Huet', email: 'helene@example.com' });
    expect(entry?.signals[0]).toMatchObject({ sessionId: away[1]?.sessionId, kind: 'impossible_travel' });
    expect(entry?.signals[0]?.evidence).toMatch(
      /^Neubrandenburg, Germany, 13 h ago: \d[\d,]* km from Villejuif/,
    );
    expect(await readEventWatchlist(current.db, { since: NOW - 30 * MIN })).toEqual([]);

    const stored = await current.db
      .selectFrom('session_signals')
      .selectAll()
      .where('severity', '=', 'high')
      .execute();
    expect(stored.map((s) => s.kind).sort()).toEqual(['impossible_travel', 'several_countries']);
    for (const s of stored)
      await riskReviews(current.db).record({
        sessionId: s.session_id,
        userId: 'user_helene',
        kind: s.kind as 'impossible_travel',
        fingerprint: s.fingerprint,
        note: 'a known VPN',
        staff: { id: 's1', email: 'admin@example.com' },
      });
    expect(await readEventWatchlist(current.db, { since: NOW - D })).toEqual([]);
  });

  it('judges a session against the whole history, not only the newest 500', async () => {
    const index = sessionIndex(current.db);
    const oldTrip = session({ ago: 90 * D, status: 'ended', city: 'Berlin', country: 'DE' });
    const usual = Array.from({ length: 520 }, (_, i) =>
      session({ ago: (80 - i * 0.1) * D, status: 'ended' }),
    );
    const back = session({ ago: 2 * H, city: 'Berlin', country: 'DE' });
    const written = await index.upsert([oldTrip, ...usual, back], { source: 'backfill', now: NOW });
    const history = await indexedSessionsOf(current.db, 'user_helene');
    expect(history).toHaveLength(522);
    const newestOnly = computeSignals([...history].sort((a, b) => b.createdAt - a.createdAt).slice(0, 500), {
      now: NOW,
      geo,
    });
    expect(newestOnly.some((s) => s.kind === 'new_country')).toBe(true);
    const arrived = written.filter((r) => r.sessionId === back.sessionId);
    const found = await signalsFromEvents(current.db, arrived, { now: NOW, geo });
    expect(found.get('user_helene')?.some((s) => s.kind === 'new_country')).toBe(false);
    expect(
      await current.db
        .selectFrom('session_signals')
        .select('kind')
        .where('kind', '=', 'new_country')
        .execute(),
    ).toEqual([]);
  });
});
