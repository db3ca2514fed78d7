// Issue 19 at the runner and store: a fair queue, jobs that stop when their member loses access, cancel that
// stops the work, expansion that resumes where it stopped, true owners and one audit intent per item.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleApiError } from '@/lib/clerk/errors';
import { auditLog } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { addStaff, fakeClerk, ids, session, sessionsJob } from '@/lib/testing/fake-runner-clerk';
import { jobStore } from './store';
import { JobCapError, type NewJob } from './store/lifecycle';
import type { ClaimedItem } from './store/claims';
import { startRunner, type JobRunner, type RunnerClerk } from './runner';
import { MAX_ACTIVE_JOBS_PER_MEMBER, MAX_QUEUED_ITEMS_PER_MEMBER } from './types';

const pg = postgresForThisFile();

type Member = Awaited<ReturnType<typeof addStaff>>;

function userJob(by: Member, userId: string, extra: Partial<NewJob> = {}): NewJob {
  return {
    idempotencyKey: crypto.randomUUID(),
    kind: 'users',
    scope: { userIds: [userId] },
    reason: 'unit test: expand a user',
    actor: by,
    permission: 'sessions:revoke',
    sessions: [],
    expand: [{ kind: 'user', target: userId }],
    ...extra,
  };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe.each(TEST_ENGINES)('trustworthy jobs on %s', (engine) => {
  let db: Db;
  const runners: JobRunner[] = [];
  const run = (clerk: RunnerClerk, extra: Partial<Parameters<typeof startRunner>[0]> = {}) => {
    const r = startRunner({ db, clerk, concurrency: 1, leaseMs: 30_000, pollMs: 20, ...extra });
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    if (engine === 'postgres' && !pg.server) return;
    db = await openTestDb(engine, pg.server);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await db?.destroy();
  });
  const maybe = (name: string, fn: () => Promise<void>) =>
    it(
      name,
      async (ctx) => {
        if (!db) return ctx.skip();
        await fn();
      },
      60_000,
    );

  describe('a fair queue', () => {
    for (const urgent of ['sessions:revoke', 'jobs:incident'] as const) {
      maybe(
        `an admin's 15-session job (${urgent}) behind a 5,000-session job is done within a bounded number of claims`,
        async () => {
          const support = await addStaff(db, 'support');
          const admin = await addStaff(db, 'admin');
          const big = ids(5000, `big-${urgent}`);
          const small = ids(15, `small-${urgent}`);
          const fake = fakeClerk([...big, ...small]);
          const store = jobStore(db);
          const long = await store.create(sessionsJob(big, undefined, support));
          const { id } = await store.create({ ...sessionsJob(small, undefined, admin), permission: urgent });
          const claims: ClaimedItem[] = [];
          const done = gate();
          let settled = 0;
          run(fake.clerk, {
            onClaimed: (i) => claims.push(i),
            onItemSettled: (i) => {
              if (i.jobId === id && ++settled === small.length) done.open();
            },
          });
          await done.opened;
          const upTo = claims.length;
          await Promise.all(runners.splice(0).map((r) => r.stop()));
          await store.transition(long.id, ['queued', 'running'], 'cancelled');
          expect((await store.get(id))?.counts.revoked).toBe(15);
          // Oldest first, the 15 would come after 5,000 claims. Round-robin: every other claim; incident: first.
          expect(upTo).toBeLessThanOrEqual(urgent === 'jobs:incident' ? 16 : 2 * small.length + 2);
          expect(claims.filter((c) => c.jobId === long.id).length).toBeLessThanOrEqual(small.length + 1);
        },
      );
    }

    maybe('each member has a cap on jobs under way and on queued items', async () => {
      const member = await addStaff(db, 'support');
      const store = jobStore(db);
      for (let i = 0; i < MAX_ACTIVE_JOBS_PER_MEMBER; i++)
        await store.create(sessionsJob(ids(2, `cap${i}-${member.staffId}`), undefined, member));
      const refused = await store
        .create(sessionsJob(ids(2, `cap-over-${member.staffId}`), undefined, member))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(JobCapError);
      expect(refused).toMatchObject({ what: 'jobs', limit: MAX_ACTIVE_JOBS_PER_MEMBER });
      expect(await store.cancelAllOf(member.staffId, member)).toHaveLength(MAX_ACTIVE_JOBS_PER_MEMBER);

      const other = await addStaff(db, 'support');
      await store.create(sessionsJob(ids(10, `items-${other.staffId}`), undefined, other));
      const tooMany = ids(MAX_QUEUED_ITEMS_PER_MEMBER - 9, `items2-${other.staffId}`);
      await expect(store.create(sessionsJob(tooMany, undefined, other))).rejects.toMatchObject({
        what: 'items',
        limit: MAX_QUEUED_ITEMS_PER_MEMBER,
      });
      expect(await store.cancelAllOf(other.staffId, other)).toHaveLength(1);
    });
  });

  describe('a member who loses access', () => {
    const changes = {
      disabled: { disabled: 1 },
      demoted: { role: 'viewer' },
      'signed out everywhere': { session_version: 1 },
    } as const;
    for (const [what, change] of Object.entries(changes)) {
      maybe(
        `${what}: their job pauses within one claim, audited; an admin adopts and finishes it`,
        async () => {
          const member = await addStaff(db, 'support');
          const admin = await addStaff(db, 'admin');
          const all = ids(30, `lost-${member.staffId}`);
          const fake = fakeClerk(all);
          const store = jobStore(db);
          const { id } = await store.create(sessionsJob(all, undefined, member));
          let claimsAfter = -1;
          fake.hooks.beforeRevoke = async () => {
            if (fake.revokes.size === 4 && claimsAfter < 0) {
              await db.updateTable('staff').set(change).where('id', '=', member.staffId).execute();
              claimsAfter = 0;
            }
          };
          await run(fake.clerk, { onClaimed: () => claimsAfter >= 0 && claimsAfter++ }).idle();
          expect(fake.revokes.size).toBe(5);
          expect(claimsAfter).toBe(1);
          const paused = await store.get(id);
          expect(paused).toMatchObject({ state: 'paused', pausedReason: 'owner_lost_access', runAs: null });
          expect(paused?.counts).toMatchObject({ revoked: 5, pending: 25 });
          const { rows } = await auditLog(db).list({
            action: 'job.pause',
            actor: member.email,
            limit: 10,
            offset: 0,
          });
          expect(rows.filter((r) => r.details.jobId === id).map((r) => r.details.why)).toEqual([
            'owner_lost_access',
          ]);

          // An administrator takes it over and resumes it as themselves.
          await Promise.all(runners.splice(0).map((r) => r.stop()));
          expect(await store.adopt(id, admin)).toBe(true);
          expect(await store.transition(id, ['paused'], 'running')).toBe(true);
          await run(fake.clerk).idle();
          const done = await store.get(id);
          expect(done).toMatchObject({
            state: 'done',
            pausedReason: null,
            runAs: { staffId: admin.staffId },
          });
          expect(done?.counts.revoked).toBe(30);
          const last = (await auditLog(db).list({ target: all[29]!, limit: 5, offset: 0 })).rows;
          expect(last.map((r) => [r.actor.email, r.outcome])).toEqual([[admin.email, 'succeeded']]);
        },
      );
    }

    maybe(
      'an intent kept open for a retry is closed on adoption; the revoke is audited under the admin',
      async () => {
        const member = await addStaff(db, 'support');
        const admin = await addStaff(db, 'admin');
        const [sid] = ids(1, `kept-${member.staffId}`);
        const fake = fakeClerk([sid!]);
        const store = jobStore(db);
        const { id } = await store.create(sessionsJob([sid!], undefined, member));
        await store.markRunning(id);
        const [item] = await store.claim('runner_k', 30_000, 1);
        const intent = await auditLog(db).begin({
          actor: { staffId: member.staffId, email: member.email, role: 'support' },
          action: 'session.revoke',
          target: { sessionId: sid!, userId: 'user_a' },
          details: { jobId: id },
          ctx: { ip: null, userAgent: null },
        });
        expect(await store.markAttempt(item!.id, 'runner_k', intent.id)).toBe(true);
        // A 429 came back: the item waits for its retry with its intent open, and then its member loses access.
        await store.release(item!.id, 'runner_k', { sent: false, keepIntent: true });
        expect(await store.pauseLostAccess(id)).toBe(true);
        expect(await store.adopt(id, admin)).toBe(true);
        expect(await store.transition(id, ['paused'], 'running')).toBe(true);
        await run(fake.clerk).idle();
        const rows = (await auditLog(db).list({ target: sid!, limit: 5, offset: 0 })).rows;
        expect(rows.map((r) => [r.actor.email, r.outcome, r.code]).sort()).toEqual(
          [
            [admin.email, 'succeeded', null],
            [member.email, 'failed', 'not_attempted'],
          ].sort(),
        );
        expect(fake.revokes.get(sid!)).toBe(1);
      },
    );

    maybe('an incident job cannot be adopted by a support member', async () => {
      const admin = await addStaff(db, 'admin');
      const support = await addStaff(db, 'support');
      const store = jobStore(db);
      const { id } = await store.create({
        ...sessionsJob(ids(2, `inc-${admin.staffId}`), undefined, admin),
        permission: 'jobs:incident',
      });
      await store.transition(id, ['queued'], 'paused');
      expect(await store.adopt(id, support)).toBe(false);
      expect(await store.cancelAllOf(admin.staffId, admin)).toEqual([id]);
    });
  });

  describe('cancel stops the work', () => {
    maybe('no revoke leaves after a cancel, even with revokes blocked mid-call when it lands', async () => {
      const member = await addStaff(db, 'support');
      const all = ids(20, `cancel-${member.staffId}`);
      const fake = fakeClerk(all);
      const store = jobStore(db);
      const { id } = await store.create(sessionsJob(all, undefined, member));
      const release = gate();
      let calls = 0;
      fake.hooks.beforeRevoke = async () => {
        calls++;
        await release.opened;
      };
      const runner = run(fake.clerk, { concurrency: 3 });
      await expect.poll(() => calls).toBeGreaterThanOrEqual(1);
      expect(await store.transition(id, ['queued', 'running'], 'cancelled')).toBe(true);
      const inFlight = await store.inFlight(id);
      release.open();
      await runner.idle();
      expect(inFlight).toBeGreaterThanOrEqual(1);
      expect(inFlight).toBeLessThanOrEqual(3);
      expect(calls).toBe(inFlight);
      const job = await store.get(id);
      expect(job?.counts).toMatchObject({ revoked: inFlight, not_attempted: 20 - inFlight, pending: 0 });
    });

    maybe('an expansion in flight adds nothing to a job cancelled meanwhile', async () => {
      const member = await addStaff(db, 'support');
      const store = jobStore(db);
      const { id } = await store.create(userJob(member, 'user_cancel'));
      await store.markRunning(id);
      const [item] = await store.claim('runner_x', 30_000, 1);
      expect(item?.kind).toBe('user');
      expect(await store.transition(id, ['running'], 'cancelled')).toBe(true);
      const found = [{ sessionId: 'sess_late', userId: 'user_cancel' }];
      expect(
        await store.savePage(item!, 'runner_x', found, { cursor: null, hold: true, singleOwner: true }),
      ).toBe('not_running');
      const job = await store.get(id);
      expect(job).toMatchObject({ state: 'cancelled', total: 0, expanding: 0 });
    });
  });

  describe('expansion', () => {
    maybe(
      'pages are saved as they come: a 429 resumes at the page it stopped, nothing is revoked before the last page',
      async () => {
        const member = await addStaff(db, 'support');
        const uid = `user_pages_${member.staffId}`;
        const all = ids(10, `pages-${member.staffId}`);
        const fake = fakeClerk(all, uid, 3);
        fake.failPageOnce(
          new ConsoleApiError({ kind: 'rate_limited', userMessage: 'busy', retryAfterSeconds: 0 }),
        );
        const store = jobStore(db);
        const { id } = await store.create(userJob(member, uid));
        let pagesAtFirstRevoke = -1;
        fake.hooks.beforeRevoke = async () => {
          if (pagesAtFirstRevoke < 0) pagesAtFirstRevoke = fake.pages.length;
        };
        // The first page call fails: retried at offset 0 once, then page by page from there.
        await run(fake.clerk).idle();
        expect(fake.pages).toEqual([0, 0, 3, 6, 9]);
        expect(pagesAtFirstRevoke).toBe(5);
        expect((await store.get(id))?.counts.revoked).toBe(10);
        expect([...fake.revokes.values()].every((n) => n === 1)).toBe(true);
      },
    );

    maybe('after a crash mid-expansion the next holder resumes from the saved page', async () => {
      const member = await addStaff(db, 'support');
      const uid = `user_crash_${member.staffId}`;
      const all = ids(10, `crash-${member.staffId}`);
      const fake = fakeClerk(all, uid, 3);
      const store = jobStore(db);
      const { id } = await store.create(userJob(member, uid));
      await store.markRunning(id);
      const [item] = await store.claim('dead-instance', 30_000, 1);
      const first = all.slice(0, 3).map((sessionId) => ({ sessionId, userId: uid }));
      expect(
        await store.savePage(item!, 'dead-instance', first, { cursor: '3', hold: true, singleOwner: true }),
      ).toBe('saved');
      // While the user is half read, the sessions found so far are held: nothing to claim.
      expect(await store.claim('other', 30_000, 5)).toEqual([]);
      await db
        .updateTable('revocation_job_items')
        .set({ lease_until: new Date(0).toISOString() })
        .where('id', '=', item!.id)
        .execute();
      await run(fake.clerk).idle();
      expect(fake.pages).toEqual([3, 6, 9]);
      expect((await store.get(id))?.counts.revoked).toBe(10);
    });

    maybe('past the job cap the item fails loudly and the job says so', async () => {
      const member = await addStaff(db, 'support');
      const uid = `user_cap_${member.staffId}`;
      const fake = fakeClerk(ids(8, `capx-${member.staffId}`), uid, 3);
      const store = jobStore(db);
      const { id } = await store.create(userJob(member, uid));
      await run(fake.clerk, { maxJobSessions: 5 }).idle();
      const job = await store.get(id);
      expect(job).toMatchObject({ state: 'done', total: 5, expanding: 0 });
      expect(job?.counts.revoked).toBe(5);
      expect(job?.error).toMatch(/limit of 5 sessions/);
      const expansion = await db
        .selectFrom('revocation_job_items')
        .select(['outcome', 'code'])
        .where('job_id', '=', id)
        .where('kind', '=', 'user')
        .executeTakeFirst();
      expect(expansion).toEqual({ outcome: 'failed', code: 'job_session_cap' });
    });
  });

  describe('reads', () => {
    maybe('item pages go by item id: every item once, in order, and the last page says so', async () => {
      const member = await addStaff(db, 'support');
      const all = ids(2500, `keyset-${member.staffId}`);
      const store = jobStore(db);
      const { id } = await store.create(sessionsJob(all, undefined, member));
      const seen: string[] = [];
      let after: number | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof store.items>> = await store.items(id, { limit: 1000, after });
        seen.push(...page.rows.map((r) => r.sessionId));
        after = page.next;
        pages++;
      } while (after !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual(all);
      const [summary] = (await store.activeSummaries()).filter((j) => j.id === id);
      expect(summary).toMatchObject({ done: 0, total: 2500, state: 'queued' });
      await store.transition(id, ['queued'], 'cancelled');
    });
  });

  describe('true owners', () => {
    maybe(
      "with no owner named, each revoke is audited under the owner Clerk reports; the job's users are the owners",
      async () => {
        const admin = await addStaff(db, 'admin');
        const a = ids(3, `own-a-${admin.staffId}`);
        const b = ids(2, `own-b-${admin.staffId}`);
        const fake = fakeClerk(a, `ua_${admin.staffId}`);
        for (const s of b) fake.sessions.set(s, session(s, `ub_${admin.staffId}`));
        const store = jobStore(db);
        const { id } = await store.create({
          ...sessionsJob([...a, ...b], undefined, admin, null),
          permission: 'jobs:incident',
        });
        await run(fake.clerk).idle();
        const job = await store.get(id);
        expect(job?.counts.revoked).toBe(5);
        expect(job?.owners).toEqual({ count: 2, first: [`ua_${admin.staffId}`, `ub_${admin.staffId}`] });
        const ofB = (
          await auditLog(db).list({
            target: `ub_${admin.staffId}`,
            action: 'session.revoke',
            limit: 10,
            offset: 0,
          })
        ).rows;
        expect(ofB.map((r) => r.target.sessionId).sort()).toEqual([...b].sort());
        expect(ofB.every((r) => r.outcome === 'succeeded')).toBe(true);
      },
    );

    maybe("a job with one owner's permission never revokes a second owner's sessions", async () => {
      const support = await addStaff(db, 'support');
      const a = ids(2, `one-a-${support.staffId}`);
      const b = ids(2, `one-b-${support.staffId}`);
      const fake = fakeClerk(a, `ua_${support.staffId}`);
      for (const s of b) fake.sessions.set(s, session(s, `ub_${support.staffId}`));
      const store = jobStore(db);
      const { id } = await store.create(sessionsJob([...a, ...b], undefined, support, null));
      await run(fake.clerk).idle();
      const { rows } = await store.items(id, { limit: 10 });
      expect(rows.map((r) => [r.outcome, r.code])).toEqual([
        ['revoked', null],
        ['revoked', null],
        ['failed', 'second_owner'],
        ['failed', 'second_owner'],
      ]);
      expect(b.map((s) => fake.revokes.get(s) ?? 0)).toEqual([0, 0]);
    });

    maybe(
      'a client shared by two users fails its expansion in a one-owner job, revoking nothing',
      async () => {
        const support = await addStaff(db, 'support');
        const fake = fakeClerk([]);
        fake.sessions.set('sess_shared1', {
          ...session('sess_shared1', 'u_one'),
          clientId: `client_${support.staffId}`,
        });
        fake.sessions.set('sess_shared2', {
          ...session('sess_shared2', 'u_two'),
          clientId: `client_${support.staffId}`,
        });
        const store = jobStore(db);
        const { id } = await store.create({
          ...userJob(support, 'x'),
          kind: 'client',
          scope: { clientId: `client_${support.staffId}` },
          expand: [{ kind: 'client', target: `client_${support.staffId}` }],
        });
        await run(fake.clerk).idle();
        const job = await store.get(id);
        expect(job).toMatchObject({ state: 'done', total: 0 });
        expect(job?.error).toMatch(/more than one user/);
        expect(fake.revokes.size).toBe(0);
      },
    );

    maybe(
      "Clerk's answer names the owner: a mismatch with the job's is recorded on the item and the audit row",
      async () => {
        const support = await addStaff(db, 'support');
        const [sid] = ids(1, `mismatch-${support.staffId}`);
        const fake = fakeClerk([sid!], 'user_real');
        const store = jobStore(db);
        const { id } = await store.create(sessionsJob([sid!], undefined, support, 'user_decoy'));
        await run(fake.clerk).idle();
        const { rows } = await store.items(id, { limit: 10 });
        expect(rows[0]).toMatchObject({ outcome: 'revoked', userId: 'user_real', code: 'owner_mismatch' });
        const audited = (await auditLog(db).list({ target: sid!, limit: 5, offset: 0 })).rows;
        expect(audited).toHaveLength(1);
        expect(audited[0]).toMatchObject({ outcome: 'succeeded', code: 'owner_mismatch' });
        expect(audited[0]?.details.owner).toBe('user_real');
      },
    );
  });
});
