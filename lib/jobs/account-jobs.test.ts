// Issue 21 at the runner and store, on both engines: incident jobs that contain (ban in batches of 50, lock, flag
// passwords), secure_account jobs whose steps run in order, survive a crash without doing anything twice, and keep
// every other step's outcome when Clerk refuses one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleApiError } from '@/lib/clerk/errors';
import { recordTraceId } from '@/lib/clerk/trace';
import { currentLane } from '@/lib/clerk/lane';
import type { AccountStateDto } from '@/lib/clerk/account';
import { auditLog } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { addStaff, fakeClerk } from '@/lib/testing/fake-runner-clerk';
import type { SecureStep } from '@/lib/account/steps';
import { jobStore } from './store';
import type { NewJob } from './store/lifecycle';
import { startRunner, type JobRunner, type RunnerClerk } from './runner';
import { incidentPolicy, jobPolicy, mayRunJob, secureAccountPolicy } from './policy';
import { inRunOrder } from './secure-account';
import type { AccountAction } from './types';

const pg = postgresForThisFile();
type Member = Awaited<ReturnType<typeof addStaff>>;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** Counts what Clerk was asked, and what it changed: a step done twice shows as a count of 2. */
function fakeAccounts(userIds: string[], opts: { apiKeys?: number; devices?: number } = {}) {
  const state = new Map(userIds.map((u) => [u, { banned: 0, locked: 0, flagged: 0, mfa: 1 }]));
  const keys = new Map<string, boolean>();
  const devices = new Map<string, boolean>();
  for (let i = 0; i < (opts.apiKeys ?? 0); i++) keys.set(`ak_${String(i).padStart(32, '0')}`, true);
  for (let i = 0; i < (opts.devices ?? 0); i++) devices.set(`td_${i}`, true);
  const calls: { op: string; ids: string[]; lane: string }[] = [];
  const effects = new Map<string, number>();
  const hooks: { before?: (op: string) => Promise<void> | void } = {};
  let n = 0;
  const dto = (u: string): AccountStateDto => {
    const s = state.get(u)!;
    return {
      userId: u,
      banned: s.banned > 0,
      locked: s.locked > 0,
      lockoutExpiresInSeconds: null,
      verificationAttemptsRemaining: null,
      passwordEnabled: true,
      passwordCompromised: s.flagged > 0,
      twoFactorEnabled: s.mfa > 0,
      totpEnabled: s.mfa > 0,
      backupCodeEnabled: false,
      mfaEnabledAt: null,
      mfaDisabledAt: null,
    };
  };
  const call = async (op: string, ids: string[]) => {
    calls.push({ op, ids, lane: currentLane().lane });
    await hooks.before?.(op);
    recordTraceId(`trace_${op}_${++n}`);
  };
  const effect = (what: string) => effects.set(what, (effects.get(what) ?? 0) + 1);
  const clerk: NonNullable<RunnerClerk['account']> = {
    async state(u) {
      await call('state', [u]);
      return dto(u);
    },
    async ban(ids) {
      await call('ban', ids);
      for (const u of ids) {
        state.get(u)!.banned++;
        effect(`ban:${u}`);
      }
      return ids.map(dto);
    },
    async lock(u) {
      await call('lock', [u]);
      state.get(u)!.locked++;
      effect(`lock:${u}`);
      return dto(u);
    },
    async setCompromised(u) {
      await call('set_compromised', [u]);
      state.get(u)!.flagged++;
      effect(`flag:${u}`);
      return dto(u);
    },
    async resetMfa(u) {
      await call('reset_mfa', [u]);
      state.get(u)!.mfa = 0;
      effect(`mfa:${u}`);
      return { userId: u };
    },
    async apiKeys(u) {
      await call('api_keys', [u]);
      return [...keys].filter(([, ok]) => ok).map(([id]) => ({ id }) as never);
    },
    async revokeApiKey(id) {
      await call('revoke_api_key', [id]);
      keys.set(id, false);
      effect(`key:${id}`);
      return { id } as never;
    },
    async trustedDevices(u) {
      await call('trusted_devices', [u]);
      return [...devices].filter(([, ok]) => ok).map(([id]) => ({ id, status: 'active' }) as never);
    },
    async revokeTrustedDevice(_u, id) {
      await call('revoke_device', [id]);
      devices.set(id, false);
      effect(`device:${id}`);
      return { id } as never;
    },
  };
  return { clerk, calls, effects, hooks, state };
}

function incidentJob(by: Member, userIds: string[], action: AccountAction): NewJob {
  return {
    idempotencyKey: crypto.randomUUID(),
    kind: 'users',
    scope: { userIds: userIds.slice(0, 20) },
    reason: 'incident 21: credential stuffing',
    actor: by,
    permission: incidentPolicy(action, jobPolicy({ kind: 'users', userIds }, { sessions: null, users: 2 }))
      .permission,
    sessions: [],
    expand: [],
    action,
    steps: userIds.map((u) => ({ target: u, userId: u, step: action })),
  };
}

