// Search across all users on both engines: each filter, CIDR ranges (IPv4, IPv6, mapped), keyset pages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { riskReviews } from '@/lib/risk/reviews';
import { countMatches, matchingLiveSessions, searchSessions, eachMatch } from './search';
import { parseSearchQuery } from './search-query';
import type { SearchFilters } from './search-link';
import { sessionIndex } from './store';
import type { SessionIndexInput } from './types';

const pg = postgresForThisFile();
const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const H = 3_600_000;

let seq = 0;
const session = (p: Partial<SessionIndexInput> = {}): SessionIndexInput => {
  seq++;
  return {
    sessionId: `sess_${String(seq).padStart(4, '0')}`,
    userId: 'user_a',
    clientId: 'client_1',
    status: 'active',
    createdAt: NOW - 48 * H,
    updatedAt: NOW - 48 * H,
    lastActiveAt: NOW - H,
    expireAt: NOW + 7 * 24 * H,
    ip: '198.51.100.10',
    city: 'Lyon',
    country: 'FR',
    deviceType: 'Macintosh',
    browserName: 'Chrome',
    browserVersion: '131.0.0',
    isMobile: false,
    actor: null,
    userName: 'Ada',
    userEmail: 'ada@example.com',
    ...p,
  };
};

const all: SearchFilters = { status: 'all' };
const ids = async (db: Db, f: Partial<SearchFilters>) =>
  (await searchSessions(db, { ...all, ...f }, { limit: 100, now: NOW })).rows.map((r) => r.sessionId).sort();

