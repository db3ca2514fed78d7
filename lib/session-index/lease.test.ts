// The backfill's lease on both engines: one filler at a time, a dead one's lease expires, the total is reported.
import { describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest } from '@/lib/testing/engines';
import { postgresForThisFile } from '@/lib/testing/engines';
import { beginBackfill, runBackfill, type BackfillDeps, type BackfillUser } from './backfill';
import { backfillLease } from './lease';
import { sessionIndex } from './store';

const pg = postgresForThisFile();
const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const TTL = 60_000;

function fakeApi(count: number): BackfillDeps & { listed: number } {
  const users: BackfillUser[] = Array.from({ length: count }, (_, i) => ({
    id: `user_${String(i).padStart(4, '0')}`,
    lastActiveAt: T0 - i * 1000,
    name: null,
    email: null,
  }));
  let remaining: number | null = null;
  const api = {
    listed: 0,
    now: () => T0,
    remaining: () => remaining,
    async listUsers(before: number | null, limit: number) {
      api.listed++;
      const left = users.filter((u) => before === null || (u.lastActiveAt ?? 0) < before);
      remaining = left.length;
      return left.slice(0, limit);
    },
    async listSessions() {
      return [];
    },
  };
  return api;
}

describe.each(TEST_ENGINES)('the backfill lease on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  it('lets one instance hold it, renews it for the holder, and hands it on once it expires', async () => {
    const lease = backfillLease(current.db);
    expect(await lease.take('instance-a', T0, TTL)).toBe(true);
    expect(await lease.take('instance-b', T0 + 1000, TTL)).toBe(false);
    expect(await lease.take('instance-a', T0 + 50_000, TTL)).toBe(true);
    expect(await lease.take('instance-b', T0 + 100_000, TTL)).toBe(false);
    expect(await lease.holder(T0 + 100_000)).toBe('instance-a');
    // instance-a died: its last renewal ran out at T0 + 110 s.
    expect(await lease.take('instance-b', T0 + 110_001, TTL)).toBe(true);
    expect(await lease.take('instance-a', T0 + 110_002, TTL)).toBe(false);
    await lease.release('instance-a');
    expect(await lease.holder(T0 + 110_003)).toBe('instance-b');
    await lease.release('instance-b');
    expect(await lease.take('instance-a', T0 + 110_004, TTL)).toBe(true);
  });

  it('gives the lease to exactly one of many instances asking at once', async () => {
    const lease = backfillLease(current.db);
    const won = await Promise.all(Array.from({ length: 8 }, (_, i) => lease.take(`instance-${i}`, T0, TTL)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('stops filling when the lease is lost, and reports how many users of how many are filled', async () => {
    const lease = backfillLease(current.db);
    await beginBackfill(current.db, T0);
    const api = fakeApi(250);
    let pages = 0;
    const held = async () => (++pages === 2 ? lease.take('instance-a', T0, TTL) : true);
    expect(await lease.take('instance-b', T0, TTL)).toBe(true);
    const stopped = await runBackfill(current.db, api, { beforePage: held });
    expect(stopped).toMatchObject({ users: 100, totalUsers: 250 });
    expect(stopped.cursor).not.toBeNull();
    expect(api.listed).toBe(1);
    const done = await runBackfill(current.db, api);
    expect(done).toMatchObject({ users: 250, totalUsers: 250, cursor: null });
    expect((await sessionIndex(current.db).state()).complete).toBe(true);
  });
});
