// Every server action, as each role, against the embedded Clerk API and a real SQLite store: allowed and denied,
// with the audit rows and the upstream request log asserted. Only next-auth's cookie reading and Next's request
// headers are stood in for; everything else (staffAction, requireStaff, lib/clerk, the audit log) is real.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInState } from '@/lib/testing/signed-in';
import { sql } from 'kysely';
import {
  signedOutEachTest,
  startConsoleFixture,
  staffSession,
  type ConsoleFixture,
} from '@/lib/testing/console-fixture';
import type { LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

const state = signedInState({ 'x-console-client-ip': '198.51.100.7' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

const PASSWORD = 'correct horse battery staple';
const key = () => crypto.randomUUID();
function jobIdOf(answer: { jobId: string } | { approvalId: string }) {
  if (!('jobId' in answer)) throw new Error('expected a job, got an approval request');
  return answer.jobId;
}
let fx: ConsoleFixture<'viewer' | 'support' | 'admin'>;
let api: LocalClerkFixture;
let actions: typeof import('@/app/(console)/sessions/actions');
let sessionsRoute: typeof import('@/app/api/sessions/route');
let db: import('@/lib/db').Db;
let store: ReturnType<typeof import('@/lib/auth/staff-store').staffStore>;
let audit: ReturnType<typeof import('@/lib/audit').auditLog>;
let staff: typeof fx.staff;
let ada: string;
let five: string;

async function activeSessionsOf(userId: string) {
  const r = await api.clerk.sessions.getSessionList({ userId, status: 'active', limit: 100 });
  return r.data;
}
/** GET /api/sessions, read back as an ActionResult-like value (the route answers the same safe failures). */
async function listRoute(params: Record<string, string>) {
  const res = await sessionsRoute.GET(
    new Request(`http://console.test/api/sessions?${new URLSearchParams(params)}`),
  );
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = await res.json();
  return res.ok ? { ok: true as const, status: res.status, data: body } : { status: res.status, ...body };
}
async function upstreamRequests() {
  return (await api.faults.requests()).count;
}
function as(
  role: keyof typeof staff,
  overrides: Partial<{
    sessionVersion: number;
    signedInAt: number;
    provider: string;
    authTime: number | null;
    sid: string;
  }> = {},
) {
  const session = staffSession(staff[role].id);
  state.session = { staff: { ...session.staff, ...overrides } };
}

beforeAll(async () => {
  fx = await startConsoleFixture({
    name: 'console',
    env: {
      CLERK_TIMEOUT_MS: '3000',
      // The request budget has its own tests; here it is set where it is only reached on purpose (see below).
      CLERK_RATE_BUDGET: '1000',
    },
    roles: ['viewer', 'support', 'admin'],
    password: PASSWORD,
  });
  ({ api, db, staff } = fx);
  store = (await import('@/lib/auth/staff-store')).staffStore(db);
  audit = (await import('@/lib/audit')).auditLog(db);
  actions = await import('@/app/(console)/sessions/actions');
  sessionsRoute = await import('@/app/api/sessions/route');
  const users = await api.clerk.users.getUserList({
    emailAddress: ['ada.lovelace@example.com', 'five.sessions@example.com'],
  });
  ada = users.data.find((u) => u.primaryEmailAddress?.emailAddress === 'ada.lovelace@example.com')!.id;
  five = users.data.find((u) => u.primaryEmailAddress?.emailAddress === 'five.sessions@example.com')!.id;
}, 60_000);

signedOutEachTest(() => fx, state);

describe('without a staff session', () => {
  it('refuses every action, audits it, and sends nothing upstream', async () => {
    const calls = [
      listRoute({ user_id: ada, status: 'active', limit: '10' }),
      actions.revokeSessionAction({
        idempotencyKey: key(),
        sessionId: 'sess_abc',
        reason: 'ticket 1',
        reasonCode: 'policy',
      }),
      actions.createTokenAction({
        idempotencyKey: key(),
        sessionId: 'sess_abc',
        template: 'hasura',
        reason: 'debug',
        reasonCode: 'policy',
        password: PASSWORD,
      }),
    ];
    for (const r of await Promise.all(calls)) expect(r).toMatchObject({ ok: false, kind: 'unauthenticated' });
    expect(await upstreamRequests()).toBe(0);
    const denied = await audit.list({ action: 'access.denied', outcome: 'denied', limit: 50, offset: 0 });
    // One source refused within a minute: folded into counted rows, the counts covering every call.
    const anonymous = denied.rows.filter((r) => r.actor.email === 'anonymous');
    expect(anonymous.reduce((n, r) => n + Number(r.details.count), 0)).toBeGreaterThanOrEqual(calls.length);
    expect((await calls[0])!.status).toBe(401);
  });

  it('refuses a forged session naming an unknown staff id', async () => {
    state.session = staffSession('stf_forged');
    expect(await listRoute({ user_id: ada, status: 'all', limit: '10' })).toMatchObject({
      kind: 'unauthenticated',
    });
  });

  it('refuses a sign-in older than the absolute timeout', async () => {
    as('admin', { signedInAt: Date.now() - 13 * 3600 * 1000 });
    expect(await listRoute({ user_id: ada, status: 'all', limit: '10' })).toMatchObject({
      kind: 'unauthenticated',
    });
  });
});

describe.each(['viewer', 'support', 'admin'] as const)('as %s', (role) => {
  it('lists and reads sessions', async () => {
    as(role);
    const list = await listRoute({ user_id: ada, status: 'all', limit: '10' });
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.data.totalCount).toBe(6);
    const first = list.data.data[0]!;
    expect(first).toMatchObject({ userId: ada });
    // DTOs only: nothing beyond what the console shows.
    expect(Object.keys(first)).not.toContain('privateMetadata');
  });

  it(
    role === 'viewer'
      ? 'cannot revoke (audited, nothing sent upstream)'
      : 'revokes with a reason (audited before and after)',
    async () => {
      as(role);
      const target = (await activeSessionsOf(ada))[0]!;
      await api.faults.clearRequests();
      const r = await actions.revokeSessionAction({
        idempotencyKey: key(),
        sessionId: target.id,
        reason: `ticket for ${role}`,
        reasonCode: 'policy',
      });
      if (role === 'viewer') {
        expect(r).toMatchObject({ ok: false, kind: 'forbidden' });
        expect(await upstreamRequests()).toBe(0);
        expect((await api.clerk.sessions.getSession(target.id)).status).toBe('active');
        const denied = await audit.list({
          action: 'access.denied',
          actor: staff.viewer.email,
          limit: 10,
          offset: 0,
        });
        expect(denied.rows[0]).toMatchObject({
          outcome: 'denied',
          code: 'forbidden',
          details: { permission: 'sessions:revoke' },
        });
        return;
      }
      expect(r).toMatchObject({ ok: true, data: { id: target.id, status: 'revoked' } });
      expect((await api.clerk.sessions.getSession(target.id)).status).toBe('revoked');
      const rows = await audit.forTarget({ sessionId: target.id });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'session.revoke',
        outcome: 'succeeded',
        actor: { staffId: staff[role].id, email: staff[role].email, role },
        target: { sessionId: target.id },
        details: { reason: `ticket for ${role}`, reasonCode: 'policy' },
        ctx: { ip: '198.51.100.7', userAgent: 'vitest-agent' },
      });
      // The trace id of Clerk's answer to the revoke, kept with the success as with a failure.
      expect(rows[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it(
    role === 'admin'
      ? 'creates a token after step-up, storing only its jti and hash'
      : 'cannot create tokens',
    async () => {
      as(role);
      const target = (await activeSessionsOf(ada))[0]!;
      await api.faults.clearRequests();
      const r = await actions.createTokenAction({
        idempotencyKey: key(),
        sessionId: target.id,
        template: 'hasura',
        reason: 'debug a claim',
        reasonCode: 'policy',
        password: PASSWORD,
        expiresInSeconds: 120,
      });
      if (role !== 'admin') {
        expect(r).toMatchObject({ ok: false, kind: 'forbidden' });
        expect(await upstreamRequests()).toBe(0);
        return;
      }
      expect(r.ok && r.data.replayed).toBe(false);
      if (!r.ok || r.data.replayed) return;
      expect(r.data.verified).toBe(true);
      expect(r.data.claims).toMatchObject({
        sub: ada,
        'https://hasura.io/jwt/claims': { 'x-hasura-user-id': ada },
      });
      expect(Number(r.data.claims.exp) - Number(r.data.claims.iat)).toBe(120);
      const row = (await audit.forTarget({ sessionId: target.id })).find((e) => e.action === 'token.create')!;
      expect(row).toMatchObject({
        outcome: 'succeeded',
        details: {
          template: 'hasura',
          expiresInSeconds: 120,
          reason: 'debug a claim',
          tokenJti: r.data.claims.jti,
          tokenSha256: createHash('sha256').update(r.data.jwt).digest('hex'),
        },
      });
      // The token itself is stored nowhere.
      const everything = JSON.stringify(await sql`select * from audit_log`.execute(db));
      expect(everything).not.toContain(r.data.jwt);
      expect(everything).not.toContain(r.data.jwt.split('.')[2]!);
    },
  );
});

describe('token step-up and validation', () => {
  it('a wrong password mints nothing, leaves no token row, and is audited as a failed step-up', async () => {
    as('admin', { sid: 'console-session-1' });
    const target = (await activeSessionsOf(five))[0]!;
    await api.faults.clearRequests();
    const r = await actions.createTokenAction({
      idempotencyKey: key(),
      sessionId: target.id,
      template: 'hasura',
      reason: 'debug',
      reasonCode: 'policy',
      password: 'wrong',
    });
    expect(r).toMatchObject({
      ok: false,
      kind: 'step_up_required',
      fieldErrors: { password: ['Re-enter your password.'] },
    });
    expect(await upstreamRequests()).toBe(0);
    const rows = await audit.forTarget({ sessionId: target.id });
    expect(rows.filter((e) => e.action === 'token.create')).toHaveLength(0);
    expect(rows.filter((e) => e.action === 'auth.step_up')).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        code: 'wrong_password',
        actor: expect.objectContaining({ staffId: staff.admin.id, email: staff.admin.email }),
        details: expect.objectContaining({ for: 'token.create', consoleSession: 'console-session-1' }),
        ctx: { ip: '198.51.100.7', userAgent: 'vitest-agent' },
      }),
    ]);
  });

  it('step-up failures have their own counter: failed sign-ins as this admin do not lock their step-up; five wrong step-ups do', async () => {
    const m = await store.add({ email: 'stepup@console.test', role: 'admin', password: PASSWORD });
    const { signInThrottle } = await import('@/lib/auth/throttle');
    // Sign-in failures for this admin's email (what anyone can send) do not touch step-up.
    const signIns = signInThrottle(db, { maxPerMinute: 1000 });
    for (let i = 0; i < 8; i++) await signIns.check(m.email, '192.0.2.1');
    expect((await signIns.check(m.email, '192.0.2.1')).scope).toBe('account');
    state.session = staffSession(m.id);
    const target = (await activeSessionsOf(five))[0]!;
    const mint = (password: string) =>
      actions.createTokenAction({
        idempotencyKey: key(),
        sessionId: target.id,
        template: 'hasura',
        reason: 'debug',
        reasonCode: 'policy',
        password,
      });
    expect((await mint(PASSWORD)).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect(await mint('wrong')).toMatchObject({ kind: 'step_up_required' });
    const locked = await mint(PASSWORD);
    expect(locked).toMatchObject({ ok: false, kind: 'step_up_required' });
    expect(locked.ok ? '' : locked.message).toMatch(/Too many password attempts/);
    const rows = await audit.list({ action: 'auth.step_up', actor: m.email, limit: 20, offset: 0 });
    expect(rows.rows.map((r) => r.code)).toEqual(['throttled', ...Array(5).fill('wrong_password')]);
  });

  it('SSO staff need a re-authentication at the identity provider (auth_time) in the last 5 minutes', async () => {
    const target = (await activeSessionsOf(five))[0]!;
    const mint = () =>
      actions.createTokenAction({
        idempotencyKey: key(),
        sessionId: target.id,
        template: 'hasura',
        reason: 'debug',
        reasonCode: 'policy',
      });
    // A console sign-in just now is not enough: the provider's own auth_time decides.
    as('admin', { provider: 'oidc', signedInAt: Date.now(), authTime: Date.now() - 6 * 60 * 1000 });
    expect(await mint()).toMatchObject({ ok: false, kind: 'step_up_required' });
    as('admin', { provider: 'oidc', signedInAt: Date.now(), authTime: null });
    expect(await mint()).toMatchObject({ ok: false, kind: 'step_up_required' });
    const rows = await audit.forTarget({ sessionId: target.id });
    expect(rows.filter((e) => e.action === 'auth.step_up' && e.code === 'sso_reauth_required')).toHaveLength(
      2,
    );
    as('admin', { provider: 'oidc', signedInAt: Date.now() - 60 * 60 * 1000, authTime: Date.now() - 10_000 });
    expect((await mint()).ok).toBe(true);
  });

  it('an unknown template is refused before any token call', async () => {
    as('admin');
    const target = (await activeSessionsOf(five))[0]!;
    await api.faults.clearRequests();
    const r = await actions.createTokenAction({
      idempotencyKey: key(),
      sessionId: target.id,
      template: 'no_such_template',
      reason: 'debug',
      reasonCode: 'policy',
      password: PASSWORD,
    });
    expect(r.ok).toBe(false);
    const reqs = (await api.faults.requests()).requests.map((q: { path: string }) => q.path);
    expect(reqs.some((p: string) => p.includes('/tokens'))).toBe(false);
  });

  it.each([
    [{ expiresInSeconds: 29 }, 'expiresInSeconds'],
    [{ expiresInSeconds: 315_360_001 }, 'expiresInSeconds'],
    [{ reason: '', reasonCode: 'policy' }, 'reason'],
    [{ sessionId: '../../v1/users' }, 'sessionId'],
    [{ template: 'hasura/../x' }, 'template'],
  ])('bad input %j gets a field error and no upstream call', async (patch, field) => {
    as('admin');
    await api.faults.clearRequests();
    const r = await actions.createTokenAction({
      idempotencyKey: key(),
      sessionId: 'sess_abc',
      template: 'hasura',
      reason: 'debug',
      reasonCode: 'policy',
      password: PASSWORD,
      ...patch,
    });
    expect(r).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(r.ok ? {} : r.fieldErrors).toHaveProperty(field);
    expect(await upstreamRequests()).toBe(0);
  });

  it('unknown keys are rejected (strict schemas)', async () => {
    as('support');
    const r = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId: 'sess_abc',
      reason: 'ticket',
      reasonCode: 'policy',
      userId: 'user_x',
    });
    expect(r).toMatchObject({ ok: false, kind: 'invalid_input' });
  });
});

