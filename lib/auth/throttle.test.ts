import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db';
import { signInThrottle, stepUpThrottle, throttleIpKey } from '@/lib/auth/throttle';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';

const pg = postgresForThisFile();

describe('throttleIpKey (lib/client-address.ts, re-exported)', () => {
  it('counts IPv4 per address and IPv6 per /64', () => {
    expect(throttleIpKey('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleIpKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleIpKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(throttleIpKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(throttleIpKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(throttleIpKey('unknown')).toBe('unknown');
  });
});

describe.each(TEST_ENGINES)('sign-in limits on %s', (engine) => {
  let db: Db;
  const T0 = Date.parse('2026-05-01T10:00:00.000Z');
  const throttle = (opts: Parameters<typeof signInThrottle>[1] = {}) =>
    signInThrottle(db, { maxPerMinute: 1000, ...opts });

  /** One sign-in attempt the way the console makes it: check, then record a success. */
  async function attempt(t: ReturnType<typeof throttle>, email: string, ip: string, ok = false) {
    const verdict = await t.check(email, ip);
    if (verdict.allowed && ok) await t.recordSuccess(email, ip);
    return verdict;
  }

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    // rate-limiter-flexible reads Date.now(): only the clock is faked, timers and I/O run for real.
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    db = await openTestDb(engine, pg.server);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await db?.destroy();
  });

  it('allows 5 attempts per account from one address in 15 minutes, then refuses that address with the time left', async () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) {
      expect(await attempt(t, 'alice@example.com', '198.51.100.7')).toEqual({
        allowed: true,
        retryAfterSeconds: 0,
      });
      vi.setSystemTime(Date.now() + 60_000);
    }
    const refused = await attempt(t, 'ALICE@example.com', '198.51.100.7');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 600, scope: 'account' });
    // Hammering does not push the time back.
    vi.setSystemTime(Date.now() + 30_000);
    expect(await attempt(t, 'alice@example.com', '198.51.100.7')).toMatchObject({
      allowed: false,
      retryAfterSeconds: 570,
    });
    // The same /64 is the same source.
    for (let i = 0; i < 5; i++) await attempt(t, 'alice@example.com', `2001:db8:1:2::${i + 1}`);
    expect((await attempt(t, 'alice@example.com', '2001:db8:1:2:ffff::9')).scope).toBe('account');
    expect((await attempt(t, 'bob@example.com', '198.51.100.7')).allowed).toBe(true);
  });

  it("an attacker's failures from many addresses lock out only those addresses: the member is slowed, never refused", async () => {
    const t = throttle({ slowAfter: 10, slowDelayMs: 1500 });
    for (let a = 0; a < 8; a++)
      for (let i = 0; i < 7; i++) await attempt(t, 'admin@example.com', `203.0.113.${a}`);
    for (let a = 0; a < 8; a++)
      expect((await attempt(t, 'admin@example.com', `203.0.113.${a}`)).scope).toBe('account');
    // The real admin, from an address of their own and a browser the console does not know.
    expect(await attempt(t, 'admin@example.com', '198.51.100.20', true)).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
      delayMs: 1500,
    });
    expect((await attempt(t, 'other@example.com', '198.51.100.21')).delayMs).toBeUndefined();
  });

  it('a recognised browser is not refused by the account, address or overall limits; a forged id is no one', async () => {
    const t = throttle({ maxPerMinute: 10 });
    for (let i = 0; i < 30; i++) await attempt(t, 'admin@example.com', '203.0.113.1');
    for (let i = 0; i < 30; i++) await attempt(t, `spray-${i}@example.com`, `203.0.113.${i + 2}`);
    expect((await attempt(t, 'admin@example.com', '203.0.113.1')).scope).toBe('account');
    expect((await attempt(t, 'admin@example.com', '203.0.113.99')).scope).toBe('global');
    expect(await t.check('admin@example.com', '203.0.113.1', 'device-of-admin')).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
      trustedDevice: true,
    });
    expect((await t.check('admin@example.com', '203.0.113.1', null)).allowed).toBe(false);
  });

  it('a recognised browser has its own small failure limit (a stolen cookie cannot brute-force); a success resets it', async () => {
    const t = throttle({ maxPerDevice: 3, maxPerAccount: 5 });
    for (let i = 0; i < 6; i++) await attempt(t, 'admin@example.com', '203.0.113.1');
    for (let i = 0; i < 3; i++)
      expect((await t.check('admin@example.com', '203.0.113.1', 'stolen')).trustedDevice).toBe(true);
    // Past its limit the cookie counts for nothing: the address is locked for this account, so it is refused.
    expect(await t.check('admin@example.com', '203.0.113.1', 'stolen')).toMatchObject({
      allowed: false,
      scope: 'account',
    });
    // Another browser of the member's is unaffected; its success resets its own count only.
    for (let i = 0; i < 2; i++) await t.check('admin@example.com', '203.0.113.1', 'laptop');
    const ok = await t.check('admin@example.com', '203.0.113.1', 'laptop');
    expect(ok.trustedDevice).toBe(true);
    await t.recordSuccess('admin@example.com', '203.0.113.1', 'laptop');
    for (let i = 0; i < 3; i++)
      expect((await t.check('admin@example.com', '203.0.113.1', 'laptop')).trustedDevice).toBe(true);
    expect((await t.check('admin@example.com', '203.0.113.1', 'stolen')).allowed).toBe(false);
  });

  it('lets the account in again once the window has passed', async () => {
    const t = throttle({ maxPerAccount: 3 });
    for (let i = 0; i < 3; i++) await attempt(t, 'alice@example.com', '203.0.113.1');
    expect((await attempt(t, 'alice@example.com', '203.0.113.1')).allowed).toBe(false);
    vi.setSystemTime(T0 + 15 * 60_000 - 1);
    expect((await attempt(t, 'alice@example.com', '203.0.113.1')).allowed).toBe(false);
    vi.setSystemTime(T0 + 15 * 60_000 + 1);
    expect((await attempt(t, 'alice@example.com', '203.0.113.1')).allowed).toBe(true);
  });

  it('limits one address across many accounts (password spraying), IPv6 per /64', async () => {
    const t = throttle({ maxPerIp: 20 });
    for (let i = 0; i < 20; i++)
      expect((await attempt(t, `user${i}@example.com`, '203.0.113.9')).allowed).toBe(true);
    expect(await attempt(t, 'user99@example.com', '203.0.113.9')).toEqual({
      allowed: false,
      retryAfterSeconds: 900,
      scope: 'address',
    });
    expect((await attempt(t, 'user99@example.com', '203.0.113.10')).allowed).toBe(true);
    for (let i = 0; i < 20; i++) await attempt(t, `v6user${i}@example.com`, `2001:db8:0:1::${i + 1}`);
    expect((await attempt(t, 'v6user99@example.com', '2001:db8:0:1:ffff::1')).scope).toBe('address');
  });

  it('caps attempts per minute over every account and address', async () => {
    const t = throttle({ maxPerMinute: 10 });
    for (let i = 0; i < 10; i++)
      expect((await attempt(t, `u${i}@example.com`, `198.51.100.${i}`)).allowed).toBe(true);
    expect(await attempt(t, 'fresh@example.com', '192.0.2.200')).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
      scope: 'global',
    });
    // Refused by the cap, so the attempt was not charged to that account or address.
    vi.setSystemTime(T0 + 61_000);
    for (let i = 0; i < 4; i++) await attempt(t, 'fresh@example.com', '192.0.2.200');
    expect((await attempt(t, 'fresh@example.com', '192.0.2.200')).allowed).toBe(true);
    expect((await attempt(t, 'fresh@example.com', '192.0.2.200')).scope).toBe('account');
  });

  it("a locked account does not use up its address's budget", async () => {
    const t = throttle({ maxPerAccount: 2, maxPerIp: 4 });
    for (let i = 0; i < 10; i++) await attempt(t, 'alice@example.com', '203.0.113.5');
    expect((await attempt(t, 'bob@example.com', '203.0.113.5')).allowed).toBe(true);
    expect((await attempt(t, 'carol@example.com', '203.0.113.5')).allowed).toBe(true);
    expect((await attempt(t, 'dave@example.com', '203.0.113.5')).scope).toBe('address');
  });

  it('a success clears the account and gives the address its attempt back', async () => {
    const t = throttle({ maxPerAccount: 3, maxPerIp: 5 });
    await attempt(t, 'alice@example.com', '203.0.113.5');
    await attempt(t, 'alice@example.com', '203.0.113.5');
    await attempt(t, 'victim@example.com', '203.0.113.5');
    await attempt(t, 'victim@example.com', '203.0.113.5');
    expect((await attempt(t, 'alice@example.com', '203.0.113.5', true)).allowed).toBe(true);
    for (let i = 0; i < 3; i++)
      expect((await attempt(t, 'alice@example.com', '203.0.113.6')).allowed).toBe(true);
    // Address .5: 4 failures + a success given back = 4 spent of 5.
    expect((await attempt(t, 'other@example.com', '203.0.113.5')).allowed).toBe(true);
    expect((await attempt(t, 'other2@example.com', '203.0.113.5')).scope).toBe('address');
  });

  it('holds across console instances sharing the database', async () => {
    const a = throttle({ maxPerAccount: 2 });
    const b = throttle({ maxPerAccount: 2 });
    await attempt(a, 'alice@example.com', '203.0.113.1');
    await attempt(b, 'alice@example.com', '203.0.113.1');
    expect((await attempt(a, 'alice@example.com', '203.0.113.1')).allowed).toBe(false);
  });

  it('lets through no more than the limit when guesses arrive in parallel', async () => {
    const t = throttle({ maxPerAccount: 5 });
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, () => t.check('alice@example.com', '198.51.100.1')),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
  });

  it('step-up has its own counter: failed sign-ins as an admin do not lock their step-up', async () => {
    const t = throttle();
    const stepUp = stepUpThrottle(db);
    for (let i = 0; i < 8; i++) await attempt(t, 'admin@example.com', '198.51.100.1');
    expect((await t.check('admin@example.com', '198.51.100.1')).scope).toBe('account');
    expect((await stepUp.check('stf_admin')).allowed).toBe(true);
    for (let i = 0; i < 4; i++) await stepUp.check('stf_admin');
    expect(await stepUp.check('stf_admin')).toMatchObject({ allowed: false, scope: 'step_up' });
    expect((await stepUp.check('stf_other')).allowed).toBe(true);
    await stepUp.recordSuccess('stf_admin');
    expect((await stepUp.check('stf_admin')).allowed).toBe(true);
  });
});
