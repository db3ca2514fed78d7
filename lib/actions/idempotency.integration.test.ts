// The write actions under one request key, as an attacker or a flaky network would send them (concurrent
// duplicates, replays, the key reused for something else or by someone else), on SQLite and on PostgreSQL, against
// the embedded Clerk API: its request log counts what really went upstream. Also the token lifetime cap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signedInState } from '@/lib/testing/signed-in';
import { sql } from 'kysely';
import {
  withLocalClerk,
  type LocalClerkFixture,
  type RecordedRequest,
} from '@/lib/testing/local-clerk-fixture';
import { freshPostgresSchema, startTestPostgres, TEST_ENGINES, type TestPostgres } from '@/lib/testing/pg';

const state = signedInState({ 'x-forwarded-for': '198.51.100.9' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

const PASSWORD = 'correct horse battery staple';
const key = () => crypto.randomUUID();
let api: LocalClerkFixture;
let pgServer: TestPostgres | null = null;
let dataDir: string;
let actions: typeof import('@/app/(console)/sessions/actions');
let staffActions: typeof import('@/app/(console)/staff/actions');

beforeAll(async () => {
  api = await withLocalClerk({ faults: true });
  pgServer = await startTestPostgres();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-idem-'));
  Object.assign(process.env, {
    LOCAL_CLERK_PORT: new URL(api.url).port,
    LOCAL_CLERK_SECRET_KEY: api.secretKey,
    CLERK_TIMEOUT_MS: '3000',
  });
  delete process.env.CLERK_SECRET_KEY;
  delete process.env.TOKEN_MAX_LIFETIME_SECONDS;
  actions = await import('@/app/(console)/sessions/actions');
  staffActions = await import('@/app/(console)/staff/actions');
}, 90_000);

afterAll(async () => {
  const { closeDb } = await import('@/lib/db');
  await closeDb();
  await api?.close();
  await pgServer?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function writesTo(pattern: RegExp): Promise<RecordedRequest[]> {
  return (await api.faults.requests()).requests.filter((r) => r.method === 'POST' && pattern.test(r.path));
}

describe.each(TEST_ENGINES)('write actions under one request key, on %s', (engine) => {
  let db: import('@/lib/db').Db;
  let audit: ReturnType<typeof import('@/lib/audit').auditLog>;
  let store: ReturnType<typeof import('@/lib/auth/staff-store').staffStore>;
  const staff = {} as Record<'support' | 'admin' | 'other', { id: string; email: string }>;
  let users: string[] = [];

  const as = (who: keyof typeof staff) => {
    state.session = {
      staff: { staffId: staff[who].id, sessionVersion: 0, signedInAt: Date.now(), provider: 'credentials' },
    };
  };
  async function activeSessions(n: number) {
    for (const userId of users) {
      const r = await api.clerk.sessions.getSessionList({ userId, status: 'active', limit: 100 });
      if (r.data.length >= n) return r.data.slice(0, n).map((s) => s.id);
    }
    throw new Error(`no user with ${n} active sessions left`);
  }
  const intents = async (action: string, sessionId: string) =>
    (await audit.forTarget({ sessionId })).filter((e) => e.action === action);

  beforeAll(async () => {
    if (engine === 'postgres' && !pgServer) return;
    const { closeDb, getDb } = await import('@/lib/db');
    const { resetEnvForTests } = await import('@/lib/env');
    await closeDb();
    process.env.DATA_DIR = fs.mkdtempSync(path.join(dataDir, `${engine}-`));
    if (engine === 'postgres') process.env.DATABASE_URL = await freshPostgresSchema(pgServer!.url);
    else delete process.env.DATABASE_URL;
    resetEnvForTests();
    db = await getDb();
    audit = (await import('@/lib/audit')).auditLog(db);
    store = (await import('@/lib/auth/staff-store')).staffStore(db);
    for (const role of ['support', 'admin', 'other'] as const) {
      const m = await store.add({
        email: `${role}-${engine}@console.test`,
        role: role === 'other' ? 'admin' : role,
        password: PASSWORD,
      });
      staff[role] = { id: m.id, email: m.email };
    }
    // Each engine takes its own band of seeded users, so the two runs never touch the same sessions.
    const list = await api.clerk.users.getUserList({ limit: 40, offset: engine === 'sqlite' ? 40 : 80 });
    users = list.data.map((u) => u.id);
  }, 60_000);

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pgServer) return ctx.skip();
    state.session = null;
    await api.faults.clear();
    await api.faults.clearRequests();
  });

  it('two concurrent revokes with one key: one upstream call, one audit intent, equal answers; a replay repeats it', async () => {
    as('support');
    const [sessionId] = await activeSessions(1);
    // Clerk holds the first revoke for a moment, so the duplicate arrives while it is in flight.
    await api.faults.set([{ path: `^/v1/sessions/${sessionId}/revoke$`, latencyMs: 300, times: 1 }]);
    const input = {
      sessionId: sessionId!,
      reason: 'ticket 77: stolen laptop',
      reasonCode: 'policy',
      idempotencyKey: key(),
    };
    const [a, b] = await Promise.all([
      actions.revokeSessionAction(input),
      actions.revokeSessionAction(input),
    ]);
    expect(a).toMatchObject({ ok: true, data: { id: sessionId, status: 'revoked' } });
    expect(b).toEqual(a);
    expect(await writesTo(/\/revoke$/)).toHaveLength(1);
    const rows = await intents('session.revoke', sessionId!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'succeeded', details: { requestKey: input.idempotencyKey } });

    // The same request again later (a retry, or a captured POST replayed): the first answer, nothing sent.
    const again = await actions.revokeSessionAction(input);
    expect(again).toEqual(a);
    expect(await writesTo(/\/revoke$/)).toHaveLength(1);
    expect(await intents('session.revoke', sessionId!)).toHaveLength(1);
  });

  it('the same key with other input, or from another staff member, is refused and does nothing', async () => {
    as('support');
    const [first, second] = await activeSessions(2);
    const idempotencyKey = key();
    const r1 = await actions.revokeSessionAction({
      sessionId: first!,
      reason: 'ticket 78',
      reasonCode: 'policy',
      idempotencyKey,
    });
    expect(r1.ok).toBe(true);
    await api.faults.clearRequests();

    const otherSession = await actions.revokeSessionAction({
      sessionId: second!,
      reason: 'ticket 78',
      reasonCode: 'policy',
      idempotencyKey,
    });
    expect(otherSession).toMatchObject({ ok: false, kind: 'conflict' });
    const otherReason = await actions.revokeSessionAction({
      sessionId: first!,
      reason: 'another reason',
      reasonCode: 'policy',
      idempotencyKey,
    });
    expect(otherReason).toMatchObject({ ok: false, kind: 'conflict' });
    as('admin');
    const otherStaff = await actions.revokeSessionAction({
      sessionId: first!,
      reason: 'ticket 78',
      reasonCode: 'policy',
      idempotencyKey,
    });
    expect(otherStaff).toMatchObject({ ok: false, kind: 'conflict' });
    // Another staff member learns nothing of the first answer.
    expect(JSON.stringify(otherStaff)).not.toContain(first!);

    expect(await writesTo(/\/revoke$/)).toHaveLength(0);
    expect((await api.clerk.sessions.getSession(second!)).status).toBe('active');
    expect(await intents('session.revoke', second!)).toHaveLength(0);
    expect(await intents('session.revoke', first!)).toHaveLength(1);
  });

  it('a write without a request key is refused before anything is done', async () => {
    as('support');
    const [sessionId] = await activeSessions(1);
    for (const idempotencyKey of [undefined, '', 'short', 'k'.repeat(200), 12345]) {
      const r = await actions.revokeSessionAction({
        sessionId: sessionId!,
        reason: 'ticket 79',
        reasonCode: 'policy',
        idempotencyKey,
      });
      expect(r).toMatchObject({
        ok: false,
        kind: 'invalid_input',
        fieldErrors: { idempotencyKey: [expect.any(String)] },
      });
    }
    expect(await writesTo(/\/revoke$/)).toHaveLength(0);
    expect((await api.clerk.sessions.getSession(sessionId!)).status).toBe('active');
  });

  it('a mint sent twice at once mints one token; the repeat says so with its jti and never carries the token', async () => {
    as('admin');
    const [sessionId] = await activeSessions(1);
    await api.faults.set([{ path: `^/v1/sessions/${sessionId}/tokens/`, latencyMs: 300, times: 1 }]);
    const input = {
      sessionId: sessionId!,
      template: 'hasura',
      reason: 'debug a claim, ticket 81',
      reasonCode: 'policy',
      password: PASSWORD,
      idempotencyKey: key(),
    };
    const both = await Promise.all([actions.createTokenAction(input), actions.createTokenAction(input)]);
    expect(await writesTo(/\/tokens\//)).toHaveLength(1);
    expect(await intents('token.create', sessionId!)).toHaveLength(1);
    const minted = both.find((r) => r.ok && !r.data.replayed);
    const repeat = both.find((r) => r.ok && r.data.replayed);
    expect(minted && repeat, JSON.stringify(both)).toBeTruthy();
    if (!minted?.ok || minted.data.replayed || !repeat?.ok) return;
    expect(repeat).toEqual({
      ok: true,
      message: expect.stringMatching(/already minted by this request/),
      data: { replayed: true, jwt: null, jti: minted.data.jti, expiresAt: minted.data.expiresAt },
    });
    expect(minted.data.jti).toEqual(minted.data.claims.jti);

    // Replayed later, even with the password left out: the same answer, still no token, nothing sent.
    const { password: _dropped, ...withoutPassword } = input;
    expect(await actions.createTokenAction(withoutPassword)).toEqual(repeat);
    expect(await writesTo(/\/tokens\//)).toHaveLength(1);
    const everything = JSON.stringify(await sql`select * from idempotency_keys`.execute(db));
    expect(everything).not.toContain(minted.data.jwt.split('.')[2]!);
    expect(everything).not.toContain(PASSWORD);
  });

  it('a failed step-up does not use the key up: the same request with the right password mints', async () => {
    as('admin');
    const [sessionId] = await activeSessions(1);
    const input = {
      sessionId: sessionId!,
      template: 'hasura',
      reason: 'ticket 82',
      reasonCode: 'policy',
      idempotencyKey: key(),
    };
    expect(await actions.createTokenAction({ ...input, password: 'wrong' })).toMatchObject({
      ok: false,
      kind: 'step_up_required',
    });
    const r = await actions.createTokenAction({ ...input, password: PASSWORD });
    expect(r).toMatchObject({ ok: true, data: { replayed: false } });
    expect(await writesTo(/\/tokens\//)).toHaveLength(1);
  });

  it('a staff change sent twice runs once', async () => {
    as('admin');
    const member = await store.add({
      email: `member-${key()}@console.test`,
      role: 'viewer',
      password: PASSWORD,
    });
    const input = {
      op: 'sign-out' as const,
      staffId: member.id,
      reason: 'ticket 83',
      reasonCode: 'policy',
      idempotencyKey: key(),
      password: PASSWORD,
    };
    const [a, b] = await Promise.all([
      staffActions.manageStaffAction(input),
      staffActions.manageStaffAction(input),
    ]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toEqual(a);
    expect((await store.findById(member.id))!.sessionVersion).toBe(member.sessionVersion + 1);
    const rows = await audit.list({ action: 'staff.manage', actor: staff.admin.email, limit: 50, offset: 0 });
    expect(rows.rows.filter((r) => r.details.email === member.email)).toHaveLength(1);
    as('other');
    expect(await staffActions.manageStaffAction(input)).toMatchObject({ ok: false, kind: 'conflict' });
    expect((await store.findById(member.id))!.sessionVersion).toBe(member.sessionVersion + 1);
  });

  describe('token lifetime cap (TOKEN_MAX_LIFETIME_SECONDS, default 3,600 s)', () => {
    it('a ten-year expiry gets a field error; nothing reaches Clerk and no intent is written', async () => {
      as('admin');
      const [sessionId] = await activeSessions(1);
      await api.faults.clearRequests();
      const r = await actions.createTokenAction({
        sessionId: sessionId!,
        template: 'hasura',
        expiresInSeconds: 315_360_000,
        reason: 'ticket 84',
        reasonCode: 'policy',
        password: PASSWORD,
        idempotencyKey: key(),
      });
      expect(r).toMatchObject({
        ok: false,
        kind: 'invalid_input',
        fieldErrors: { expiresInSeconds: ['At most 3,600 seconds on this console.'] },
      });
      expect((await api.faults.requests()).count).toBe(0);
      const rows = await intents('token.create', sessionId!);
      expect(rows.filter((e) => e.details.reason === 'ticket 84')).toHaveLength(0);
    });

    it('a template that lasts a day is minted only with an explicit expiry within the cap', async () => {
      as('admin');
      const [sessionId] = await activeSessions(1);
      const input = {
        sessionId: sessionId!,
        template: 'long-lived',
        reason: 'ticket 85',
        reasonCode: 'policy',
        password: PASSWORD,
      };
      const refused = await actions.createTokenAction({ ...input, idempotencyKey: key() });
      expect(refused).toMatchObject({
        ok: false,
        kind: 'invalid_input',
        fieldErrors: { expiresInSeconds: [expect.stringMatching(/lasts 86,400 seconds.*limit of 3,600/)] },
      });
      expect(await writesTo(/\/tokens\//)).toHaveLength(0);
      const rows = await intents('token.create', sessionId!);
      expect(rows.filter((e) => e.details.reason === 'ticket 85')).toHaveLength(0);

      const minted = await actions.createTokenAction({
        ...input,
        expiresInSeconds: 600,
        idempotencyKey: key(),
      });
      expect(minted.ok).toBe(true);
      if (!minted.ok || minted.data.replayed) return;
      expect(Number(minted.data.claims.exp) - Number(minted.data.claims.iat)).toBe(600);
    });
  });
});