describe('request budget', () => {
  it('a revoke refused by the spent budget makes no call and leaves no audit intent', async () => {
    as('support');
    const target = (await activeSessionsOf(ada))[0]!;
    const before = (await audit.forTarget({ sessionId: target.id })).length;
    const bucket = Math.floor(Date.now() / 1000);
    await db
      .insertInto('clerk_budget')
      .values({ key: 'all', bucket, n: 1000 })
      .onConflict((oc) => oc.columns(['key', 'bucket']).doUpdateSet({ n: 1000 }))
      .execute();
    try {
      await api.faults.clearRequests();
      const r = await actions.revokeSessionAction({
        idempotencyKey: key(),
        sessionId: target.id,
        reason: 'busy',
        reasonCode: 'policy',
      });
      expect(r).toMatchObject({ ok: false, kind: 'rate_limited' });
      expect(r.ok ? '' : r.message).toMatch(/^Clerk is busy for this console: try again in \d+ s\.$/);
      expect(await upstreamRequests()).toBe(0);
      expect(await audit.forTarget({ sessionId: target.id })).toHaveLength(before);
    } finally {
      await db.deleteFrom('clerk_budget').execute();
    }
  });
});

describe('role changes bite on the next request', () => {
  it('demotion, sign-out everywhere and disable', async () => {
    const m = await store.add({ email: 'temp@console.test', role: 'support', password: PASSWORD });
    state.session = staffSession(m.id);
    const target = (await activeSessionsOf(ada))[0]!;
    await store.setRole(m.id, 'viewer');
    expect(
      await actions.revokeSessionAction({
        idempotencyKey: key(),
        sessionId: target.id,
        reason: 'ticket',
        reasonCode: 'policy',
      }),
    ).toMatchObject({
      kind: 'forbidden',
    });
    await store.setRole(m.id, 'support');
    await store.signOutEverywhere(m.id);
    expect(await listRoute({ user_id: ada, status: 'all', limit: '10' })).toMatchObject({
      kind: 'unauthenticated',
    });
    state.session.staff.sessionVersion = (await store.findById(m.id))!.sessionVersion;
    expect((await listRoute({ user_id: ada, status: 'all', limit: '10' })).ok).toBe(true);
    await store.setDisabled(m.id, true);
    expect(await listRoute({ user_id: ada, status: 'all', limit: '10' })).toMatchObject({
      kind: 'unauthenticated',
    });
  });
});

