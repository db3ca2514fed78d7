// The one lease design on both engines, on each kind of row that carries it.
import { sql, type Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { heldBy, leaseHolder, releaseLease, takeLease, type LeaseTarget } from '@/lib/db/lease';
import { buildMigrations } from '@/lib/db/migrations';
import { toDbTime } from '@/lib/db/values';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest } from '@/lib/testing/engines';
import { postgresForThisFile } from '@/lib/testing/engines';

const pg = postgresForThisFile();
const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const TTL = 60_000;

const TARGETS: readonly LeaseTarget[] = [
  { table: 'leases', id: 'backfill' },
  { table: 'risk_watchlist', id: 'current' },
  { table: 'audit_stream_cursors', id: 'siem' },
];

async function seed(db: Db, t: LeaseTarget): Promise<void> {
  if (t.table === 'risk_watchlist')
    await db.insertInto('risk_watchlist').values({ id: t.id, state: '{}', refreshed_at: null }).execute();
  if (t.table === 'audit_stream_cursors')
    await db
      .insertInto('audit_stream_cursors')
      .values({ receiver: t.id, kind: 'webhook', cursor: 0, updated_at: toDbTime(at(0)) })
      .execute();
}

/** A write a holder makes under its lease; true when it changed the row. */
async function write(db: Db, t: LeaseTarget, owner: string, state: string): Promise<boolean> {
  const res = await db
    .updateTable('risk_watchlist')
    .set({ state })
    .where('id', '=', t.id)
    .where(heldBy(owner))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

describe.each(TEST_ENGINES)('the lease on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  describe.each(TARGETS)('on a row of $table', (t) => {
    beforeEach(() => seed(current.db, t));

    it('refuses another owner while held, renews for the holder, and hands over once it expired', async () => {
      expect(await leaseHolder(current.db, t, at(0))).toBeNull();
      expect(await takeLease(current.db, t, 'a', at(0), TTL)).toBe(true);
      expect(await takeLease(current.db, t, 'b', at(1_000), TTL)).toBe(false);
      expect(await takeLease(current.db, t, 'a', at(50_000), TTL)).toBe(true);
      // Held until 110 s by the renewal, inclusive; a's first term (60 s) no longer counts.
      expect(await takeLease(current.db, t, 'b', at(110_000), TTL)).toBe(false);
      expect(await leaseHolder(current.db, t, at(110_000))).toBe('a');
      expect(await leaseHolder(current.db, t, at(110_001))).toBeNull();
      expect(await takeLease(current.db, t, 'b', at(110_001), TTL)).toBe(true);
      expect(await takeLease(current.db, t, 'a', at(110_002), TTL)).toBe(false);
      expect(await leaseHolder(current.db, t, at(110_002))).toBe('b');
    });

    it('lets only the holder release it', async () => {
      expect(await takeLease(current.db, t, 'a', at(0), TTL)).toBe(true);
      await releaseLease(current.db, t, 'b');
      expect(await leaseHolder(current.db, t, at(1)), 'a release by a non-holder').toBe('a');
      expect(await takeLease(current.db, t, 'b', at(2), TTL)).toBe(false);
      await releaseLease(current.db, t, 'a');
      expect(await leaseHolder(current.db, t, at(3))).toBeNull();
      expect(await takeLease(current.db, t, 'b', at(4), TTL)).toBe(true);
    });

    it('gives it to exactly one of many owners asking at once', async () => {
      const won = await Promise.all(
        Array.from({ length: 8 }, (_, i) => takeLease(current.db, t, `i${i}`, at(0), TTL)),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = `i${won.indexOf(true)}`;
      expect(await leaseHolder(current.db, t, at(1))).toBe(winner);
    });
  });

  it('takes it only when the caller’s own condition holds too, in the same statement', async () => {
    const t = TARGETS[1]!;
    await seed(current.db, t);
    await current.db
      .updateTable('risk_watchlist')
      .set({ refreshed_at: toDbTime(at(0)) })
      .execute();
    const due = (since: number) => sql<boolean>`refreshed_at <= ${toDbTime(at(since))}`;
    expect(await takeLease(current.db, t, 'a', at(10), TTL, due(-1))).toBe(false);
    expect(await leaseHolder(current.db, t, at(10))).toBeNull();
    expect(await takeLease(current.db, t, 'a', at(10), TTL, due(0))).toBe(true);
  });

  it('keeps a holder that lost the lease from writing', async () => {
    const t = TARGETS[1]!;
    await seed(current.db, t);
    expect(await takeLease(current.db, t, 'a', at(0), TTL)).toBe(true);
    expect(await write(current.db, t, 'a', '"a1"')).toBe(true);
    expect(await write(current.db, t, 'b', '"b0"')).toBe(false);
    // a stalled past its lease; b took over.
    expect(await takeLease(current.db, t, 'b', at(TTL + 1), TTL)).toBe(true);
    expect(await write(current.db, t, 'a', '"a2"')).toBe(false);
    expect(await write(current.db, t, 'b', '"b1"')).toBe(true);
    const row = await current.db.selectFrom('risk_watchlist').select('state').executeTakeFirstOrThrow();
    expect(row.state).toBe('"b1"');
    await releaseLease(current.db, t, 'b');
    expect(await write(current.db, t, 'b', '"b2"')).toBe(false);
  });

  it('migration 0018 carries a backfill turn over from its encoded row', async () => {
    const t: LeaseTarget = { table: 'leases', id: 'backfill' };
    await sql`drop table leases`.execute(current.db);
    await current.db
      .insertInto('session_index_state')
      .values({ key: 'backfill_lease', value: `${String(T0 + 90_000).padStart(16, '0')} instance-a` })
      .execute();
    await buildMigrations(engine)['0018_leases']!.up(current.db as unknown as Kysely<unknown>);
    expect(await leaseHolder(current.db, t, at(90_000))).toBe('instance-a');
    expect(await takeLease(current.db, t, 'instance-b', at(90_000), TTL)).toBe(false);
    expect(await takeLease(current.db, t, 'instance-b', at(90_001), TTL)).toBe(true);
    const old = await current.db
      .selectFrom('session_index_state')
      .select('key')
      .where('key', '=', 'backfill_lease')
      .execute();
    expect(old).toEqual([]);
  });
});
