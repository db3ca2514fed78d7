// The session index on both engines: out-of-order writes, user snapshots, deliveries once, state and the purge.
import { describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest, postgresForThisFile } from '@/lib/testing/engines';
import { cidrRange } from './ip';
import { sessionIndex } from './store';
import type { SessionIndexInput } from './types';

const pg = postgresForThisFile();
const T0 = Date.parse('2026-11-26T12:00:00.000Z');

const session = (p: Partial<SessionIndexInput> = {}): SessionIndexInput => ({
  sessionId: 'sess_1',
  userId: 'user_1',
  clientId: 'client_1',
  status: 'active',
  createdAt: T0,
  updatedAt: T0,
  lastActiveAt: T0,
  expireAt: T0 + 7 * 86_400_000,
  ip: '203.0.113.7',
  city: 'Lyon',
  country: 'fr',
  deviceType: 'Macintosh',
  browserName: 'Chrome',
  browserVersion: '131.0.0',
  isMobile: false,
  actor: null,
  userName: null,
  userEmail: null,
  ...p,
});

describe.each(TEST_ENGINES)('the session index on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  it('keeps the newest version of a session whatever order its versions arrive in', async () => {
    const index = sessionIndex(current.db);
    const revoked = session({ status: 'revoked', updatedAt: T0 + 60_000, lastActiveAt: T0 + 30_000 });
    expect(await index.upsert(revoked, { source: 'webhook' })).toHaveLength(1);
    expect(await index.upsert(session(), { source: 'webhook' })).toEqual([]);
    const row = await index.get('sess_1');
    expect(row).toMatchObject({
      status: 'revoked',
      updatedAt: T0 + 60_000,
      endedAt: T0 + 60_000,
      country: 'FR',
      ip: '203.0.113.7',
      isMobile: false,
      source: 'webhook',
    });
    const range = cidrRange('203.0.113.0/24');
    expect(range && row?.ipKey && row.ipKey >= range.lo && row.ipKey <= range.hi).toBe(true);
  });

  it('copies the user snapshot onto sessions, and marks them when the user is deleted', async () => {
    const index = sessionIndex(current.db);
    await index.upsertUser({
      userId: 'user_1',
      userName: 'Ada Byron',
      userEmail: 'ada@example.com',
      deleted: false,
      updatedAt: T0,
    });
    await index.upsert(session(), { source: 'backfill' });
    expect(await index.get('sess_1')).toMatchObject({
      userName: 'Ada Byron',
      userEmail: 'ada@example.com',
      userDeleted: false,
    });
    expect(
      await index.upsertUser({
        userId: 'user_1',
        userName: null,
        userEmail: null,
        deleted: true,
        updatedAt: T0 + 1,
      }),
    ).toBe(true);
    expect(await index.get('sess_1')).toMatchObject({
      userName: 'Ada Byron',
      userEmail: 'ada@example.com',
      userDeleted: true,
    });
    await index.upsertUser({
      userId: 'user_1',
      userName: 'Old',
      userEmail: 'old@example.com',
      deleted: false,
      updatedAt: T0,
    });
    expect(await index.get('sess_1')).toMatchObject({ userName: 'Ada Byron', userDeleted: true });
  });

  it('claims a delivery id once, and reports the state of the fill and the deliveries', async () => {
    const index = sessionIndex(current.db);
    const delivery = { svixId: 'msg_1', eventType: 'session.created', signedAt: T0, now: T0, applied: true };
    expect(await index.claimDelivery(delivery)).toBe('new');
    expect(await index.claimDelivery({ ...delivery, now: T0 + 1 })).toBe('replay');
    expect(await index.claimDelivery({ ...delivery, signedAt: T0 + 5000, now: T0 + 5000 })).toBe('retry');
    expect(await index.claimDelivery({ ...delivery, signedAt: T0 + 5000, now: T0 + 6000 })).toBe('replay');
    expect(await index.claimDelivery({ ...delivery, signedAt: T0 - 5000, now: T0 + 7000 })).toBe('retry');
    expect((await index.state()).complete).toBe(false);
    await index.saveBackfill({ startedAt: T0, finishedAt: T0 + 5, users: 3, sessions: 9, cursor: null });
    await index.recordDelivery(T0 + 10, 250);
    await index.recordDelivery(T0 + 5, 999);
    expect(await index.state()).toEqual({
      complete: true,
      backfill: { startedAt: T0, finishedAt: T0 + 5, users: 3, sessions: 9, cursor: null },
      lastDeliveryAt: T0 + 10,
      lastLagMs: 250,
    });
  });

  it('lists a user newest first and purges what was last seen before the cutoff', async () => {
    const index = sessionIndex(current.db);
    await index.upsert(
      [
        session({
          sessionId: 'sess_old',
          createdAt: T0 - 100 * 86_400_000,
          updatedAt: T0 - 100 * 86_400_000,
          lastActiveAt: T0 - 95 * 86_400_000,
        }),
        session({ sessionId: 'sess_new', createdAt: T0, updatedAt: T0 }),
      ],
      { source: 'backfill' },
    );
    const old = T0 - 100 * 86_400_000;
    await index.claimDelivery({
      svixId: 'msg_old',
      eventType: 'session.created',
      signedAt: old,
      now: old,
      applied: true,
    });
    expect((await index.forUser('user_1')).map((s) => s.sessionId)).toEqual(['sess_new', 'sess_old']);
    expect(await index.purgeOlderThan(T0 - 90 * 86_400_000)).toEqual({
      sessions: 1,
      signals: 0,
      deliveries: 1,
      users: 0,
    });
    expect((await index.forUser('user_1')).map((s) => s.sessionId)).toEqual(['sess_new']);
  });
});