describe('upstream failures', () => {
  it('a 500 with an HTML body on a revoke becomes a plain message with no upstream text; the audit row says unknown (Clerk may have committed it)', async () => {
    as('support');
    const target = (await activeSessionsOf(ada))[0]!;
    await api.faults.set([
      {
        path: '^/v1/sessions/[^/]+/revoke$',
        status: 500,
        body: '<html>upstream secret page</html>',
        contentType: 'text/html',
        times: 1,
      },
    ]);
    const r = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId: target.id,
      reason: 'ticket',
      reasonCode: 'policy',
    });
    await api.faults.clear();
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toMatch(/upstream secret page|html|stack|at .*\.ts/i);
    expect(r.ok ? '' : r.message).toMatch(/Clerk/);
    const row = (await audit.forTarget({ sessionId: target.id })).find((e) => e.action === 'session.revoke')!;
    expect(row.outcome).toBe('unknown');
  });
});

describe('GET routes (staffRoute)', () => {
  it('refuses bad input with 400 and a field message before any upstream call', async () => {
    as('viewer');
    for (const params of <Record<string, string>[]>[
      { user_id: '../../v1/users' },
      { user_id: ada, limit: '5000' },
      { user_id: ada, status: 'bogus' },
      { user_id: ada, client_id: 'client_abc' },
      { user_id: ada, extra: '1' },
      {},
    ]) {
      const r = await listRoute(params);
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r).toMatchObject({ ok: false, kind: 'invalid_input' });
      expect(Object.keys(r.fieldErrors ?? {}).length).toBeGreaterThan(0);
    }
    expect(await upstreamRequests()).toBe(0);
  });

  it('answers 403 for a role without the permission, audited with the route name; the handler never runs', async () => {
    const { staffRoute } = await import('@/lib/actions/staff-route');
    const { z } = await import('zod');
    const handler = vi.fn(async () => ({ secret: true }));
    const GET = staffRoute(
      { name: '/api/test-admin', access: 'audit:read', query: z.object({}).strict() },
      handler,
    );
    as('viewer');
    // A folded denial row carries the time of the minute's first refusal: read from the minute's start.
    const since = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const res = await GET(new Request('http://console.test/api/test-admin'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      ok: false,
      kind: 'forbidden',
      message: 'Your role does not allow this.',
    });
    expect(handler).not.toHaveBeenCalled();
    const denied = await audit.list({
      action: 'access.denied',
      actor: staff.viewer.email,
      from: since,
      limit: 10,
      offset: 0,
    });
    // Refusals from one source within a minute fold into one counted row, with the count per entry point.
    const where = (r: (typeof denied.rows)[number]) => [
      r.details.where,
      ...Object.keys((r.details.byWhere as Record<string, number> | undefined) ?? {}),
    ];
    expect(denied.rows.flatMap(where)).toContain('api:/api/test-admin');
  });

  it('an upstream 500 becomes a safe JSON failure with no upstream text', async () => {
    as('viewer');
    await api.faults.set([
      {
        path: '^/v1/sessions$',
        status: 500,
        body: '<html>upstream secret page</html>',
        contentType: 'text/html',
        times: 5,
      },
    ]);
    const r = await listRoute({ user_id: ada });
    await api.faults.clear();
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(r)).not.toMatch(/upstream secret page|html|stack|at .*\.ts/i);
  });
});

