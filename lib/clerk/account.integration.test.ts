import 'server-only';
// The console's account-security calls against the embedded Clerk-compatible API, configured the way production
// is (loadEnv → createConsoleClerkClient), with faults injected through the server's /__faults control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClerkClient } from '@clerk/backend';
import { loadEnv } from '@/lib/env';
import { withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import { ConsoleApiError, CONSOLE_ERROR_MESSAGES as MESSAGES, createConsoleClerkClient } from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { ACCOUNT_FIXTURES, PLANTED_LOCKOUT_SECONDS } from '@/lib/local-clerk/seed-account';
import type { UserJson } from '@/lib/local-clerk/types';
import {
  banUser,
  banUsers,
  disableMfa,
  getAccountState,
  listApiKeys,
  listTrustedDevices,
  lockUser,
  NO_PASSWORD_MESSAGE,
  revokeApiKey,
  revokeTrustedDevice,
  setPasswordCompromised,
  unbanUser,
  unbanUsers,
  unlockUser,
  unsetPasswordCompromised,
} from './account';

let fx: LocalClerkFixture;
let consoleClient: ClerkClient;
let ordinary: UserJson[];
const ids: Record<keyof typeof ACCOUNT_FIXTURES, string> = {
  banned: '',
  locked: '',
  compromised: '',
  secured: '',
};

async function raw<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fx.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${fx.secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

async function liveSessions(userId: string): Promise<number> {
  const { data } = await fx.clerk.sessions.getSessionList({ userId, limit: 500 });
  return data.filter((s) => s.status === 'active' || s.status === 'pending').length;
}

let next = 0;
async function freshUser(): Promise<UserJson> {
  while (next < ordinary.length) {
    const u = ordinary[next++] as UserJson;
    if ((await liveSessions(u.id)) > 0) return u;
  }
  throw new Error('no ordinary user left');
}

async function rejection(p: Promise<unknown>): Promise<ConsoleApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConsoleApiError) return e;
    throw e;
  }
  throw new Error('expected a ConsoleApiError');
}

beforeAll(async () => {
  fx = await withLocalClerk({ faults: true });
  const env = loadEnv({
    LOCAL_CLERK_PORT: new URL(fx.url).port,
    LOCAL_CLERK_SECRET_KEY: fx.secretKey,
    DATA_DIR: fx.dataDir,
    AUTH_SECRET: 'x'.repeat(40),
  });
  consoleClient = createConsoleClerkClient(env);
  const users = await raw<UserJson[]>('GET', '/v1/users?limit=500&order_by=%2Bcreated_at');
  for (const [key, email] of Object.entries(ACCOUNT_FIXTURES))
    ids[key as keyof typeof ACCOUNT_FIXTURES] =
      users.find((u) => u.email_addresses[0]?.email_address === email)?.id ?? '';
  ordinary = users.filter(
    (u) =>
      !u.banned &&
      !u.locked &&
      u.password_enabled &&
      !u.email_addresses[0]?.email_address.endsWith('@example.com'),
  );
});

afterAll(async () => {
  setClerkClientForTests(null);
  await fx?.close();
});

beforeEach(async () => {
  setClerkClientForTests(consoleClient);
  await fx.faults.clear();
  await fx.faults.clearRequests();
});

describe('account state', () => {
  it('reads what the SDK drops from its User: the lockout countdown, the flagged password, the MFA dates', async () => {
    expect(await getAccountState(ids.banned)).toMatchObject({ banned: true, locked: false });
    const locked = await getAccountState(ids.locked);
    expect(locked.locked).toBe(true);
    expect(locked.lockoutExpiresInSeconds).toBeGreaterThan(PLANTED_LOCKOUT_SECONDS - 600);
    expect(locked.verificationAttemptsRemaining).toBe(0);
    expect(await getAccountState(ids.compromised)).toMatchObject({
      passwordCompromised: true,
      passwordEnabled: true,
    });
    const secured = await getAccountState(ids.secured);
    expect(secured).toMatchObject({ twoFactorEnabled: true, totpEnabled: true, backupCodeEnabled: true });
    expect(secured.mfaEnabledAt).toBeGreaterThan(0);
  });

  it('refuses an id that is not a user id before any request', async () => {
    for (const bad of ['user_../../sessions', 'sess_abc', '', 'user_a/b']) {
      const e = await rejection(banUser(bad));
      expect(e.kind).toBe('invalid_input');
    }
    expect((await fx.faults.requests()).count).toBe(0);
  });
});

