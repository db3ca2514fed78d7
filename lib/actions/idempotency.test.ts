import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/db';
import { fail, ok, type ActionResult } from '@/lib/vocabulary';
import {
  fingerprintOf,
  idempotencyStore,
  KEY_TTL_MS,
  runOnce,
  takeRequestKey,
  type RequestClaim,
} from '@/lib/actions/idempotency';
import { freshPostgresSchema, tempSqlite, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';

const pg = postgresForThisFile();

const claimFor = (key: string, over: Partial<RequestClaim> = {}): RequestClaim => ({
  key,
  staffId: 'stf_ada',
  action: 'session.revoke',
  fingerprint: fingerprintOf('session.revoke', { sessionId: 'sess_1', reason: 'ticket 1' }),
  ...over,
});

/** A gate the test opens when it has seen what it waits for, so nothing depends on timing. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('request keys and fingerprints', () => {
  it('takes the key out of the input, and refuses a missing or malformed one', () => {
    expect(takeRequestKey({ idempotencyKey: 'k'.repeat(20), a: 1 })).toEqual({
      rest: { a: 1 },
      key: 'k'.repeat(20),
      problem: null,
    });
    for (const bad of [undefined, '', 'short', 'x'.repeat(101), "k'; drop table x;--aaaaaaa", 42]) {
      const r = takeRequestKey({ idempotencyKey: bad, a: 1 });
      expect(r.key).toBeNull();
      expect(r.rest).toEqual({ a: 1 });
      expect(r.problem).toMatch(/request key/);
    }
  });

  it('ignores key order and omitted fields, and tells different input or actions apart', () => {
    const a = fingerprintOf('token.create', { sessionId: 's', reason: 'r', password: 'one' }, ['password']);
    expect(
      fingerprintOf('token.create', { password: 'two', reason: 'r', sessionId: 's' }, ['password']),
    ).toBe(a);
    expect(fingerprintOf('token.create', { sessionId: 's', reason: 'other' }, ['password'])).not.toBe(a);
    expect(fingerprintOf('session.revoke', { sessionId: 's', reason: 'r' })).not.toBe(a);
  });
});

describe.each(TEST_ENGINES)('runOnce on %s', (engine) => {
  // Two handles on one database: two console instances, which share nothing but the store.
  let first: Db;
  let second: Db;

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    if (engine === 'sqlite') {
      const file = tempSqlite().path;
      first = await createDb({ sqlitePath: file });
      second = await createDb({ sqlitePath: file });
    } else {
      const url = await freshPostgresSchema(pg.server!.url);
      first = await createDb({ databaseUrl: url });
      second = await createDb({ databaseUrl: url });
    }
  });
  afterEach(async () => {
    await first?.destroy().catch(() => {});
    await second?.destroy().catch(() => {});
  });

  it('two instances racing on one key: one runs, the other waits and answers the same', async () => {
    const key = crypto.randomUUID();
    const running = gate();
    const release = gate();
    let runs = 0;
    const work = async (began: () => void): Promise<ActionResult<{ n: number }>> => {
      runs++;
      began();
      running.open();
      await release.opened;
      return ok('done', { n: runs });
    };
    const a = runOnce(first, claimFor(key), {}, work);
    await running.opened;
    // While a runs, a duplicate neither runs nor answers anything but "in progress" (when it may not wait)…
    expect(await runOnce(second, claimFor(key), {}, work, { waitMs: 0 })).toMatchObject({
      kind: 'in_progress',
    });
    // …and one that may wait is still waiting when a finishes.
    let bSettled = false;
    const b = runOnce(second, claimFor(key), {}, work).finally(() => (bSettled = true));
    expect((await idempotencyStore(second).find(key))?.state).toBe('running');
    expect(bSettled).toBe(false);
    release.open();
    const [ra, rb] = await Promise.all([a, b]);
    expect(runs).toBe(1);
    expect(rb).toEqual(ra);
    expect(ra).toEqual({ ok: true, message: 'done', data: { n: 1 } });
  });

  it('a later request with the key gets the stored answer; a failure after the action began is kept too', async () => {
    const key = crypto.randomUUID();
    let runs = 0;
    const failing = async (began: () => void) => {
      runs++;
      began();
      return fail('unavailable', 'Clerk did not answer.', { traceId: 'trace_1' });
    };
    const r1 = await runOnce(first, claimFor(key), {}, failing);
    const r2 = await runOnce(second, claimFor(key), {}, failing);
    expect(runs).toBe(1);
    expect(r2).toEqual(r1);
  });

  it('stores what `replay` keeps, while the first caller gets the full answer', async () => {
    const key = crypto.randomUUID();
    const options = {
      replay: (r: ActionResult<{ secret: string | null }>) => (r.ok ? ok('again', { secret: null }) : r),
    };
    const r1 = await runOnce(first, claimFor(key), options, async (began) => {
      began();
      return ok('first', { secret: 'TOKEN-CANARY' });
    });
    expect(r1).toEqual({ ok: true, message: 'first', data: { secret: 'TOKEN-CANARY' } });
    expect(JSON.stringify(await idempotencyStore(first).find(key))).not.toContain('TOKEN-CANARY');
    expect(await runOnce(second, claimFor(key), options, async () => ok('never', { secret: 'x' }))).toEqual({
      ok: true,
      message: 'again',
      data: { secret: null },
    });
  });

  it('a request that never began (bad input, failed step-up) releases the key: the next one runs', async () => {
    const key = crypto.randomUUID();
    const r1 = await runOnce(first, claimFor(key), {}, async () => fail('step_up_required', 'No.'));
    expect(r1).toMatchObject({ ok: false, kind: 'step_up_required' });
    expect(await idempotencyStore(first).find(key)).toBeUndefined();
    const r2 = await runOnce(second, claimFor(key), {}, async (began) => (began(), ok('yes', 1)));
    expect(r2).toEqual({ ok: true, message: 'yes', data: 1 });
  });

  it('refuses the key for another staff member, another action or other input, without running', async () => {
    const key = crypto.randomUUID();
    await runOnce(first, claimFor(key), {}, async (began) => (began(), ok('mine', { private: 'ADA-ONLY' })));
    let ran = false;
    const never = async () => ((ran = true), ok('x', null));
    for (const other of [
      { staffId: 'stf_mallory' },
      { action: 'token.create' },
      { fingerprint: fingerprintOf('session.revoke', { sessionId: 'sess_2', reason: 'ticket 1' }) },
    ]) {
      const r = await runOnce(second, claimFor(key, other), {}, never);
      expect(r).toMatchObject({ ok: false, kind: 'conflict' });
      expect(JSON.stringify(r)).not.toContain('ADA-ONLY');
    }
    expect(ran).toBe(false);
  });

  it('answers "in progress" when the first request outlasts the wait, and "did not finish" once abandoned', async () => {
    const key = crypto.randomUUID();
    await idempotencyStore(first).claim(claimFor(key));
    let ran = false;
    const never = async () => ((ran = true), ok('x', null));
    expect(await runOnce(second, claimFor(key), {}, never, { waitMs: 0 })).toMatchObject({
      ok: false,
      kind: 'in_progress',
    });
    const later = Date.now() + 11 * 60 * 1000;
    expect(await runOnce(second, claimFor(key), {}, never, { now: () => later })).toMatchObject({
      ok: false,
      kind: 'unknown',
    });
    expect(ran).toBe(false);
  });

  it('purges keys older than a day', async () => {
    const t0 = Date.parse('2026-05-01T10:00:00.000Z');
    const old = idempotencyStore(first, () => t0);
    await old.claim(claimFor('old-key-0000000000'));
    await idempotencyStore(first, () => t0 + KEY_TTL_MS - 1000).claim(claimFor('recent-key-00000000'));
    expect(await idempotencyStore(first, () => t0 + KEY_TTL_MS + 1).purge()).toBe(1);
    expect(await old.find('old-key-0000000000')).toBeUndefined();
    expect(await old.find('recent-key-00000000')).toBeDefined();
  });
});