describe('audit is mandatory', () => {
  it('when the intent cannot be written the action is refused and nothing is revoked', async () => {
    as('support');
    const target = (await activeSessionsOf(ada))[0]!;
    await sql`alter table audit_log rename to audit_log_away`.execute(db);
    try {
      await api.faults.clearRequests();
      const r = await actions.revokeSessionAction({
        idempotencyKey: key(),
        sessionId: target.id,
        reason: 'ticket',
        reasonCode: 'policy',
      });
      expect(r).toMatchObject({ ok: false, kind: 'audit_unavailable' });
      const reqs = (await api.faults.requests()).requests.map((q: { path: string }) => q.path);
      expect(reqs.some((p: string) => p.endsWith('/revoke'))).toBe(false);
      expect((await api.clerk.sessions.getSession(target.id)).status).toBe('active');
    } finally {
      await sql`alter table audit_log_away rename to audit_log`.execute(db);
    }
  });
});

describe('staff management (admin only)', () => {
  it("an admin changes another member; the change is audited and bites on that member's next request", async () => {
    const { manageStaffAction } = await import('@/app/(console)/staff/actions');
    const m = await store.add({ email: 'managed@console.test', role: 'support', password: PASSWORD });
    as('support');
    expect(
      await manageStaffAction({
        idempotencyKey: key(),
        op: 'set-role',
        staffId: m.id,
        role: 'admin',
        reason: 'promote me',
        reasonCode: 'policy',
      }),
    ).toMatchObject({ kind: 'forbidden' });
    as('admin');
    expect(
      await manageStaffAction({
        idempotencyKey: key(),
        op: 'set-role',
        staffId: staff.admin.id,
        role: 'viewer',
        reason: 'oops',
        reasonCode: 'policy',
      }),
    ).toMatchObject({ kind: 'forbidden' });
    expect(
      await manageStaffAction({
        idempotencyKey: key(),
        op: 'set-role',
        staffId: m.id,
        role: 'viewer',
        reason: 'r',
        reasonCode: 'policy',
      }),
    ).toMatchObject({ kind: 'invalid_input' });
    // A stolen admin cookie alone changes nobody: every change needs the admin's password again.
    for (const op of [
      { op: 'set-role', role: 'admin' },
      { op: 'disable' },
      { op: 'enable' },
      { op: 'sign-out' },
    ] as const) {
      for (const password of [undefined, 'not-the-password']) {
        expect(
          await manageStaffAction({
            idempotencyKey: key(),
            ...op,
            staffId: m.id,
            reason: 'ticket 42',
            reasonCode: 'policy',
            ...(password ? { password } : {}),
          }),
        ).toMatchObject({ ok: false, kind: 'step_up_required' });
      }
    }
    expect(await store.findById(m.id)).toMatchObject({ role: 'support', disabled: false, sessionVersion: 0 });
    const stepUps = await audit.list({
      action: 'auth.step_up',
      actor: staff.admin.email,
      limit: 50,
      offset: 0,
    });
    expect(
      stepUps.rows.filter((r) => r.details.for === 'staff.manage' && r.details.email === m.email),
    ).toHaveLength(8);
    const { stepUpThrottle } = await import('@/lib/auth/throttle');
    await stepUpThrottle(db).recordSuccess(staff.admin.id);
    expect(
      await manageStaffAction({
        idempotencyKey: key(),
        op: 'set-role',
        staffId: m.id,
        role: 'viewer',
        reason: 'ticket 42',
        reasonCode: 'policy',
        password: PASSWORD,
      }),
    ).toMatchObject({ ok: true });
    expect((await store.findById(m.id))!.role).toBe('viewer');
    expect(
      await manageStaffAction({
        idempotencyKey: key(),
        op: 'sign-out',
        staffId: m.id,
        reason: 'ticket 42',
        reasonCode: 'policy',
        password: PASSWORD,
      }),
    ).toMatchObject({
      ok: true,
    });
    state.session = staffSession(m.id);
    expect(await listRoute({ user_id: ada, status: 'all', limit: '10' })).toMatchObject({
      kind: 'unauthenticated',
    });
    as('admin');
    expect(
      await manageStaffAction({
        idempotencyKey: key(),
        op: 'disable',
        staffId: m.id,
        reason: 'left the team',
        reasonCode: 'policy',
        password: PASSWORD,
      }),
    ).toMatchObject({
      ok: true,
    });
    expect((await store.findById(m.id))!.disabled).toBe(true);
    const rows = await audit.list({ action: 'staff.manage', actor: staff.admin.email, limit: 10, offset: 0 });
    expect(rows.rows.map((r) => [r.details.command, r.outcome])).toEqual([
      ['disable', 'succeeded'],
      ['sign-out', 'succeeded'],
      ['set-role', 'succeeded'],
    ]);
    expect(rows.rows[2]!.details).toMatchObject({
      email: 'managed@console.test',
      role: 'viewer',
      previousRole: 'support',
      reason: 'ticket 42',
      reasonCode: 'policy',
    });
  });
});