describe('ban, lock and the password flag', () => {
  it('bans (every session revoked) and unbans', async () => {
    const u = await freshUser();
    expect(await banUser(u.id)).toMatchObject({ userId: u.id, banned: true });
    expect(await liveSessions(u.id)).toBe(0);
    expect(await unbanUser(u.id)).toMatchObject({ banned: false });
  });

  it('bans and unbans up to 50 users in one request, and refuses more before sending anything', async () => {
    const [a, b] = [await freshUser(), await freshUser()];
    await fx.faults.clearRequests();
    const banned = await banUsers([a.id, b.id]);
    expect(banned.map((s) => [s.userId, s.banned])).toEqual([
      [a.id, true],
      [b.id, true],
    ]);
    expect((await fx.faults.requests()).requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/users/ban',
    ]);
    expect((await unbanUsers([a.id, b.id])).every((s) => !s.banned)).toBe(true);

    await fx.faults.clearRequests();
    expect((await rejection(banUsers([]))).kind).toBe('invalid_input');
    expect((await rejection(banUsers(Array.from({ length: 51 }, () => a.id)))).kind).toBe('invalid_input');
    expect((await rejection(banUsers([a.id, 'user_x/../y']))).kind).toBe('invalid_input');
    expect((await fx.faults.requests()).count).toBe(0);
  });

  it('locks with a countdown and unlocks', async () => {
    const u = await freshUser();
    const locked = await lockUser(u.id);
    expect(locked.locked).toBe(true);
    expect(locked.lockoutExpiresInSeconds).toBeGreaterThan(3590);
    expect(await unlockUser(u.id)).toMatchObject({ locked: false, lockoutExpiresInSeconds: null });
  });

  it('flags a password (optionally revoking every session) and clears the flag', async () => {
    const u = await freshUser();
    const flagged = await setPasswordCompromised(u.id, { revokeAllSessions: true });
    expect(flagged.passwordCompromised).toBe(true);
    expect(await liveSessions(u.id)).toBe(0);
    expect((await unsetPasswordCompromised(u.id)).passwordCompromised).toBe(false);

    const users = await raw<UserJson[]>('GET', '/v1/users?limit=500');
    const noPassword = users.find((x) => !x.password_enabled) as UserJson;
    const e = await rejection(setPasswordCompromised(noPassword.id, { revokeAllSessions: false }));
    expect([e.kind, e.userMessage, e.clerkCode]).toEqual([
      'invalid_input',
      NO_PASSWORD_MESSAGE,
      'no_password_set',
    ]);
  });

  it('never retries a write: a 500 on a ban is an unknown outcome after exactly one request', async () => {
    const u = await freshUser();
    await fx.faults.set([{ path: '^/v1/users/[^/]+/ban$', status: 500 }]);
    await fx.faults.clearRequests();
    const e = await rejection(banUser(u.id));
    expect(e.outcomeUnknown).toBe(true);
    expect(e.userMessage).toBe(MESSAGES.outcomeUnknown);
    expect((await fx.faults.requests()).count).toBe(1);
  });
});

describe('MFA and trusted devices', () => {
  it('lists the trusted devices, revokes one, and turns MFA off', async () => {
    const devices = await listTrustedDevices(ids.secured);
    expect(devices.map((d) => d.status)).toEqual(['active', 'active']);
    const revoked = await revokeTrustedDevice(ids.secured, devices[0]?.id as string);
    expect(revoked).toMatchObject({ id: devices[0]?.id, status: 'revoked' });
    expect((await listTrustedDevices(ids.secured)).map((d) => d.id)).toEqual([devices[1]?.id]);
    const again = await rejection(revokeTrustedDevice(ids.secured, devices[0]?.id as string));
    expect(again.kind).toBe('not_found');

    expect(await disableMfa(ids.secured)).toEqual({ userId: ids.secured });
    const state = await getAccountState(ids.secured);
    expect(state).toMatchObject({ twoFactorEnabled: false, totpEnabled: false, backupCodeEnabled: false });
    expect(state.mfaDisabledAt).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('API keys', () => {
  it('lists valid keys, or all of them, and never carries a secret', async () => {
    const valid = await listApiKeys(ids.secured);
    expect(valid.data.map((k) => k.name)).toEqual(['ci-deploy']);
    const all = await listApiKeys(ids.secured, { includeInvalid: true });
    expect(all.totalCount).toBe(3);
    expect(all.data.filter((k) => k.revoked || k.expired)).toHaveLength(2);
    for (const k of all.data) expect(Object.keys(k)).not.toContain('secret');
  });

  it('revokes a key with a reason, and refuses a malformed id before any request', async () => {
    const u = await freshUser();
    const created = await raw<{ id: string; secret: string }>('POST', '/v1/api_keys', {
      name: 'support-debug',
      subject: u.id,
    });
    const revoked = await revokeApiKey(created.id, 'Leaked in a ticket');
    expect(revoked).toMatchObject({ id: created.id, revoked: true, revocationReason: 'Leaked in a ticket' });
    expect(JSON.stringify(revoked)).not.toContain(created.secret);
    expect((await listApiKeys(u.id)).data.map((k) => k.id)).not.toContain(created.id);

    await fx.faults.clearRequests();
    expect((await rejection(revokeApiKey('ak_../users'))).kind).toBe('invalid_input');
    expect((await rejection(revokeApiKey(created.id, 'x'.repeat(256)))).kind).toBe('invalid_input');
    expect((await fx.faults.requests()).count).toBe(0);
    expect((await rejection(revokeApiKey(`ak_${'0'.repeat(32)}`))).kind).toBe('not_found');
  });
});
