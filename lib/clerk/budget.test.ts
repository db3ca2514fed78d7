import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/db';
import type { BudgetConfig } from '@/lib/env/budget';
import { clerkBudget, type ClerkBudget } from '@/lib/clerk/budget';
import type { LaneContext } from '@/lib/clerk/lane';
import { freshPostgresSchema, tempSqlite, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';

const pg = postgresForThisFile();

const CONFIG: BudgetConfig = {
  perWindow: 20,
  bulkShare: 0.4,
  backgroundShare: 0.1,
  staffShare: 0.3,
  maxPauseSeconds: 60,
};

const ann: LaneContext = { lane: 'interactive', staffId: 'staff_ann' };
const bob: LaneContext = { lane: 'interactive', staffId: 'staff_bob' };
const bulk: LaneContext = { lane: 'bulk' };

async function takeUntilRefused(b: ClerkBudget, ctx: LaneContext, max = 100) {
  let allowed = 0;
  for (let i = 0; i < max; i++) {
    const d = await b.take(ctx);
    if (!d.ok) return { allowed, refused: d };
    allowed++;
  }
  return { allowed, refused: null };
}

describe.each(TEST_ENGINES)('Clerk request budget on %s', (engine) => {
  /** Two handles on one store: two console instances. */
  let dbs: [Db, Db];
  let now: number;
  const budget = (db: Db, config = CONFIG) => clerkBudget(db, config, { now: () => now });

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    now = Date.parse('2026-05-01T10:00:00.200Z');
    if (engine === 'sqlite') {
      const file = tempSqlite().path;
      dbs = [await createDb({ sqlitePath: file }), await createDb({ sqlitePath: file })];
    } else {
      const url = await freshPostgresSchema(pg.server!.url);
      dbs = [await createDb({ databaseUrl: url }), await createDb({ databaseUrl: url })];
    }
  });
  afterEach(async () => {
    await Promise.all((dbs ?? []).map((d) => d.destroy()));
  });

  it('gives one staff member at most their share, and the rest to others, up to the whole budget', async () => {
    const b = budget(dbs[0]);
    const first = await takeUntilRefused(b, ann);
    expect(first.allowed).toBe(6); // 0.3 of 20
    expect(first.refused).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect((await takeUntilRefused(b, bob)).allowed).toBe(6);
    // Calls with no staff member (a script) still stop at the whole budget.
    const anonymous = await takeUntilRefused(b, { lane: 'interactive' });
    expect(anonymous.allowed).toBe(8);
    expect(anonymous.refused?.ok).toBe(false);
  });

  it('lets the window slide: capacity comes back as old buckets age out', async () => {
    const b = budget(dbs[0]);
    for (let i = 0; i < 3; i++) expect((await b.take(ann)).ok).toBe(true);
    now += 4_000;
    for (let i = 0; i < 3; i++) expect((await b.take(ann)).ok).toBe(true);
    expect(await b.take(ann)).toEqual({ ok: false, retryAfterSeconds: 6 });
    now += 6_000; // the first three are out of the window, the last three still in
    expect((await takeUntilRefused(b, ann)).allowed).toBe(3);
  });

  it('keeps a running bulk lane within its share and its unused share away from interactive calls', async () => {
    const b = budget(dbs[0]);
    expect((await takeUntilRefused(b, bulk)).allowed).toBe(8); // 0.4 of 20
    // Bulk has its whole share in use: interactive calls get the other 12, one staff member 6 of them.
    expect((await takeUntilRefused(b, ann)).allowed).toBe(6);
    expect((await takeUntilRefused(b, bob)).allowed).toBe(6);
    expect((await b.take({ lane: 'interactive', staffId: 'staff_cy' })).ok).toBe(false);

    // A fresh window with bulk having made one call: interactive work leaves bulk its other 7.
    now += 11_000;
    expect((await b.take(bulk)).ok).toBe(true);
    for (const staffId of ['a', 'b', 'c', 'd']) await takeUntilRefused(b, { lane: 'interactive', staffId });
    expect((await takeUntilRefused(b, bulk)).allowed).toBe(7);
  });

  it('gives bulk only what interactive calls left when they got there first', async () => {
    const b = budget(dbs[0]);
    for (const staffId of ['a', 'b', 'c']) await takeUntilRefused(b, { lane: 'interactive', staffId });
    expect((await takeUntilRefused(b, bulk)).allowed).toBe(2); // 18 taken by three staff members
    expect((await takeUntilRefused(b, { lane: 'background' })).allowed).toBe(0);
  });

  it('peek counts nothing and says what take would', async () => {
    const b = budget(dbs[0]);
    for (let i = 0; i < 6; i++) expect(await b.peek(ann)).toEqual({ ok: true });
    expect((await takeUntilRefused(b, ann)).allowed).toBe(6);
    expect((await b.peek(ann)).ok).toBe(false);
    expect((await b.peek(bob)).ok).toBe(true);
  });

  it('is one budget for two instances, even when they decide at the same moment', async () => {
    const [a, c] = [budget(dbs[0]), budget(dbs[1])];
    const script: LaneContext = { lane: 'interactive' };
    const calls = Array.from({ length: 60 }, (_, i) => () => (i % 2 ? a : c).take(script));
    // Two SQLite handles in one process can't overlap a transaction (better-sqlite3 waits for the lock
    // synchronously, so the holder never gets to commit): there they take turns, as two processes would.
    const verdicts =
      engine === 'postgres'
        ? await Promise.all(calls.map((f) => f()))
        : await calls.reduce(
            async (acc, f) => [...(await acc), await f()],
            Promise.resolve([] as Awaited<ReturnType<ClerkBudget['take']>>[]),
          );
    expect(verdicts.filter((v) => v.ok)).toHaveLength(20);
    expect((await a.take(script)).ok).toBe(false);
    expect((await c.take(script)).ok).toBe(false);
  });

  it('a 429 seen by one instance pauses the other until its Retry-After', async () => {
    const [a, c] = [budget(dbs[0]), budget(dbs[1])];
    await a.pauseFor(3);
    expect(await c.take(ann)).toEqual({ ok: false, retryAfterSeconds: 3 });
    expect(await c.peek(bob)).toEqual({ ok: false, retryAfterSeconds: 3 });
    // A shorter pause never shortens a longer one.
    await c.pauseFor(1);
    now += 1_500;
    expect(await a.take(ann)).toEqual({ ok: false, retryAfterSeconds: 2 });
    now += 1_500;
    expect(await a.take(ann)).toEqual({ ok: true });
    // Nothing was counted while paused.
    expect((await takeUntilRefused(c, ann)).allowed).toBe(5);
  });

  it('caps a pause at maxPauseSeconds, and 0 turns pausing off', async () => {
    await budget(dbs[0], { ...CONFIG, maxPauseSeconds: 5 }).pauseFor(3600);
    expect(await budget(dbs[1]).take(ann)).toEqual({ ok: false, retryAfterSeconds: 5 });
    now += 5_000;
    const off = budget(dbs[0], { ...CONFIG, maxPauseSeconds: 0 });
    await off.pauseFor(30);
    expect((await off.take(ann)).ok).toBe(true);
  });
});