describe('audit reconciliation (admin only)', () => {
  it('support and viewer are refused before anything is read; an admin gets a plain answer for an unknown intent', async () => {
    const { reconcileAuditAction } = await import('@/app/(console)/audit/actions');
    const intentId = crypto.randomUUID();
    for (const role of ['viewer', 'support'] as const) {
      as(role);
      expect(await reconcileAuditAction({ intentId })).toMatchObject({ ok: false, kind: 'forbidden' });
    }
    as('admin');
    await api.faults.clearRequests();
    const r = await reconcileAuditAction({ intentId });
    expect(r.ok).toBe(false);
    expect(await upstreamRequests()).toBe(0);
    expect(await reconcileAuditAction({ intentId: 'not-a-uuid' })).toMatchObject({
      ok: false,
      kind: 'invalid_input',
    });
  });
});

describe('revocation jobs: true owners, step-up, caps (issue 19)', () => {
  let jobs: typeof import('@/app/(console)/jobs/actions');
  let plan: typeof import('@/lib/jobs/plan');
  let jobStore: ReturnType<typeof import('@/lib/jobs').jobStore>;
  beforeAll(async () => {
    jobs = await import('@/app/(console)/jobs/actions');
    plan = await import('@/lib/jobs/plan');
    jobStore = (await import('@/lib/jobs')).jobStore(db);
  });
  const revokes = async () =>
    (await api.faults.requests()).requests.filter((r) => r.method === 'POST' && r.path.endsWith('/revoke'));
  const jobCount = async () =>
    Number(
      (
        await db
          .selectFrom('revocation_jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("support naming a decoy user for another user's sessions: the dry run and the start are refused, nothing starts", async () => {
    as('support');
    const victims = (await activeSessionsOf(ada)).slice(0, 1).map((s) => s.id);
    const decoys = (await activeSessionsOf(five)).slice(0, 1).map((s) => s.id);
    expect(victims).toHaveLength(1);
    const target = { kind: 'sessions' as const, sessionIds: [...decoys, ...victims], userId: five };
    const dry = await jobs.dryRunJobAction({ target });
    expect(dry).toMatchObject({
      ok: false,
      kind: 'invalid_input',
      message: expect.stringContaining('1 of the 2 chosen sessions is not an active session of this user'),
    });
    // A plan the server signed for exactly this target (as a replay or a stale preview would carry): still refused.
    const forgedPlan = plan.signPlan(target, staff.support.id, { sessions: 2, users: 1 });
    const before = await jobCount();
    const r = await jobs.createJobAction({
      target,
      reason: 'decoy',
      reasonCode: 'policy',
      idempotencyKey: key(),
      plan: forgedPlan,
    });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('1 of the 2 chosen sessions') });
    expect(await jobCount()).toBe(before);
    expect(await revokes()).toHaveLength(0);
    expect((await activeSessionsOf(ada)).map((s) => s.id)).toEqual(expect.arrayContaining(victims));
  });

  it('support choosing sessions with no user named is refused before anything is read', async () => {
    as('support');
    const victims = (await activeSessionsOf(ada)).slice(0, 1).map((s) => s.id);
    await api.faults.clearRequests();
    const target = { kind: 'sessions' as const, sessionIds: victims };
    expect(await jobs.dryRunJobAction({ target })).toMatchObject({ ok: false, kind: 'forbidden' });
    const r = await jobs.createJobAction({
      target,
      reason: 'no owner',
      reasonCode: 'policy',
      idempotencyKey: key(),
      plan: plan.signPlan(target, staff.support.id, { sessions: 1, users: 0 }),
    });
    expect(r).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(await upstreamRequests()).toBe(0);
  });

  it('a plan signed for user X is refused for user Y', async () => {
    as('support');
    const mine = (await activeSessionsOf(five)).slice(0, 1).map((s) => s.id);
    const dry = await jobs.dryRunJobAction({ target: { kind: 'sessions', sessionIds: mine, userId: five } });
    expect(dry.ok).toBe(true);
    const r = await jobs.createJobAction({
      target: { kind: 'sessions', sessionIds: mine, userId: ada },
      reason: 'replay',
      reasonCode: 'policy',
      idempotencyKey: key(),
      plan: dry.ok ? dry.data.plan : '',
    });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('The preview is out of date') });
  });

  it('a job over two users asks for the password: refused and audited without it, started with it', async () => {
    as('admin', { sid: 'console-session-jobs' });
    const target = { kind: 'users' as const, userIds: [ada, five] };
    const dry = await jobs.dryRunJobAction({ target });
    if (!dry.ok) throw new Error(dry.message);
    expect(dry.data.stepUp).toEqual({ kind: 'password' });
    const input = {
      target,
      reason: 'incident 19',
      reasonCode: 'policy',
      idempotencyKey: key(),
      plan: dry.data.plan,
      confirmCount: dry.data.sessions,
    };
    const before = await jobCount();
    expect(await jobs.createJobAction(input)).toMatchObject({ ok: false, kind: 'step_up_required' });
    expect(await jobs.createJobAction({ ...input, password: 'wrong' })).toMatchObject({
      ok: false,
      kind: 'step_up_required',
    });
    expect(await jobCount()).toBe(before);
    const stepUps = (
      await audit.list({ action: 'auth.step_up', actor: staff.admin.id, limit: 50, offset: 0 })
    ).rows.filter((e) => e.details.for === 'job.start');
    expect(stepUps.map((e) => e.code).sort()).toEqual(['password_missing', 'wrong_password']);
    expect(stepUps[0]).toMatchObject({
      outcome: 'failed',
      actor: expect.objectContaining({ staffId: staff.admin.id }),
      details: expect.objectContaining({ consoleSession: 'console-session-jobs', kind: 'users' }),
    });
    const started = await jobs.createJobAction({ ...input, password: PASSWORD });
    if (!started.ok) throw new Error(started.message);
    const startedId = jobIdOf(started.data);
    const row = await db
      .selectFrom('revocation_jobs')
      .select(['permission'])
      .where('id', '=', startedId)
      .executeTakeFirstOrThrow();
    expect(row.permission).toBe('jobs:incident');
    await jobStore.transition(startedId, ['queued', 'running', 'paused'], 'cancelled');
  });

  it('a job paused because its member lost access resumes only under an admin, who then runs it', async () => {
    as('support');
    const ids = (await activeSessionsOf(five)).slice(0, 1).map((s) => s.id);
    const target = { kind: 'sessions' as const, sessionIds: ids, userId: five };
    const dry = await jobs.dryRunJobAction({ target });
    if (!dry.ok) throw new Error(dry.message);
    const started = await jobs.createJobAction({
      target,
      reason: 'owner left',
      reasonCode: 'policy',
      idempotencyKey: key(),
      plan: dry.data.plan,
    });
    if (!started.ok) throw new Error(started.message);
    const jobId = jobIdOf(started.data);
    expect(await jobStore.pauseLostAccess(jobId)).toBe(true);
    expect(await jobs.resumeJobAction({ jobId })).toMatchObject({ ok: false, kind: 'forbidden' });
    as('admin');
    const resumed = await jobs.resumeJobAction({ jobId });
    expect(resumed).toMatchObject({ ok: true, message: 'Job resumed: it now runs as you.' });
    const view = await jobStore.get(jobId);
    expect(view).toMatchObject({
      state: 'running',
      runAs: expect.objectContaining({ staffId: staff.admin.id }),
    });
    await jobStore.transition(jobId, ['queued', 'running', 'paused'], 'cancelled');
  });

  it('a member past the active-job cap gets a plain message; an admin cancels all their jobs, one audit row each', async () => {
    as('support');
    const ids = (await activeSessionsOf(five)).slice(0, 1).map((s) => s.id);
    const target = { kind: 'sessions' as const, sessionIds: ids, userId: five };
    const { MAX_ACTIVE_JOBS_PER_MEMBER } = await import('@/lib/jobs');
    const active = async () =>
      (await jobStore.listActive()).filter((j) => j.createdBy.staffId === staff.support.id).length;
    const made: string[] = [];
    while ((await active()) < MAX_ACTIVE_JOBS_PER_MEMBER) {
      const dry = await jobs.dryRunJobAction({ target });
      if (!dry.ok) throw new Error(dry.message);
      const r = await jobs.createJobAction({
        target,
        reason: 'cap',
        reasonCode: 'policy',
        idempotencyKey: key(),
        plan: dry.data.plan,
      });
      if (!r.ok) throw new Error(r.message);
      made.push(jobIdOf(r.data));
    }
    const dry = await jobs.dryRunJobAction({ target });
    if (!dry.ok) throw new Error(dry.message);
    const refused = await jobs.createJobAction({
      target,
      reason: 'cap',
      reasonCode: 'policy',
      idempotencyKey: key(),
      plan: dry.data.plan,
    });
    expect(refused).toMatchObject({
      ok: false,
      message: `You already have ${MAX_ACTIVE_JOBS_PER_MEMBER} jobs under way: wait for one to finish or cancel one.`,
    });

    expect(
      await jobs.cancelMemberJobsAction({
        staffId: staff.support.id,
        reason: 'member left',
        reasonCode: 'policy',
      }),
    ).toMatchObject({
      ok: false,
      kind: 'forbidden',
    });
    as('admin');
    const all = await jobs.cancelMemberJobsAction({
      staffId: staff.support.id,
      reason: 'member left',
      reasonCode: 'policy',
    });
    expect(all).toMatchObject({ ok: true, data: { cancelled: MAX_ACTIVE_JOBS_PER_MEMBER } });
    expect(await active()).toBe(0);
    const rows = (
      await audit.list({
        action: 'job.cancel',
        outcome: 'succeeded',
        actor: staff.admin.id,
        limit: 50,
        offset: 0,
      })
    ).rows.filter((e) => e.details.all === true && typeof e.details.jobId === 'string');
    expect(rows.map((e) => e.details.jobId).sort()).toEqual([...made].sort());
  });
});
