// Two-person approval through the real actions, against the embedded Clerk API, on SQLite and PostgreSQL: the
// requester cannot approve their own request, support cannot approve, a second admin can (one job, the requester's,
// the approver in its audit row), an expired request cannot run, decline and cancel, break-glass audited as such.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInState } from '@/lib/testing/signed-in';
import { staffSession } from '@/lib/testing/console-fixture';
import {
  useFixtureAsConsoleApi,
  withLocalClerk,
  type LocalClerkFixture,
} from '@/lib/testing/local-clerk-fixture';
import { postgresForThisFile } from '@/lib/testing/engines';
import { freshPostgresSchema, TEST_ENGINES } from '@/lib/testing/pg';

const state = signedInState({ 'x-console-client-ip': '198.51.100.23' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

type Member = 'requester' | 'second' | 'third' | 'support';
const PASSWORD = 'correct horse battery staple';
const key = () => crypto.randomUUID();
const pg = postgresForThisFile();
let api: LocalClerkFixture;
let dataDir: string;
const userIds: string[] = [];

beforeAll(async () => {
  api = await withLocalClerk();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-approvals-'));
  const res = await fetch(`${api.url}/v1/users?limit=60&offset=120`, {
    headers: { Authorization: `Bearer ${api.secretKey}` },
  });
  // Users with an active session: a dry run counts those, and the threshold is about them.
  for (const { id } of (await res.json()) as { id: string }[]) {
    if (userIds.length === 16) break;
    const list = await api.clerk.sessions.getSessionList({ userId: id, status: 'active', limit: 1 });
    if (list.totalCount > 0) userIds.push(id);
  }
  expect(userIds).toHaveLength(16);
}, 60_000);

afterAll(async () => {
  const { closeDb } = await import('@/lib/db');
  await closeDb();
  await api?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.each(TEST_ENGINES)('approvals on %s', (engine) => {
  const staff = {} as Record<Member, { id: string; email: string }>;
  let db: import('@/lib/db').Db;
  let jobs: typeof import('@/app/(console)/jobs/actions');
  let approvals: typeof import('@/app/(console)/approvals/actions');
  let audit: ReturnType<typeof import('@/lib/audit').auditLog>;
  let skip = false;

  function as(m: Member) {
    state.session = staffSession(staff[m].id);
  }

  beforeAll(async () => {
    if (engine === 'postgres' && !pg.server) {
      skip = true;
      return;
    }
    const { closeDb, getDb } = await import('@/lib/db');
    const { resetEnvForTests } = await import('@/lib/env');
    await closeDb();
    useFixtureAsConsoleApi(api, path.join(dataDir, engine), {
      CLERK_TIMEOUT_MS: '3000',
      CLERK_RATE_BUDGET: '1000',
      JOBS_RUNNER: '0',
      APPROVAL_ACTIONS: 'ban,mfa_reset,lock',
      // Mail is on (queued only: no loop runs in this file), so "tell the user" has somewhere to go.
      SMTP_URL: 'smtp://127.0.0.1:9',
      ...(engine === 'postgres' ? { DATABASE_URL: await freshPostgresSchema(pg.server!.url) } : {}),
    });
    resetEnvForTests();
    db = await getDb();
    const { staffStore } = await import('@/lib/auth/staff-store');
    const { auditLog } = await import('@/lib/audit');
    audit = auditLog(db);
    for (const [m, role] of [
      ['requester', 'admin'],
      ['second', 'admin'],
      ['third', 'admin'],
      ['support', 'support'],
    ] as const) {
      const s = await staffStore(db).add({
        email: `${m}.${engine}@approvals.test`,
        role,
        password: PASSWORD,
      });
      staff[m] = { id: s.id, email: s.email };
    }
    jobs = await import('@/app/(console)/jobs/actions');
    approvals = await import('@/app/(console)/approvals/actions');
  }, 60_000);

  const maybe = (name: string, fn: () => Promise<void>) =>
    it(
      name,
      async (ctx) => {
        if (skip) return ctx.skip();
        await fn();
      },
      60_000,
    );

  /** A sign-out job over the first n users, from a real dry run; started (or requested) by `who`. */
  async function startOver(n: number, who: Member, extra: Record<string, unknown> = {}) {
    as(who);
    const target = { kind: 'users' as const, userIds: userIds.slice(0, n) };
    const dry = await jobs.dryRunJobAction({ target });
    if (!dry.ok) throw new Error(dry.message);
    const r = await jobs.createJobAction({
      target,
      reason: 'incident 23: phished helpdesk',
      reasonCode: 'suspected_compromise',
      ticket: 'INC-2301',
      idempotencyKey: key(),
      plan: dry.data.plan,
      confirmCount: dry.data.sessions,
      password: PASSWORD,
      ...extra,
    });
    return { dry: dry.data, r };
  }

  async function requestOver11(): Promise<string> {
    const { r } = await startOver(11, 'requester');
    if (!r.ok || !('approvalId' in r.data)) throw new Error(`no request: ${JSON.stringify(r)}`);
    return r.data.approvalId;
  }

  const jobsOf = (approvalId: string) =>
    db
      .selectFrom('revocation_jobs')
      .selectAll()
      .where('idempotency_key', '=', `approval:${approvalId}`)
      .execute();

  const rows = async (action: string) =>
    (await audit.list({ action: action as never, limit: 50, offset: 0 })).rows;

  maybe('10 users start at once; 11 become a request that the dry run announced', async () => {
    const ten = await startOver(10, 'requester');
    expect(ten.dry).toMatchObject({ approval: 'not_required' });
    expect(ten.r).toMatchObject({ ok: true, data: { jobId: expect.any(String) } });
    const eleven = await startOver(11, 'requester');
    expect(eleven.dry).toMatchObject({
      approval: 'required',
      approvalWhy: ['more than 10 users'],
      breakGlass: true,
    });
    expect(eleven.r).toMatchObject({ ok: true, data: { approvalId: expect.any(String) } });
    const id = (eleven.r as { data: { approvalId: string } }).data.approvalId;
    expect(await jobsOf(id)).toHaveLength(0);
    const [req] = (await rows('approval.request')).filter((e) => e.details.approvalId === id);
    expect(req).toMatchObject({
      outcome: 'succeeded',
      actor: expect.objectContaining({ staffId: staff.requester.id }),
      details: expect.objectContaining({ users: 11, why: ['more than 10 users'] }),
    });
    const { approvalStore } = await import('@/lib/approvals');
    expect(await approvalStore(db).get(id)).toMatchObject({
      state: 'waiting',
      reasonCode: 'suspected_compromise',
      ticket: 'INC-2301',
      summary: { users: 11, action: 'sign_out' },
    });
  });

  maybe(
    'the requester cannot approve their own request, support cannot, a second admin can: one job',
    async () => {
      const id = await requestOver11();
      as('requester');
      expect(
        await approvals.approveRequestAction({ approvalId: id, password: PASSWORD, idempotencyKey: key() }),
      ).toMatchObject({ ok: false, kind: 'forbidden', message: expect.stringContaining('your own request') });
      const denied = (await rows('approval.approve')).find((e) => e.details.approvalId === id);
      expect(denied).toMatchObject({ outcome: 'denied', code: 'own_request' });
      as('support');
      expect(
        await approvals.approveRequestAction({ approvalId: id, password: PASSWORD, idempotencyKey: key() }),
      ).toMatchObject({ ok: false, kind: 'forbidden' });
      expect(await jobsOf(id)).toHaveLength(0);

      as('second');
      expect(
        await approvals.approveRequestAction({ approvalId: id, password: 'wrong', idempotencyKey: key() }),
      ).toMatchObject({ ok: false, kind: 'step_up_required' });
      const ok = await approvals.approveRequestAction({
        approvalId: id,
        password: PASSWORD,
        idempotencyKey: key(),
      });
      expect(ok).toMatchObject({ ok: true, data: { jobId: expect.any(String) } });
      const again = await approvals.approveRequestAction({
        approvalId: id,
        password: PASSWORD,
        idempotencyKey: key(),
      });
      expect(again).toMatchObject({ ok: false, message: expect.stringContaining('already decided') });
      as('third');
      expect(
        await approvals.approveRequestAction({ approvalId: id, password: PASSWORD, idempotencyKey: key() }),
      ).toMatchObject({ ok: false });
      const made = await jobsOf(id);
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ created_by_staff_id: staff.requester.id, permission: 'jobs:incident' });
      const start = (await rows('job.start')).find((e) => e.details.approvalId === id);
      expect(start).toMatchObject({
        actor: expect.objectContaining({ staffId: staff.requester.id }),
        details: expect.objectContaining({ approvedById: staff.second.id, jobId: made[0]!.id }),
      });
    },
  );

  maybe('two admins approving at once make one job', async () => {
    const id = await requestOver11();
    const approve = (m: Member) => {
      as(m);
      return approvals.approveRequestAction({ approvalId: id, password: PASSWORD, idempotencyKey: key() });
    };
    const results = await Promise.all([approve('second'), approve('third')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await jobsOf(id)).toHaveLength(1);
  });

  maybe('an expired request cannot run, and its expiry is audited', async () => {
    const id = await requestOver11();
    await db
      .updateTable('approval_requests')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    as('second');
    expect(
      await approvals.approveRequestAction({ approvalId: id, password: PASSWORD, idempotencyKey: key() }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('expired') });
    expect(await jobsOf(id)).toHaveLength(0);
    expect((await rows('approval.expire')).filter((e) => e.details.approvalId === id)).toHaveLength(1);
  });

  maybe('decline by another admin with a reason; cancel by the requester only', async () => {
    const declined = await requestOver11();
    as('requester');
    expect(
      await approvals.declineRequestAction({ approvalId: declined, reason: 'mine, not allowed' }),
    ).toMatchObject({ ok: false, kind: 'forbidden' });
    as('second');
    expect(
      await approvals.declineRequestAction({ approvalId: declined, reason: 'wrong list attached' }),
    ).toMatchObject({ ok: true });
    expect(
      await approvals.approveRequestAction({
        approvalId: declined,
        password: PASSWORD,
        idempotencyKey: key(),
      }),
    ).toMatchObject({ ok: false });
    const cancelled = await requestOver11();
    as('second');
    expect(await approvals.cancelRequestAction({ approvalId: cancelled })).toMatchObject({ ok: false });
    as('requester');
    expect(await approvals.cancelRequestAction({ approvalId: cancelled })).toMatchObject({ ok: true });
    expect(await jobsOf(declined)).toHaveLength(0);
    expect(await jobsOf(cancelled)).toHaveLength(0);
    expect((await rows('approval.decline')).find((e) => e.details.approvalId === declined)).toMatchObject({
      outcome: 'succeeded',
      details: expect.objectContaining({ declineReason: 'wrong list attached' }),
    });
    expect((await rows('approval.cancel')).some((e) => e.details.approvalId === cancelled)).toBe(true);
  });

  maybe(
    'break-glass: an admin acts alone with step-up and an emergency reason, audited as such',
    async () => {
      const noReason = await startOver(11, 'requester', { breakGlass: true });
      expect(noReason.r).toMatchObject({ ok: false, fieldErrors: { emergencyReason: [expect.any(String)] } });
      const { r } = await startOver(11, 'requester', {
        breakGlass: true,
        emergencyReason: 'active account takeover, no second admin awake',
      });
      expect(r).toMatchObject({ ok: true, data: { jobId: expect.any(String) } });
      const jobId = (r as { data: { jobId: string } }).data.jobId;
      const glass = (await rows('job.break_glass')).filter((e) => e.outcome !== 'pending');
      expect(glass.find((e) => e.details.jobId === jobId || e.details.emergencyReason)).toMatchObject({
        outcome: 'succeeded',
        actor: expect.objectContaining({ staffId: staff.requester.id }),
        details: expect.objectContaining({
          emergencyReason: 'active account takeover, no second admin awake',
          severity: 'high',
        }),
      });
      const { approvalStore } = await import('@/lib/approvals');
      expect(await approvalStore(db).byJob(jobId)).toMatchObject({
        mode: 'break_glass',
        state: 'executed',
        emergencyReason: 'active account takeover, no second admin awake',
      });
    },
  );

  maybe('support may ask (a lock is on the list here) but cannot break glass', async () => {
    as('support');
    const userId = userIds[15]!;
    const dry = await jobs.dryRunSecureAccountAction({ userId, steps: ['lock'] });
    if (!dry.ok) throw new Error(dry.message);
    expect(dry.data).toMatchObject({ approval: 'required', breakGlass: false });
    const base = {
      plan: dry.data.plan,
      reason: 'user reported a stolen laptop',
      reasonCode: 'lost_device',
      stepUpPassword: PASSWORD,
    };
    expect(
      await jobs.startSecureAccountAction({
        ...base,
        idempotencyKey: key(),
        breakGlass: true,
        emergencyReason: 'nobody else is around at all',
      }),
    ).toMatchObject({ ok: false, kind: 'forbidden' });
    const asked = await jobs.startSecureAccountAction({ ...base, idempotencyKey: key() });
    expect(asked).toMatchObject({ ok: true, data: { approvalId: expect.any(String) } });
  });

  maybe('a request with "tell the user" tells them when the second admin approves, not before', async () => {
    as('requester');
    const userId = userIds[14]!;
    const notices = () => db.selectFrom('user_notices').selectAll().where('user_id', '=', userId).execute();
    const dry = await jobs.dryRunSecureAccountAction({ userId, steps: ['lock'] });
    if (!dry.ok) throw new Error(dry.message);
    const message = 'We locked your account after your call: contact support to unlock it.';
    const asked = await jobs.startSecureAccountAction({
      plan: dry.data.plan,
      reason: 'user reported a stolen laptop',
      reasonCode: 'lost_device',
      stepUpPassword: PASSWORD,
      notify: { message },
      idempotencyKey: key(),
    });
    if (!asked.ok || !('approvalId' in asked.data)) throw new Error(`no request: ${JSON.stringify(asked)}`);
    const { approvalId } = asked.data;
    expect(await notices()).toHaveLength(0);
    as('second');
    const approved = await approvals.approveRequestAction({
      approvalId,
      password: PASSWORD,
      idempotencyKey: key(),
    });
    expect(approved).toMatchObject({ ok: true, data: { jobId: expect.any(String) } });
    const [notice] = await notices();
    expect(notice).toMatchObject({ kind: 'secure', reason_code: 'lost_device', body_text: message });
    const start = (await rows('job.start')).find((e) => e.details.approvalId === approvalId);
    expect(start?.details).toMatchObject({ notice: 'queued', noticeId: notice!.id });
  });
});
