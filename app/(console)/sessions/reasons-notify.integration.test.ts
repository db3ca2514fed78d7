// Reason codes, tickets and "tell the user" on a revoke, against the embedded Clerk API and a real SQLite store:
// the deployer's list is enforced on the server, a ticket is an id (never a link), the audit rows carry both, and a
// notice is queued only after a revoke that happened, with a dead mail server changing nothing for the revoke.
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signedInState } from '@/lib/testing/signed-in';
import { startConsoleFixture, staffSession, type ConsoleFixture } from '@/lib/testing/console-fixture';
import type { LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

const state = signedInState({ 'x-console-client-ip': '198.51.100.9' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

const key = () => crypto.randomUUID();
let fx: ConsoleFixture<'support'>;
let api: LocalClerkFixture;
let actions: typeof import('@/app/(console)/sessions/actions');
let db: ConsoleFixture<'support'>['db'];
const active: { sessionId: string; userId: string; email: string }[] = [];

async function raw(p: string): Promise<unknown> {
  const res = await fetch(`${api.url}${p}`, { headers: { Authorization: `Bearer ${api.secretKey}` } });
  return res.json();
}

/** A port nothing listens on: the mail server is down for the whole suite. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitFor<T>(check: () => Promise<T | null | undefined>, what: string): Promise<T> {
  const until = Date.now() + 20_000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const auditRows = (sessionId: string) =>
  db.selectFrom('audit_log').selectAll().where('session_id', '=', sessionId).orderBy('seq').execute();
const notices = (userId: string) =>
  db.selectFrom('user_notices').selectAll().where('user_id', '=', userId).execute();

beforeAll(async () => {
  fx = await startConsoleFixture({
    name: 'reasons',
    env: {
      CLERK_TIMEOUT_MS: '3000',
      CLERK_RATE_BUDGET: '1000',
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
      SMTP_MAX_ATTEMPTS: '1',
      SMTP_POLL_MS: '50',
      TICKET_URL_TEMPLATE: 'https://support.example.com/tickets/{id}',
    },
    roles: ['support'],
  });
  api = fx.api;
  db = fx.db;
  actions = await import('@/app/(console)/sessions/actions');
  const users = (await raw('/v1/users?limit=100&offset=150')) as {
    id: string;
    banned: boolean;
    email_addresses: { email_address: string }[];
  }[];
  for (const u of users) {
    const email = u.email_addresses[0]?.email_address;
    if (u.banned || !email) continue;
    const sessions = (await raw(`/v1/sessions?user_id=${u.id}&status=active&limit=1`)) as { id: string }[];
    if (sessions[0]) active.push({ sessionId: sessions[0].id, userId: u.id, email });
    if (active.length >= 4) break;
  }
  expect(active.length).toBe(4);
}, 60_000);

afterAll(async () => {
  await (await import('@/lib/notify')).stopNotifyLoop();
  await fx?.close();
});

beforeEach(async () => {
  state.session = staffSession(fx.staff.support.id);
  await api.faults.clear();
  await api.faults.clearRequests();
});

async function revokesSent(): Promise<number> {
  return (await api.faults.requests()).requests.filter((r) => r.method === 'POST' && /revoke/.test(r.path))
    .length;
}

describe('reason code and ticket on a revoke', () => {
  it('refuses a code outside the deployer list before anything reaches Clerk', async () => {
    const { sessionId } = active[0]!;
    const r = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId,
      reason: 'stolen laptop',
      reasonCode: 'made_up',
    });
    expect(r).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(!r.ok && r.fieldErrors?.reasonCode?.[0]).toBe('Choose a reason code from the list.');
    const missing = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId,
      reason: 'stolen laptop',
    });
    expect(missing).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await revokesSent()).toBe(0);
    expect(await auditRows(sessionId)).toHaveLength(0);
  });

  it.each(['https://evil.example/tickets/1', '../../admin', 'SUP 1', 'javascript:alert(1)'])(
    'refuses the ticket %j (an id, never a link or a path)',
    async (ticket) => {
      const { sessionId } = active[0]!;
      const r = await actions.revokeSessionAction({
        idempotencyKey: key(),
        sessionId,
        reason: 'stolen laptop',
        reasonCode: 'lost_device',
        ticket,
      });
      expect(r).toMatchObject({ ok: false, kind: 'invalid_input' });
      expect(!r.ok && r.fieldErrors?.ticket).toBeTruthy();
      expect(await revokesSent()).toBe(0);
    },
  );

  it('records the code and ticket on the intent (indexed columns) and in its details', async () => {
    const { sessionId } = active[0]!;
    const r = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId,
      reason: 'stolen laptop',
      reasonCode: 'lost_device',
      ticket: 'SUP-4411',
    });
    expect(r.ok).toBe(true);
    const [intent, outcome] = await auditRows(sessionId);
    expect(intent).toMatchObject({ kind: 'intent', reason_code: 'lost_device', ticket: 'SUP-4411' });
    expect(JSON.parse(intent!.details)).toMatchObject({ reasonCode: 'lost_device', ticket: 'SUP-4411' });
    expect(outcome).toMatchObject({ kind: 'outcome', outcome: 'succeeded' });
    expect(await notices(active[0]!.userId)).toHaveLength(0);
  });
});

describe('tell the user', () => {
  it('queues the member-edited notice after the revoke, and the dead mail server fails only the mail', async () => {
    const { sessionId, userId, email } = active[1]!;
    const message = 'Hello, we signed you out of your laptop because you told us it was stolen.';
    const r = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId,
      reason: 'internal: caller verified by phone',
      reasonCode: 'lost_device',
      notify: { message },
    });
    expect(r).toMatchObject({ ok: true, message: 'Session revoked.' });
    expect(await revokesSent()).toBe(1);
    const [notice] = await notices(userId);
    expect(notice).toMatchObject({ email, kind: 'revoke', reason_code: 'lost_device', body_text: message });
    expect(notice!.body_text).not.toContain('internal');
    const outcome = (await auditRows(sessionId)).find((row) => row.kind === 'outcome')!;
    expect(JSON.parse(outcome.details)).toMatchObject({ notice: 'queued', noticeId: notice!.id });

    const { startNotifyLoop } = await import('@/lib/notify');
    startNotifyLoop();
    const failed = await waitFor(
      () =>
        db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'notify.email')
          .where('user_id', '=', userId)
          .executeTakeFirst(),
      'the mail outcome in the audit log',
    );
    expect(failed.outcome).toBe('failed');
  });

  it('a sign-out-everywhere job queues the notice once the job exists, and keeps its code and ticket', async () => {
    const { userId } = active[3]!;
    const jobs = await import('@/app/(console)/jobs/actions');
    const target = { kind: 'users' as const, userIds: [userId] };
    const dry = await jobs.dryRunJobAction({ target });
    expect(dry.ok).toBe(true);
    const started = await jobs.createJobAction({
      idempotencyKey: key(),
      target,
      plan: dry.ok ? dry.data.plan : '',
      reason: 'account takeover reported by the user',
      reasonCode: 'suspected_compromise',
      ticket: 'SUP-77',
      notify: { message: 'We signed you out everywhere after your call.' },
    });
    expect(started.ok && 'jobId' in started.data).toBe(true);
    const jobId = started.ok && 'jobId' in started.data ? started.data.jobId : '';
    const job = await db
      .selectFrom('revocation_jobs')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ reason_code: 'suspected_compromise', ticket: 'SUP-77' });
    const [notice] = await notices(userId);
    expect(notice).toMatchObject({
      kind: 'bulk',
      body_text: 'We signed you out everywhere after your call.',
    });
    const outcomes = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'job.start')
      .where('kind', '=', 'outcome')
      .execute();
    const start = outcomes.find((o) => (JSON.parse(o.details) as { jobId?: string }).jobId === jobId)!;
    expect(JSON.parse(start.details)).toMatchObject({ jobId, notice: 'queued' });
    const paused = await jobs.pauseJobAction({ jobId });
    expect(paused).toMatchObject({ ok: true, data: { state: 'paused' } });
    const steering = await db
      .selectFrom('audit_log')
      .select(['kind', 'reason_code', 'ticket'])
      .where('action', '=', 'job.pause')
      .where('details', 'like', `%${jobId}%`)
      .execute();
    expect(steering).toEqual([{ kind: 'intent', reason_code: 'suspected_compromise', ticket: 'SUP-77' }]);
  });

  it('queues nothing when the revoke fails', async () => {
    const { sessionId, userId } = active[2]!;
    await api.faults.set([
      { method: 'POST', path: `/v1/sessions/${sessionId}/revoke`, status: 422, times: 1 },
    ]);
    const r = await actions.revokeSessionAction({
      idempotencyKey: key(),
      sessionId,
      reason: 'suspicious sign-in',
      reasonCode: 'suspected_compromise',
      notify: { message: 'We signed you out.' },
    });
    expect(r.ok).toBe(false);
    expect(await notices(userId)).toHaveLength(0);
  });
});