describe.each(TEST_ENGINES)('session search on %s', (engine) => {
  let db: Db;
  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    db = await openTestDb(engine, pg.server);
    seq = 0;
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  it('finds sessions of every user by address, CIDR (IPv4 and IPv6), place, device, browser, status and recency', async () => {
    const index = sessionIndex(db);
    await index.upsert(
      [
        session({ sessionId: 'sess_v4a', userId: 'user_a', ip: '203.0.113.7' }),
        session({
          sessionId: 'sess_v4b',
          userId: 'user_b',
          ip: '203.0.113.200',
          country: 'DE',
          city: 'Berlin',
        }),
        session({ sessionId: 'sess_v4c', userId: 'user_c', ip: '203.0.114.1', status: 'revoked' }),
        session({
          sessionId: 'sess_v6a',
          userId: 'user_b',
          ip: '2001:db8:1:2::5',
          deviceType: 'iPhone',
          browserName: 'Safari',
        }),
        session({
          sessionId: 'sess_v6b',
          userId: 'user_d',
          ip: '2001:db8:1:ffff::1',
          lastActiveAt: NOW - 5 * 24 * H,
        }),
        session({
          sessionId: 'sess_v6c',
          userId: 'user_d',
          ip: '2001:db9::1',
          country: 'US',
          city: 'New York',
        }),
        session({ sessionId: 'sess_none', userId: 'user_e', ip: null, lastActiveAt: NOW - 40 * 24 * H }),
      ],
      { source: 'webhook', now: NOW },
    );
    expect(await ids(db, { ip: '203.0.113.7' })).toEqual(['sess_v4a']);
    expect(await ids(db, { ip: '203.0.113.0/24' })).toEqual(['sess_v4a', 'sess_v4b']);
    expect(await ids(db, { ip: '203.0.112.0/22' })).toEqual(['sess_v4a', 'sess_v4b', 'sess_v4c']);
    expect(await ids(db, { ip: '::ffff:203.0.113.0/120' })).toEqual(['sess_v4a', 'sess_v4b']);
    expect(await ids(db, { ip: '2001:db8:1::/48' })).toEqual(['sess_v6a', 'sess_v6b']);
    expect(await ids(db, { ip: '2001:db8::/32' })).toEqual(['sess_v6a', 'sess_v6b']);
    expect(await ids(db, { ip: '2001:DB8:1:2:0:0:0:5' })).toEqual(['sess_v6a']);
    // A global IPv6 range never reaches an IPv4 session, nor an IPv4 range an IPv6 one.
    expect(await ids(db, { ip: '2000::/3' })).toEqual(['sess_v6a', 'sess_v6b', 'sess_v6c']);
    expect(await ids(db, { ip: '0.0.0.0/0' })).toEqual(['sess_v4a', 'sess_v4b', 'sess_v4c']);
    expect(await ids(db, { country: 'de' })).toEqual(['sess_v4b']);
    expect(await ids(db, { city: 'new york' })).toEqual(['sess_v6c']);
    expect(await ids(db, { device: 'iphone', browser: 'SAFARI' })).toEqual(['sess_v6a']);
    expect(await ids(db, { status: 'revoked' })).toEqual(['sess_v4c']);
    expect(await ids(db, { within: '24h', ip: '2001:db8::/32' })).toEqual(['sess_v6a']);
    expect(await ids(db, { within: '7d', country: 'FR', status: 'active' })).toEqual([
      'sess_v4a',
      'sess_v6a',
      'sess_v6b',
    ]);
    expect(await countMatches(db, { ...all, ip: '203.0.112.0/22' }, 10, NOW)).toBe(3);
    expect(await countMatches(db, all, 3, NOW)).toBe(4);
    const live = await matchingLiveSessions(db, { ...all, ip: '203.0.112.0/22' }, 100, NOW);
    expect(live.map((s) => s.sessionId).sort()).toEqual(['sess_v4a', 'sess_v4b']);
    expect(await matchingLiveSessions(db, { status: 'revoked' }, 100, NOW)).toEqual([]);
    const [row] = (await searchSessions(db, { ...all, ip: '203.0.113.7' }, { limit: 5, now: NOW })).rows;
    expect(row).toMatchObject({
      userId: 'user_a',
      userEmail: 'ada@example.com',
      city: 'Lyon',
      country: 'FR',
    });
  });

  it('filters on an open risk signal: a reviewed one no longer counts', async () => {
    await sessionIndex(db).upsert(
      [
        session({ sessionId: 'sess_risky', userId: 'user_r' }),
        session({ sessionId: 'sess_calm', userId: 'user_r' }),
      ],
      { source: 'webhook', now: NOW },
    );
    const signal = {
      sessionId: 'sess_risky',
      kind: 'impossible_travel' as const,
      severity: 'high' as const,
      evidence: 'far',
      fingerprint: 'f1',
    };
    await db
      .insertInto('session_signals')
      .values({ ...signalRow(signal), user_id: 'user_r', computed_at: NOW })
      .execute();
    expect(await ids(db, { risk: true })).toEqual(['sess_risky']);
    const page = await searchSessions(db, { ...all, risk: true }, { limit: 5, now: NOW });
    expect(page.rows[0]?.signals).toEqual([{ kind: 'impossible_travel', severity: 'high' }]);
    await riskReviews(db).record({
      ...signal,
      userId: 'user_r',
      note: 'travelling',
      staff: { id: 's1', email: 'a@example.com' },
    });
    expect(await ids(db, { risk: true })).toEqual([]);
  });

  it('pages by keyset with no duplicate and no gap, ties and sessions without activity included', async () => {
    const rows: SessionIndexInput[] = [];
    for (let i = 0; i < 137; i++)
      rows.push(session({ userId: `user_${i % 9}`, lastActiveAt: i % 23 === 0 ? null : NOW - (i % 7) * H }));
    await sessionIndex(db).upsert(rows, { source: 'backfill', now: NOW });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await searchSessions(db, all, { limit: 10, after, now: NOW });
      seen.push(...page.rows.map((r) => r.sessionId));
      after = page.next ?? undefined;
      pages++;
      // A session arriving mid-way sorts before the cursor: it pushes nobody into a page already read.
      if (pages === 3)
        await sessionIndex(db).upsert(session({ lastActiveAt: NOW }), { source: 'webhook', now: NOW });
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(rows.map((r) => r.sessionId).sort());
    expect(pages).toBe(14);
    const streamed: string[] = [];
    for await (const page of eachMatch(db, all, { pageSize: 40, max: 1000, now: NOW }))
      streamed.push(...page.map((r) => r.sessionId));
    expect(streamed).toHaveLength(138);
    const capped: string[] = [];
    for await (const page of eachMatch(db, all, { pageSize: 40, max: 50, now: NOW }))
      capped.push(...page.map((r) => r.sessionId));
    expect(capped).toEqual(streamed.slice(0, 50));
  });
});

describe('the search URL', () => {
  it('reads filters from the query string and refuses what is not one', () => {
    expect(parseSearchQuery({ ip: ' 2001:db8::/32 ', country: 'fr', city: '', risk: '1' })).toEqual({
      ok: true,
      query: { ip: '2001:db8::/32', country: 'FR', status: 'all', risk: true, limit: 50 },
    });
    const bad = parseSearchQuery({ ip: '10.0.0.0/33', within: '2y', limit: '7', after: 'x', evil: '1' });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.join(' ')).toMatch(
        /Not an IP address or CIDR[\s\S]*within[\s\S]*cursor[\s\S]*page size[\s\S]*Unknown filter: evil/,
      );
  });
});

function signalRow(s: {
  sessionId: string;
  kind: string;
  severity: string;
  evidence: string;
  fingerprint: string;
}) {
  return {
    session_id: s.sessionId,
    kind: s.kind,
    severity: s.severity,
    evidence: s.evidence,
    fingerprint: s.fingerprint,
  };
}
