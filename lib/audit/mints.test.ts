import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { auditLog, type AuditActor } from '@/lib/audit';
import { openMints } from '@/lib/audit/mints';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';

const ADMIN: AuditActor = { staffId: 'staff_adm', email: 'admin@example.com', role: 'admin' };
const CTX = { ip: '203.0.113.9', userAgent: 'test' };
const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const HOUR = 3600;

const pg = postgresForThisFile();

describe.each(TEST_ENGINES)('open mints on %s', (engine) => {
  let db: Db;
  let now: number;
  const log = () =>
    auditLog(db, { now: () => new Date(now), instance: { id: 'c', startedAt: new Date(T0) } });

  // The rows the token action writes: the intent (session, template, lifetime asked), then the outcome (exp).
  async function mint(
    sessionId: string,
    opts: { ask?: number | null; exp?: number | null; outcome?: 'succeeded' | 'failed' | 'none' } = {},
  ) {
    const intent = await log().begin({
      actor: ADMIN,
      action: 'token.create',
      target: { sessionId },
      details: { reason: 'debug', template: 'support', expiresInSeconds: opts.ask ?? null },
      ctx: CTX,
    });
    const outcome = opts.outcome ?? 'succeeded';
    if (outcome === 'succeeded')
      await intent.succeeded({
        traceId: 't',
        details: { tokenJti: 'jti', tokenSha256: 'ab', expiresAt: opts.exp ?? null },
      });
    if (outcome === 'failed') await intent.failed('resource_not_found');
    return intent.id;
  }

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    now = T0;
    db = await openTestDb(engine, pg.server);
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  it("lists the user's unexpired mints with their expiry, newest expiry first, and nothing else", async () => {
    const a = await mint('sess_a', { exp: T0 / 1000 + HOUR });
    const b = await mint('sess_b', { exp: T0 / 1000 + 2 * HOUR });
    await mint('sess_a', { exp: T0 / 1000 + 60 });
    await mint('sess_a', { outcome: 'failed', ask: HOUR });
    await mint('sess_other', { exp: T0 / 1000 + HOUR });
    await log().record({
      actor: ADMIN,
      action: 'session.revoke',
      target: { sessionId: 'sess_a' },
      details: {},
      ctx: CTX,
      outcome: 'succeeded',
    });
    now = T0 + 120_000;
    const open = await openMints(db, { sessionIds: ['sess_a', 'sess_b'], now, maxLifetimeSeconds: HOUR });
    expect(open).toEqual([
      {
        intentId: b,
        sessionId: 'sess_b',
        template: 'support',
        mintedAt: T0,
        expiresAt: T0 + 2 * HOUR * 1000,
        confirmed: true,
      },
      {
        intentId: a,
        sessionId: 'sess_a',
        template: 'support',
        mintedAt: T0,
        expiresAt: T0 + HOUR * 1000,
        confirmed: true,
      },
    ]);
    now = T0 + 2 * HOUR * 1000;
    expect(await openMints(db, { sessionIds: ['sess_a', 'sess_b'], now, maxLifetimeSeconds: HOUR })).toEqual(
      [],
    );
  });

  it('counts a mint with no known outcome as open until the longest it could live', async () => {
    const asked = await mint('sess_a', { outcome: 'none', ask: 600 });
    const capped = await mint('sess_a', { outcome: 'none' });
    now = T0 + 300_000;
    const open = await openMints(db, { sessionIds: ['sess_a'], now, maxLifetimeSeconds: HOUR });
    expect(open.map((m) => [m.intentId, m.expiresAt, m.confirmed])).toEqual([
      [capped, T0 + HOUR * 1000, false],
      [asked, T0 + 600_000, false],
    ]);
  });

  it('reads nothing for no sessions, and ignores hostile details', async () => {
    expect(await openMints(db, { sessionIds: [], now, maxLifetimeSeconds: HOUR })).toEqual([]);
    const intent = await log().begin({
      actor: ADMIN,
      action: 'token.create',
      target: { sessionId: 'sess_h' },
      details: { template: { $ne: 1 }, expiresInSeconds: 'forever' } as unknown as Record<string, unknown>,
      ctx: CTX,
    });
    await intent.succeeded({ details: { expiresAt: 'never' } });
    const [open] = await openMints(db, { sessionIds: ['sess_h'], now, maxLifetimeSeconds: 60 });
    expect(open).toMatchObject({ template: null, expiresAt: T0 + 60_000, confirmed: false });
  });
});
