import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { signInThrottle, throttleIpKey } from '@/lib/auth/throttle';
import {
  openTestDb,
  removeTempSqlite,
  startTestPostgres,
  TEST_ENGINES,
  type TestPostgres,
} from '@/lib/test/pg';

let server: TestPostgres | null = null;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
  removeTempSqlite();
});

describe('throttleIpKey', () => {
  it('counts IPv4 per address and IPv6 per /64', () => {
    expect(throttleIpKey('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleIpKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleIpKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(throttleIpKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(throttleIpKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(throttleIpKey('unknown')).toBe('unknown');
  });
});

describe.each(TEST_ENGINES)('sign-in throttle on %s', (engine) => {
  let db: Db;
  let now: number;
  const throttle = (opts: { maxPerAccount?: number; maxPerIp?: number } = {}) =>
    signInThrottle(db, { ...opts, windowMs: 15 * 60_000, now: () => new Date(now) });

  /** One sign-in attempt the way the console makes it: check, then record the result. */
  async function attempt(t: ReturnType<typeof throttle>, email: string, ip: string, ok = false) {
    const verdict = await t.check(email, ip);
    if (verdict.allowed) await (ok ? t.recordSuccess(email, ip) : t.recordFailure(email, ip));
    return verdict;
  }

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !server) ctx.skip();
    now = Date.parse('2026-05-01T10:00:00.000Z');
    db = await openTestDb(engine, server);
  });
  afterEach(async () => {
    await db?.destroy();
  });

  it('allows 5 failures per account, then refuses with the time until the oldest one expires', async () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) {
      expect(await attempt(t, 'alice@example.com', `198.51.100.${i}`)).toEqual({
        allowed: true,
        retryAfterSeconds: 0,
      });
      now += 60_000;
    }
    // Attempts at 0..4 min; now = 5 min: the first expires at 15 min.
    const refused = await attempt(t, 'ALICE@example.com', '198.51.100.99');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 600 });
    // A refused attempt does not count: refusing again does not push the time back.
    now += 30_000;
    expect(await attempt(t, 'alice@example.com', '198.51.100.99')).toEqual({
      allowed: false,
      retryAfterSeconds: 570,
    });
    // Another account from the same addresses is unaffected.
    expect((await attempt(t, 'bob@example.com', '198.51.100.0')).allowed).toBe(true);
  });

  it('lets the account in again once the window has passed', async () => {
    const t = throttle({ maxPerAccount: 3 });
    for (let i = 0; i < 3; i++) await attempt(t, 'alice@example.com', '203.0.113.1');
    expect((await attempt(t, 'alice@example.com', '203.0.113.1')).allowed).toBe(false);
    now += 15 * 60_000 - 1;
    expect((await attempt(t, 'alice@example.com', '203.0.113.1')).allowed).toBe(false);
    now += 1;
    expect((await attempt(t, 'alice@example.com', '203.0.113.1')).allowed).toBe(true);
  });

  it('limits one address across many accounts (password spraying)', async () => {
    const t = throttle({ maxPerIp: 20 });
    for (let i = 0; i < 20; i++)
      expect((await attempt(t, `user${i}@example.com`, '203.0.113.9')).allowed).toBe(true);
    const refused = await attempt(t, 'user99@example.com', '203.0.113.9');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(900);
    expect((await attempt(t, 'user99@example.com', '203.0.113.10')).allowed).toBe(true);
    // The neighbour in the same IPv6 /64 shares the budget.
    for (let i = 0; i < 20; i++) await attempt(t, `v6user${i}@example.com`, `2001:db8:0:1::${i + 1}`);
    expect((await attempt(t, 'v6user99@example.com', '2001:db8:0:1:ffff::1')).allowed).toBe(false);
  });

  it('a success clears the account, but not the address budget spent on other accounts', async () => {
    const t = throttle({ maxPerAccount: 3, maxPerIp: 5 });
    await attempt(t, 'alice@example.com', '203.0.113.5');
    await attempt(t, 'alice@example.com', '203.0.113.5');
    await attempt(t, 'victim@example.com', '203.0.113.5');
    await attempt(t, 'victim@example.com', '203.0.113.5');
    expect((await attempt(t, 'alice@example.com', '203.0.113.5', true)).allowed).toBe(true);
    // Alice's three attempts are gone; the two on the victim still count against the address.
    for (let i = 0; i < 3; i++)
      expect((await attempt(t, `other${i}@example.com`, '203.0.113.5')).allowed).toBe(true);
    expect((await attempt(t, 'other9@example.com', '203.0.113.5')).allowed).toBe(false);
  });

  it('holds across console instances sharing the database', async () => {
    const a = throttle({ maxPerAccount: 2 });
    const b = throttle({ maxPerAccount: 2 });
    await attempt(a, 'alice@example.com', '203.0.113.1');
    await attempt(b, 'alice@example.com', '203.0.113.2');
    expect((await attempt(a, 'alice@example.com', '203.0.113.3')).allowed).toBe(false);
  });

  it('lets through no more than the limit when guesses arrive in parallel', async () => {
    const t = throttle({ maxPerAccount: 5 });
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.check('alice@example.com', `198.51.100.${i}`)),
    );
    const allowed = verdicts.filter((v) => v.allowed).length;
    // Reserving before counting errs on the side of refusing: a burst may get fewer than 5 through, never more.
    expect(allowed).toBeLessThanOrEqual(5);
    // Refused attempts are not kept, so the burst does not lock the account beyond the attempts it was allowed.
    const after = await t.check('alice@example.com', '203.0.113.200');
    expect(after.allowed).toBe(allowed < 5);
  });

  it('prunes attempts that have left the window', async () => {
    const t = throttle();
    for (let i = 0; i < 4; i++) await attempt(t, `u${i}@example.com`, '203.0.113.1');
    now += 16 * 60_000;
    await attempt(t, 'late@example.com', '203.0.113.1');
    const rows = await db.selectFrom('sign_in_attempts').select('email').execute();
    expect(rows).toEqual([{ email: 'late@example.com' }]);
  });
});
