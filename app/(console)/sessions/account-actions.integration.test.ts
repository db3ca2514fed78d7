// Undoing a ban, a lock and a compromised-password flag, as each role, against the embedded Clerk API and a real
// SQLite store: who may, the audit rows (reason, trace id), a Clerk refusal, and nothing upstream when refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signedInState } from '@/lib/testing/signed-in';
import { startConsoleFixture, staffSession, type ConsoleFixture } from '@/lib/testing/console-fixture';
import type { LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

const state = signedInState({ 'x-console-client-ip': '198.51.100.8' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

type Role = 'viewer' | 'support' | 'admin';
const key = () => crypto.randomUUID();
const reasonCode = 'user_request';
let fx: ConsoleFixture<Role>;
let api: LocalClerkFixture;
let actions: typeof import('@/app/(console)/sessions/account-actions');
let audit: ReturnType<typeof import('@/lib/audit').auditLog>;
let users: { id: string }[] = [];
let next = 0;

function as(role: Role) {
  state.session = staffSession(fx.staff[role].id);
}

async function raw(method: string, p: string): Promise<Response> {
  return fetch(`${api.url}${p}`, {
    method,
    headers: { Authorization: `Bearer ${api.secretKey}`, 'Content-Type': 'application/json' },
  });
}

/** A fresh ordinary user per test, put into the state the undo is for through the embedded API directly. */
async function userIn(state: 'banned' | 'locked' | 'compromised'): Promise<string> {
  const id = users[next++]!.id;
  const p = state === 'compromised' ? 'password/set_compromised' : state === 'banned' ? 'ban' : 'lock';
  expect((await raw('POST', `/v1/users/${id}/${p}`)).status).toBe(200);
  return id;
}

async function upstream(): Promise<string[]> {
  return (await api.faults.requests()).requests.map((r) => `${r.method} ${r.path}`);
}

beforeAll(async () => {
  fx = await startConsoleFixture({
    name: 'undo',
    env: { CLERK_TIMEOUT_MS: '3000', CLERK_RATE_BUDGET: '1000' },
    roles: ['viewer', 'support', 'admin'],
  });
  api = fx.api;
  audit = (await import('@/lib/audit')).auditLog(fx.db);
  actions = await import('@/app/(console)/sessions/account-actions');
  const list = (await (await raw('GET', '/v1/users?limit=200&offset=100')).json()) as {
    id: string;
    banned: boolean;
    locked: boolean;
    password_enabled: boolean;
  }[];
  users = list.filter((u) => !u.banned && !u.locked && u.password_enabled);
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

beforeEach(async () => {
  state.session = null;
  await api.faults.clear();
  await api.faults.clearRequests();
});

const cases = [
  { undo: 'unbanUserAction', from: 'banned', action: 'account.unban', may: ['admin'] },
  { undo: 'unlockUserAction', from: 'locked', action: 'account.unlock', may: ['support', 'admin'] },
  {
    undo: 'unsetPasswordCompromisedAction',
    from: 'compromised',
    action: 'account.unset_compromised',
    may: ['support', 'admin'],
  },
] as const;

describe.each(cases)('$undo', ({ undo, from, action, may }) => {
  it.each(['viewer', 'support', 'admin'] as const)('as %s', async (role) => {
    const userId = await userIn(from);
    await api.faults.clearRequests();
    as(role);
    const reason = `ticket 77 by ${role}`;
    const r = await actions[undo]({ idempotencyKey: key(), userId, reason, reasonCode });
    const rows = (await audit.forTarget({ userId })).filter((e) => e.action === action);
    if (!(may as readonly Role[]).includes(role)) {
      expect(r).toMatchObject({ ok: false, kind: 'forbidden' });
      expect(await upstream()).toEqual([]);
      expect(rows).toEqual([]);
      const state = (await (await raw('GET', `/v1/users/${userId}`)).json()) as Record<string, unknown>;
      expect(
        from === 'banned' ? state.banned : from === 'locked' ? state.locked : state.requires_password_reset,
      ).toBe(true);
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject(
      from === 'banned'
        ? { banned: false }
        : from === 'locked'
          ? { locked: false }
          : { passwordCompromised: false },
    );
    expect(await upstream()).toHaveLength(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'succeeded',
      actor: { email: fx.staff[role].email, role },
      target: { userId },
      details: { reason },
    });
    expect(rows[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('refusals', () => {
  it('a Clerk plan refusal is a plain message with the trace id, audited as failed', async () => {
    const userId = await userIn('locked');
    await api.faults.set([{ path: '/unlock$', status: 402 }]);
    as('support');
    const r = await actions.unlockUserAction({
      idempotencyKey: key(),
      userId,
      reason: 'caller verified',
      reasonCode,
    });
    expect(r).toMatchObject({ ok: false, kind: 'forbidden' });
    if (r.ok) return;
    expect(r.message).toMatch(/^Your Clerk plan does not include locking users/);
    expect(r.traceId).toMatch(/^[0-9a-f]{32}$/);
    const [row] = (await audit.forTarget({ userId })).filter((e) => e.action === 'account.unlock');
    expect(row).toMatchObject({
      outcome: 'failed',
      traceId: r.traceId,
      details: { reason: 'caller verified' },
    });
  });

  it('refuses a missing reason and a malformed id before anything is sent or audited', async () => {
    as('admin');
    const userId = users[next++]!.id;
    const short = await actions.unbanUserAction({ idempotencyKey: key(), userId, reason: ' x ', reasonCode });
    expect(short).toMatchObject({ ok: false, kind: 'invalid_input' });
    const bad = await actions.unbanUserAction({
      idempotencyKey: key(),
      userId: 'user_../../sessions',
      reason: 'ticket 1',
      reasonCode,
    });
    expect(bad).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await upstream()).toEqual([]);
    expect((await audit.forTarget({ userId })).filter((e) => e.action === 'account.unban')).toEqual([]);
  });
});
