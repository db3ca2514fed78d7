import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleApiError } from '@/lib/clerk/errors';
import { auditLog } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { jobStore } from './store';
import { JobKeyConflictError } from './store/lifecycle';
import { actor, addStaff, fakeClerk, ids, session, sessionsJob } from '@/lib/testing/fake-runner-clerk';
import { startRunner, type JobRunner, type RunnerClerk } from './runner';
import { RUNNING_JOB_STATES } from './types';

const pg = postgresForThisFile();

describe.each(TEST_ENGINES)('revocation jobs on %s', (engine) => {
  let db: Db;
  const runners: JobRunner[] = [];
  const run = (clerk: RunnerClerk, extra: Partial<Parameters<typeof startRunner>[0]> = {}) => {
    const r = startRunner({ db, clerk, concurrency: 3, leaseMs: 30_000, pollMs: 20, ...extra });
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    if (engine === 'postgres' && !pg.server) return;
    db = await openTestDb(engine, pg.server);
    await addStaff(db, 'support', actor.staffId);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await db?.destroy();
  });
  // PostgreSQL is only known to be missing once beforeAll ran (then skipped, except under CI: see lib/testing/pg).
  const maybe = (name: string, fn: () => Promise<void>) =>
    it(name, async (ctx) => {
      if (!db) return ctx.skip();
      await fn();
    });

  maybe('two runners on one store revoke every session exactly once and end the job once', async () => {
    const all = ids(120, 'two');
    const fake = fakeClerk(all);
    const store = jobStore(db);
    const { id } = await store.create(sessionsJob(all));
    const a = run(fake.clerk);
    const b = run(fake.clerk);
    await Promise.all([a.idle(), b.idle()]);
    const job = await store.get(id);
    expect(job?.state).toBe('done');
    expect(job?.counts.revoked).toBe(120);
    expect(job?.total).toBe(120);
    expect([...fake.revokes.values()].every((n) => n === 1)).toBe(true);
    expect(fake.revokes.size).toBe(120);
    expect([...fake.lanes]).toEqual(['bulk']);
    const { rows } = await auditLog(db).list({ action: 'job.end', limit: 10, offset: 0 });
    expect(rows.filter((r) => r.details.jobId === id)).toHaveLength(1);
    const revokesAudited = await auditLog(db).list({ action: 'session.revoke', limit: 500, offset: 0 });
    const mine = revokesAudited.rows.filter((r) => r.details.jobId === id);
    expect(mine).toHaveLength(120);
    expect(
      mine.every((r) => r.outcome === 'succeeded' && r.details.reason === 'unit test: stolen laptop'),
    ).toBe(true);
  });

  maybe('the same idempotency key makes one job; another staff member cannot reuse it', async () => {
    const store = jobStore(db);
    const key = crypto.randomUUID();
    const first = await store.create(sessionsJob(ids(3, 'idem'), key));
    const again = await store.create(sessionsJob(ids(3, 'idem'), key));
    expect(again).toEqual({ id: first.id, created: false });
    await expect(
      store.create({ ...sessionsJob(ids(3, 'idem'), key), actor: { ...actor, staffId: 'staff_2' } }),
    ).rejects.toBeInstanceOf(JobKeyConflictError);
    await store.transition(first.id, ['queued'], 'cancelled');
  });

  maybe(
    'an expired lease with an attempt on record is settled by reading back, never by a blind revoke',
    async () => {
      const [revokedByUs, stillActive, revokedEarlier] = ids(3, 'lease');
      const fake = fakeClerk([revokedByUs!, stillActive!, revokedEarlier!]);
      const store = jobStore(db);
      const { id } = await store.create(sessionsJob([revokedByUs!, stillActive!, revokedEarlier!]));
      // A dead instance claimed all three and recorded attempts; its lease is already over.
      const claimed = await store.claim('dead-instance', -1000, 3);
      expect(claimed).toHaveLength(3);
      const log = auditLog(db);
      for (const item of claimed) {
        const intent = await log.begin({
          actor: { staffId: actor.staffId, email: actor.email, role: 'support' },
          action: 'session.revoke',
          target: { sessionId: item.target },
          details: { jobId: id },
          ctx: { ip: null, userAgent: null },
        });
        // markAttempt refuses an expired lease, so record the attempt the way a live holder would have.
        await db
          .updateTable('revocation_job_items')
          .set({ attempt_at: new Date(Date.now() - 5000).toISOString(), intent_id: intent.id, attempts: 1 })
          .where('id', '=', item.id)
          .execute();
      }
      // What the dead instance's calls did: one went through, one never arrived, one found it revoked long before.
      fake.sessions.set(revokedByUs!, {
        ...session(revokedByUs!, 'user_a', 'revoked'),
        updatedAt: Date.now() - 4000,
      });
      fake.sessions.set(revokedEarlier!, {
        ...session(revokedEarlier!, 'user_a', 'revoked'),
        updatedAt: Date.now() - 3_600_000,
      });

      await run(fake.clerk).idle();
      const { rows } = await store.items(id, { limit: 10 });
      const outcome = Object.fromEntries(rows.map((r) => [r.sessionId, r.outcome]));
      expect(outcome).toEqual({
        [revokedByUs!]: 'revoked',
        [stillActive!]: 'revoked',
        [revokedEarlier!]: 'already_inactive',
      });
      expect(fake.revokes.get(revokedByUs!)).toBeUndefined();
      expect(fake.revokes.get(revokedEarlier!)).toBeUndefined();
      expect(fake.revokes.get(stillActive!)).toBe(1);
      const intents = (await log.list({ target: stillActive!, limit: 10, offset: 0 })).rows;
      // The dead attempt never took effect: its one intent goes with the fresh revoke and ends succeeded.
      expect(intents.map((r) => [r.outcome, r.code])).toEqual([['succeeded', null]]);
      expect((await log.list({ target: revokedByUs!, limit: 10, offset: 0 })).rows[0]?.outcome).toBe(
        'succeeded',
      );
    },
  );

  maybe(
    'a 429 or a spent budget gives the item back without counting an attempt, then it is revoked',
    async () => {
      const [one] = ids(1, 'rl');
      const fake = fakeClerk([one!]);
      fake.failOnce(
        new ConsoleApiError({
          kind: 'rate_limited',
          userMessage: 'Clerk is busy for this console: try again in 0 s.',
          retryAfterSeconds: 0,
        }),
      );
      const store = jobStore(db);
      const { id } = await store.create(sessionsJob([one!]));
      await run(fake.clerk, { concurrency: 1 }).idle();
      const { rows } = await store.items(id, { limit: 10 });
      expect(rows[0]).toMatchObject({ outcome: 'revoked', attempts: 1 });
      expect(fake.revokes.get(one!)).toBe(1);
      // One intent for the one revoke, and its outcome is the final one: no "failed" row for a revoked session.
      const audited = (await auditLog(db).list({ target: one!, limit: 10, offset: 0 })).rows;
      expect(audited.map((r) => [r.action, r.outcome, r.code])).toEqual([
        ['session.revoke', 'succeeded', null],
      ]);
    },
  );

  maybe('a paused job is left alone; cancelling marks what was not attempted', async () => {
    const all = ids(10, 'pause');
    const fake = fakeClerk(all);
    const store = jobStore(db);
    const { id } = await store.create(sessionsJob(all));
    expect(await store.transition(id, ['queued', 'running'], 'paused')).toBe(true);
    await run(fake.clerk).idle();
    expect(fake.revokes.size).toBe(0);
    expect(await store.transition(id, ['queued', 'running'], 'paused')).toBe(false);
    expect(await store.transition(id, ['paused'], 'cancelled')).toBe(true);
    const job = await store.get(id);
    expect(job).toMatchObject({ state: 'cancelled', total: 10 });
    expect(job?.counts.not_attempted).toBe(10);
  });

  maybe('the header counts queued and running jobs, not paused or ended ones', async () => {
    const store = jobStore(db);
    // Other tests in this file leave jobs behind: count from here.
    const base = await store.countInStates(RUNNING_JOB_STATES);
    const a = await store.create(sessionsJob(ids(2, 'count-a')));
    const b = await store.create(sessionsJob(ids(2, 'count-b')));
    expect(await store.countInStates(RUNNING_JOB_STATES)).toBe(base + 2);
    expect(await store.transition(a.id, ['queued'], 'running')).toBe(true);
    expect(await store.transition(b.id, ['queued'], 'paused')).toBe(true);
    expect(await store.countInStates(RUNNING_JOB_STATES)).toBe(base + 1);
    expect(await store.transition(a.id, ['running'], 'cancelled')).toBe(true);
    expect(await store.transition(b.id, ['paused'], 'cancelled')).toBe(true);
    expect(await store.countInStates(RUNNING_JOB_STATES)).toBe(base);
  });

  maybe(
    'a cancel settles claimed-but-unsent items as not attempted; only marked ones stay in flight',
    async () => {
      const store = jobStore(db);
      const { id } = await store.create(sessionsJob(ids(4, 'flight')));
      expect(await store.markRunning(id)).toBe(true);
      const [held, parked, unsent] = await store.claim('runner_a', 30_000, 3);
      expect(await store.markAttempt(held!.id, 'runner_a', 'intent-held')).toBe(true);
      expect(await store.markAttempt(parked!.id, 'runner_a', 'intent-parked')).toBe(true);
      expect(await store.inFlight(id)).toBe(3);
      // Released after a revoke whose outcome is unknown: parked for a read-back, nobody is working on it.
      await store.release(parked!.id, 'runner_a', { sent: true });
      expect(await store.transition(id, ['queued', 'running'], 'cancelled')).toBe(true);
      expect(await store.inFlight(id)).toBe(1);
      // The holder of the unsent item comes to send it: refused, the cancel got in first.
      expect(await store.markAttempt(unsent!.id, 'runner_a', 'intent-late')).toBe(false);
      expect(await store.finish(held!.id, 'runner_a', { outcome: 'revoked' })).toBe(true);
      expect(await store.inFlight(id)).toBe(0);
      expect((await store.get(id))?.counts).toMatchObject({ revoked: 1, not_attempted: 2, pending: 1 });
    },
  );

  maybe('"everywhere except this device" expands the user and keeps exactly that session', async () => {
    const all = ids(6, 'keep');
    const fake = fakeClerk(all, 'user_keep');
    fake.sessions.set('sess_otheruser', session('sess_otheruser', 'user_other'));
    const store = jobStore(db);
    const { id } = await store.create({
      idempotencyKey: crypto.randomUUID(),
      kind: 'user_except',
      scope: { userIds: ['user_keep'], keepSessionId: all[2] },
      reason: 'unit test: keep this device',
      actor,
      permission: 'sessions:revoke',
      sessions: [],
      expand: [{ kind: 'user', target: 'user_keep' }],
    });
    await run(fake.clerk).idle();
    const job = await store.get(id);
    expect(job).toMatchObject({ state: 'done', total: 5, expanding: 0 });
    expect(fake.sessions.get(all[2]!)?.status).toBe('active');
    expect(fake.sessions.get('sess_otheruser')?.status).toBe('active');
    expect(all.filter((s) => fake.sessions.get(s)?.status === 'revoked')).toHaveLength(5);
  });
});