function secureJob(by: Member, userId: string, chosen: SecureStep[]): NewJob {
  const steps = inRunOrder(chosen);
  return {
    idempotencyKey: crypto.randomUUID(),
    kind: 'users',
    scope: { userIds: [userId], steps },
    reason: 'ticket 4711: account taken over',
    actor: by,
    permission: secureAccountPolicy(steps).permission,
    sessions: [],
    expand: [],
    action: 'secure_account',
    steps: steps.map((step) => ({ target: step, userId, step })),
  };
}

const users = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `user_${tag}${String(i).padStart(4, '0')}`);

describe.each(TEST_ENGINES)('account jobs on %s', (engine) => {
  let db: Db;
  const runners: JobRunner[] = [];
  const run = (clerk: RunnerClerk, extra: Partial<Parameters<typeof startRunner>[0]> = {}) => {
    const r = startRunner({ db, clerk, concurrency: 1, leaseMs: 30_000, pollMs: 20, ...extra });
    runners.push(r);
    return r;
  };
  const withAccounts = (a: ReturnType<typeof fakeAccounts>, sessions = fakeClerk([])) =>
    ({ ...sessions.clerk, account: a.clerk }) satisfies RunnerClerk;
  const finished = async (id: string) => {
    await expect
      .poll(async () => (await jobStore(db).get(id))?.state, { timeout: 45_000, interval: 50 })
      .toBe('done');
    return (await jobStore(db).get(id))!;
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
      90_000,
    );

  maybe(
    'a 500-user ban job sends 10 bans of 50 in the bulk lane; each user is banned once and audited',
    async () => {
      const admin = await addStaff(db, 'admin');
      const list = users(500, `ban${engine}`);
      const fake = fakeAccounts(list);
      const { id } = await jobStore(db).create(incidentJob(admin, list, 'ban'));
      const started = Date.now();
      run(withAccounts(fake));
      const job = await finished(id);
      const ms = Date.now() - started;
      const bans = fake.calls.filter((c) => c.op === 'ban');
      expect(bans.map((b) => b.ids.length)).toEqual(Array(10).fill(50));
      expect(fake.calls).toHaveLength(10);
      expect(new Set(fake.calls.map((c) => c.lane))).toEqual(new Set(['bulk']));
      expect([...fake.effects.values()].every((v) => v === 1)).toBe(true);
      expect(fake.effects.size).toBe(500);
      expect(job.counts).toMatchObject({ done: 500, pending: 0, failed: 0 });
      const { rows } = await auditLog(db).list({ action: 'account.ban', limit: 1000, offset: 0 });
      expect(rows).toHaveLength(500);
      expect(rows.every((r) => r.outcome === 'succeeded' && r.traceId?.startsWith('trace_ban_'))).toBe(true);
      expect(rows[0]!.details).toMatchObject({ reason: 'incident 21: credential stuffing', jobId: id });
      console.info(`[${engine}] 500-user ban job: ${bans.length} ban requests, ${ms} ms`);
    },
  );

  for (const action of ['lock', 'password_compromised'] as const) {
    maybe(`an incident job that chooses ${action} sends one request per user`, async () => {
      const admin = await addStaff(db, 'admin');
      const list = users(30, `${action.slice(0, 4)}${engine}`);
      const fake = fakeAccounts(list);
      const { id } = await jobStore(db).create(incidentJob(admin, list, action));
      run(withAccounts(fake));
      const job = await finished(id);
      expect(fake.calls).toHaveLength(30);
      expect(fake.calls.every((c) => c.ids.length === 1)).toBe(true);
      expect(fake.effects.size).toBe(30);
      expect(job.counts.done).toBe(30);
      const items = await jobStore(db).items(id, { limit: 100 });
      expect(items.rows[0]).toMatchObject({ step: action, outcome: 'done', traceId: expect.any(String) });
    });
  }

  maybe('a support member cannot run a ban job: the runner pauses it and sends nothing', async () => {
    const support = await addStaff(db, 'support');
    const list = users(3, `nb${engine}`);
    const job = incidentJob(support, list, 'ban');
    expect(mayRunJob('support', job.permission!)).toBe(false);
    const fake = fakeAccounts(list);
    const { id } = await jobStore(db).create(job);
    run(withAccounts(fake));
    await expect
      .poll(async () => (await jobStore(db).get(id))?.pausedReason, { timeout: 30_000, interval: 50 })
      .toBe('owner_lost_access');
    expect(fake.calls).toHaveLength(0);
  });

  maybe(
    'secure_account: killed in the middle of a step and between steps, nothing is done twice',
    async () => {
      const admin = await addStaff(db, 'admin');
      const [user] = users(1, `sec${engine}`);
      const fake = fakeAccounts([user!], { apiKeys: 3 });
      const sessions = fakeClerk(['sess_k1', 'sess_k2', 'sess_k3', 'sess_k4'], user!);
      const store = jobStore(db);
      const steps: SecureStep[] = ['sign_out_all', 'password_compromised', 'lock', 'revoke_api_keys'];
      const { id } = await store.create(secureJob(admin, user!, steps));
      // The first runner dies on its third session revoke: the revoke never reaches Clerk and its lease runs out.
      const stuck = gate();
      const died = gate();
      let revokes = 0;
      sessions.hooks.beforeRevoke = async () => {
        if (++revokes === 3) {
          died.open();
          await stuck.opened;
          throw new ConsoleApiError({ kind: 'unavailable', userMessage: 'gone' });
        }
      };
      const first = startRunner({
        db,
        clerk: withAccounts(fake, sessions),
        concurrency: 1,
        leaseMs: 300,
        pollMs: 20,
      });
      await died.opened;
      // Meanwhile the first two steps are done, the third (sign out) half done.
      run(withAccounts(fake, sessions));
      const job = await finished(id);
      stuck.open();
      await first.stop();
      expect([...sessions.revokes.values()]).toEqual([1, 1, 1, 1]);
      expect([...fake.effects.entries()].filter(([, v]) => v !== 1)).toEqual([]);
      expect(fake.effects.get(`lock:${user}`)).toBe(1);
      expect(fake.effects.get(`flag:${user}`)).toBe(1);
      expect([...fake.effects.keys()].filter((k) => k.startsWith('key:'))).toHaveLength(3);
      expect(job.counts).toMatchObject({ done: 4, pending: 0 });
      const items = (await store.items(id, { limit: 10 })).rows;
      expect(items.map((i) => i.step)).toEqual([
        'lock',
        'password_compromised',
        'sign_out_all',
        'revoke_api_keys',
      ]);
      expect(items.find((i) => i.step === 'sign_out_all')).toMatchObject({
        outcome: 'done',
        detail: { sessions: 4 },
        message: 'Revoked 4 sessions.',
      });
      expect(items.find((i) => i.step === 'revoke_api_keys')).toMatchObject({ detail: { apiKeys: 3 } });
      // One intent per step, reused after the crash; its outcome carries the reason's job and Clerk's trace id.
      const audit = auditLog(db);
      const signOut = (
        await audit.list({ action: 'account.sign_out_all', limit: 10, offset: 0 })
      ).rows.filter((r) => r.details.jobId === id);
      expect(signOut).toHaveLength(1);
      expect(signOut[0]).toMatchObject({
        outcome: 'succeeded',
        details: { reason: 'ticket 4711: account taken over' },
      });
      const keyRows = (await audit.list({ action: 'api_key.revoke', limit: 10, offset: 0 })).rows.filter(
        (r) => r.details.jobId === id,
      );
      expect(keyRows).toHaveLength(3);
      expect(keyRows.every((r) => r.outcome === 'succeeded' && r.traceId)).toBe(true);
    },
  );

  maybe(
    'a step Clerk refuses (402) is "refused" with a plain message; the other steps keep their outcomes',
    async () => {
      const admin = await addStaff(db, 'admin');
      const [user] = users(1, `ref${engine}`);
      const fake = fakeAccounts([user!], { apiKeys: 2 });
      fake.hooks.before = (op) => {
        if (op === 'api_keys')
          throw new ConsoleApiError({
            kind: 'forbidden',
            status: 402,
            clerkCode: 'unsupported_subscription_plan_features',
            traceId: 'trace_refused',
            userMessage: 'Clerk refused this request.',
          });
      };
      const { id } = await jobStore(db).create(
        secureJob(admin, user!, ['lock', 'revoke_api_keys', 'reset_mfa']),
      );
      run(withAccounts(fake));
      const job = await finished(id);
      const items = (await jobStore(db).items(id, { limit: 10 })).rows;
      expect(items.map((i) => [i.step, i.outcome])).toEqual([
        ['lock', 'done'],
        ['revoke_api_keys', 'refused'],
        ['reset_mfa', 'done'],
      ]);
      expect(items[1]).toMatchObject({
        traceId: 'trace_refused',
        message: expect.stringMatching(/^Your Clerk plan does not include API keys/),
      });
      expect(job.counts).toMatchObject({ done: 2, refused: 1 });
    },
  );

  maybe('a step already so reads "already" and sends no write', async () => {
    const admin = await addStaff(db, 'admin');
    const [user] = users(1, `alr${engine}`);
    const fake = fakeAccounts([user!]);
    fake.state.get(user!)!.banned = 1;
    const { id } = await jobStore(db).create(secureJob(admin, user!, ['ban']));
    run(withAccounts(fake));
    await finished(id);
    expect(fake.calls.map((c) => c.op)).toEqual(['state']);
    const [item] = (await jobStore(db).items(id, { limit: 10 })).rows;
    expect(item).toMatchObject({ outcome: 'already', message: 'Already banned.' });
  });
});
