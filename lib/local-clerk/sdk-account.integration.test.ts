// Securing an account through the embedded Backend API: bans, locks, compromised passwords, MFA, trusted devices
// and API keys. Endpoints @clerk/backend wraps are driven through it; the others (bulk ban and unban, trusted
// devices) with plain HTTP. Every answer is checked against our schemas of Clerk's responses (lib/testing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClerkClient, type ClerkClient, type User } from '@clerk/backend';
import * as bapi from '@/lib/testing/bapi-schemas';
import { captureClerkError, withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import { ACCOUNT_FIXTURES, PLANTED_LOCKOUT_SECONDS } from './seed-account';
import type { ApiKeyJson, SessionJson, TrustedDeviceJson, UserJson } from './types';

// The one field the embedded API sends beyond the 2026-05-12 User schema (see the README): Clerk's own
// unset_compromised description says the returned user carries it.
const embeddedUser = bapi.user.extend({ requires_password_reset: z.boolean() });

let fx: LocalClerkFixture;
/**
 * @clerk/backend 3.25 sends its apiKeys calls without the version segment (`{apiUrl}/api_keys`); Clerk's OpenAPI
 * file serves them under /v1 like everything else, and so does the embedded API. An apiUrl ending in /v1 gives
 * the official client the spec's paths.
 */
let apiKeys: ClerkClient['apiKeys'];
let ordinary: UserJson[];

interface Answer<T> {
  status: number;
  contentType: string | null;
  json: T;
}

async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${fx.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${fx.secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as T };
}

function expectSchema(schema: z.ZodType, value: unknown): void {
  expect(bapi.schemaErrors(schema, value)).toEqual([]);
}

function expectError(a: Answer<unknown>, status: number, code: string): void {
  expect(a.status).toBe(status);
  expect(a.contentType).toBe('application/json');
  expectSchema(bapi.clerkErrors, a.json);
  expect((a.json as { errors: { code: string }[] }).errors[0]?.code).toBe(code);
}

function raw(u: User): UserJson {
  return u.raw as unknown as UserJson;
}

async function byEmail(email: string): Promise<UserJson> {
  const { json } = await api<UserJson[]>('GET', `/v1/users?email_address=${encodeURIComponent(email)}`);
  expect(json).toHaveLength(1);
  return json[0] as UserJson;
}

async function liveSessions(userId: string): Promise<number> {
  const { data } = await fx.clerk.sessions.getSessionList({ userId, limit: 500 });
  return data.filter((s) => s.status === 'active' || s.status === 'pending').length;
}

/** A distinct ordinary user with a password and at least one active session, for each test that changes one. */
let nextOrdinary = 0;
async function freshUser(): Promise<UserJson> {
  for (; nextOrdinary < ordinary.length; ) {
    const u = ordinary[nextOrdinary++] as UserJson;
    if ((await fx.clerk.sessions.getSessionList({ userId: u.id, status: 'active', limit: 1 })).totalCount > 0)
      return u;
  }
  throw new Error('no ordinary user left');
}

beforeAll(async () => {
  fx = await withLocalClerk();
  apiKeys = createClerkClient({
    secretKey: fx.secretKey,
    apiUrl: `${fx.url}/v1`,
    telemetry: { disabled: true },
  }).apiKeys;
  const { json } = await api<UserJson[]>('GET', '/v1/users?limit=500&order_by=%2Bcreated_at');
  const fixtures = new Set<string>(Object.values(ACCOUNT_FIXTURES));
  ordinary = json.filter(
    (u) =>
      !u.banned &&
      !u.locked &&
      u.password_enabled &&
      !fixtures.has(u.email_addresses[0]?.email_address ?? '') &&
      !u.email_addresses[0]?.email_address.endsWith('@example.com'),
  );
  expect(ordinary.length).toBeGreaterThan(20);
});

afterAll(async () => {
  await fx?.close();
});

describe('planted users', () => {
  it('has one banned user with no live session, and one locked user whose lock counts down from a week', async () => {
    const banned = await byEmail(ACCOUNT_FIXTURES.banned);
    expect(banned.banned).toBe(true);
    expect(await liveSessions(banned.id)).toBe(0);
    const locked = await byEmail(ACCOUNT_FIXTURES.locked);
    expectSchema(embeddedUser, locked);
    expect(locked.locked).toBe(true);
    expect(locked.lockout_expires_in_seconds).toBeGreaterThan(PLANTED_LOCKOUT_SECONDS - 600);
    expect(locked.lockout_expires_in_seconds).toBeLessThanOrEqual(PLANTED_LOCKOUT_SECONDS);
    const compromised = await byEmail(ACCOUNT_FIXTURES.compromised);
    expect(compromised.requires_password_reset).toBe(true);
    const secured = await byEmail(ACCOUNT_FIXTURES.secured);
    expect([secured.two_factor_enabled, secured.totp_enabled, secured.backup_code_enabled]).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('ban and unban (SDK)', () => {
  it('a ban revokes every live session and refuses new ones; unban lets the user sign in again', async () => {
    const u = await freshUser();
    expect(await liveSessions(u.id)).toBeGreaterThan(0);

    const banned = await fx.clerk.users.banUser(u.id);
    expect(banned.banned).toBe(true);
    expectSchema(embeddedUser, raw(banned));
    expect(await liveSessions(u.id)).toBe(0);
    const { data: all } = await fx.clerk.sessions.getSessionList({ userId: u.id, limit: 100 });
    expect(all.filter((s) => s.status === 'active' || s.status === 'pending')).toEqual([]);
    expect((await fx.clerk.users.getUser(u.id)).banned).toBe(true);
    const list = await api<UserJson[]>('GET', `/v1/users?banned=true&user_id=${u.id}`);
    expect(list.json.map((x) => x.id)).toEqual([u.id]);

    const refused = await captureClerkError(fx.clerk.sessions.createSession({ userId: u.id }));
    expect(refused.status).toBe(403);
    expect(refused.errors[0]?.code).toBe('user_banned');
    expect(await liveSessions(u.id)).toBe(0);

    // Banning twice is not an error.
    expect((await fx.clerk.users.banUser(u.id)).banned).toBe(true);
    const unbanned = await fx.clerk.users.unbanUser(u.id);
    expect(unbanned.banned).toBe(false);
    expectSchema(embeddedUser, raw(unbanned));
    const session = await fx.clerk.sessions.createSession({ userId: u.id });
    expect(session.status).toBe('active');
  });

  it('a ban racing sign-ins leaves no live session: each sign-in lands before it (and is revoked) or is refused', async () => {
    const u = await freshUser();
    const signIns = Array.from({ length: 8 }, () =>
      fx.clerk.sessions.createSession({ userId: u.id }).then(
        (s) => s.status,
        (e: unknown) => (e as { errors?: { code: string }[] }).errors?.[0]?.code,
      ),
    );
    const [outcomes] = await Promise.all([Promise.all(signIns), fx.clerk.users.banUser(u.id)]);
    for (const o of outcomes) expect(['active', 'user_banned']).toContain(o);
    expect(await liveSessions(u.id)).toBe(0);
  });

  it('an unknown user is 404', async () => {
    const e = await captureClerkError(fx.clerk.users.banUser('user_2zzzzzzzzzzzzzzzzzzzzzzzzzz'));
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.errors[0]?.longMessage).toBe('No user was found with id user_2zzzzzzzzzzzzzzzzzzzzzzzzzz');
  });
});

describe('bulk ban and unban (HTTP: the SDK has no method for them)', () => {
  it('bans and unbans up to 50 users in one call, answering the users', async () => {
    const [a, b] = [await freshUser(), await freshUser()];
    const res = await api<UserJson[]>('POST', '/v1/users/ban', { user_ids: [a.id, b.id] });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    expectSchema(z.array(embeddedUser), res.json);
    expect(res.json.map((u) => [u.id, u.banned])).toEqual([
      [a.id, true],
      [b.id, true],
    ]);
    expect(await liveSessions(a.id)).toBe(0);
    expect(await liveSessions(b.id)).toBe(0);

    const back = await api<UserJson[]>('POST', '/v1/users/unban', { user_ids: [a.id, b.id] });
    expect(back.status).toBe(200);
    expectSchema(z.array(embeddedUser), back.json);
    expect(back.json.map((u) => u.banned)).toEqual([false, false]);
  });

  it('changes nobody when one id is unknown, and refuses 0 or 51 ids', async () => {
    const a = await freshUser();
    const missing = 'user_2zzzzzzzzzzzzzzzzzzzzzzzzzz';
    expectError(await api('POST', '/v1/users/ban', { user_ids: [a.id, missing] }), 404, 'resource_not_found');
    expect((await fx.clerk.users.getUser(a.id)).banned).toBe(false);
    expect(await liveSessions(a.id)).toBeGreaterThan(0);

    expectError(await api('POST', '/v1/users/ban', { user_ids: [] }), 422, 'form_param_value_invalid');
    const many = Array.from({ length: 51 }, () => a.id);
    expectError(await api('POST', '/v1/users/ban', { user_ids: many }), 422, 'form_param_value_invalid');
    expectError(await api('POST', '/v1/users/unban', {}), 422, 'form_param_missing');
    expectError(await api('POST', '/v1/users/ban', { user_ids: a.id }), 422, 'form_param_value_invalid');
    expectError(await api('POST', '/v1/users/ban', { user_ids: [a.id], x: 1 }), 422, 'form_param_unknown');
  });
});

describe('lock and unlock (SDK)', () => {
  it('a lock carries lockout_expires_in_seconds and refuses sign-in until unlocked', async () => {
    const u = await freshUser();
    const locked = await fx.clerk.users.lockUser(u.id);
    expect(locked.locked).toBe(true);
    expectSchema(embeddedUser, raw(locked));
    const seconds = raw(locked).lockout_expires_in_seconds;
    expect(seconds).toBeGreaterThan(3590);
    expect(seconds).toBeLessThanOrEqual(3600);

    const refused = await captureClerkError(fx.clerk.sessions.createSession({ userId: u.id }));
    expect(refused.status).toBe(403);
    expect(refused.errors[0]?.code).toBe('user_locked');

    const unlocked = await fx.clerk.users.unlockUser(u.id);
    expect(unlocked.locked).toBe(false);
    expect(raw(unlocked).lockout_expires_in_seconds).toBeNull();
    expectSchema(embeddedUser, raw(unlocked));
    expect((await fx.clerk.sessions.createSession({ userId: u.id })).status).toBe('active');
  });
});

describe('compromised passwords (SDK)', () => {
  it("puts the user's next session in pending with a reset-password task, and keeps the live ones", async () => {
    const u = await freshUser();
    const before = await liveSessions(u.id);
    const flagged = await fx.clerk.users.setPasswordCompromised(u.id);
    expectSchema(embeddedUser, raw(flagged));
    expect(raw(flagged).requires_password_reset).toBe(true);
    expect(await liveSessions(u.id)).toBe(before);

    const next = await fx.clerk.sessions.createSession({ userId: u.id });
    expect(next.status).toBe('pending');
    const wire = await api<SessionJson>('GET', `/v1/sessions/${next.id}`);
    expect(wire.json).toMatchObject({ status: 'pending', tasks: [{ key: 'reset-password' }] });

    const cleared = await fx.clerk.users.unsetPasswordCompromised(u.id);
    expect(raw(cleared).requires_password_reset).toBe(false);
    expectSchema(embeddedUser, raw(cleared));
    expect((await fx.clerk.sessions.createSession({ userId: u.id })).status).toBe('active');
  });

  it('with revoke_all_sessions every live session is revoked', async () => {
    const u = await freshUser();
    const flagged = await fx.clerk.users.setPasswordCompromised(u.id, { revokeAllSessions: true });
    expect(raw(flagged).requires_password_reset).toBe(true);
    expect(await liveSessions(u.id)).toBe(0);
  });

  it('a user without a password is 400 no_password_set; a wrongly typed flag is 422', async () => {
    const { json } = await api<UserJson[]>('GET', '/v1/users?limit=500');
    const noPassword = json.find((u) => !u.password_enabled) as UserJson;
    const e = await captureClerkError(fx.clerk.users.setPasswordCompromised(noPassword.id));
    expect(e.status).toBe(400);
    expect(e.errors[0]?.code).toBe('no_password_set');
    const u = await freshUser();
    const res = await api('POST', `/v1/users/${u.id}/password/set_compromised`, {
      revoke_all_sessions: 'yes',
    });
    expectError(res, 422, 'form_param_value_invalid');
  });
});

describe('MFA (SDK)', () => {
  it("DELETE /users/{id}/mfa turns off every second factor and answers the user's id", async () => {
    const secured = await byEmail(ACCOUNT_FIXTURES.secured);
    const res = await fx.clerk.users.disableUserMFA(secured.id);
    expect(res).toEqual({ user_id: secured.id });
    expectSchema(bapi.disableMfa, res);
    const after = raw(await fx.clerk.users.getUser(secured.id));
    expect([after.two_factor_enabled, after.totp_enabled, after.backup_code_enabled]).toEqual([
      false,
      false,
      false,
    ]);
    expect(after.mfa_disabled_at).toBeGreaterThan(Date.now() - 60_000);
    expect(after.mfa_enabled_at).toBe(secured.mfa_enabled_at);
    const e = await captureClerkError(fx.clerk.users.disableUserMFA('user_2zzzzzzzzzzzzzzzzzzzzzzzzzz'));
    expect(e.status).toBe(404);
  });
});

describe('trusted devices (HTTP: the SDK has no method for them)', () => {
  it("lists a user's active devices and revokes one", async () => {
    const secured = await byEmail(ACCOUNT_FIXTURES.secured);
    const list = await api<{ data: TrustedDeviceJson[]; total_count: number }>(
      'GET',
      `/v1/users/${secured.id}/trusted_devices`,
    );
    expect(list.status).toBe(200);
    expectSchema(bapi.trustedDeviceList, list.json);
    expect(list.json.total_count).toBe(2);
    expect(list.json.data.map((d) => d.platform).sort()).toEqual(['android', 'ios']);
    const [first] = list.json.data as [TrustedDeviceJson];

    const revoked = await api<TrustedDeviceJson>(
      'DELETE',
      `/v1/users/${secured.id}/trusted_devices/${first.id}`,
    );
    expect(revoked.status).toBe(200);
    expectSchema(bapi.trustedDevice, revoked.json);
    expect(revoked.json).toMatchObject({ id: first.id, status: 'revoked' });
    expect(revoked.json.revoked_at).toBeGreaterThan(Date.now() - 60_000);

    const again = await api<{ data: TrustedDeviceJson[]; total_count: number }>(
      'GET',
      `/v1/users/${secured.id}/trusted_devices`,
    );
    expect(again.json.data.map((d) => d.id)).not.toContain(first.id);
    expect(again.json.total_count).toBe(1);
    expectError(
      await api('DELETE', `/v1/users/${secured.id}/trusted_devices/${first.id}`),
      404,
      'resource_not_found',
    );
  });

  it("does not revoke another user's device, and 404s an unknown user", async () => {
    const secured = await byEmail(ACCOUNT_FIXTURES.secured);
    const other = await freshUser();
    const { json } = await api<{ data: TrustedDeviceJson[] }>(
      'GET',
      `/v1/users/${secured.id}/trusted_devices`,
    );
    const device = json.data[0] as TrustedDeviceJson;
    expectError(
      await api('DELETE', `/v1/users/${other.id}/trusted_devices/${device.id}`),
      404,
      'resource_not_found',
    );
    const still = await api<{ data: TrustedDeviceJson[] }>('GET', `/v1/users/${secured.id}/trusted_devices`);
    expect(still.json.data.map((d) => d.id)).toContain(device.id);
    expectError(
      await api('GET', '/v1/users/user_2zzzzzzzzzzzzzzzzzzzzzzzzzz/trusted_devices'),
      404,
      'resource_not_found',
    );
  });
});

describe('API keys (SDK)', () => {
  it("lists a user's valid keys, or all of them with includeInvalid, without secrets", async () => {
    const secured = await byEmail(ACCOUNT_FIXTURES.secured);
    const valid = await apiKeys.list({ subject: secured.id });
    expect(valid.totalCount).toBe(1);
    expect(valid.data.map((k) => [k.name, k.revoked, k.expired])).toEqual([['ci-deploy', false, false]]);
    const all = await apiKeys.list({ subject: secured.id, includeInvalid: true });
    expect(all.totalCount).toBe(3);
    expect(all.data.map((k) => [k.name, k.revoked, k.expired]).sort()).toEqual([
      ['ci-deploy', false, false],
      ['local-dev', false, true],
      ['reporting-export', true, false],
    ]);
    for (const k of all.data) expect(k.secret).toBeUndefined();
    const wire = await api('GET', `/v1/api_keys?subject=${secured.id}&include_invalid=true`);
    expectSchema(bapi.apiKeyList, wire.json);
  });

  it('creates a key (its secret shown once), reads it back without the secret, and revokes it', async () => {
    const u = await freshUser();
    const created = await apiKeys.create({
      name: 'nightly-export',
      subject: u.id,
      description: 'Exports for finance',
      scopes: ['read'],
      secondsUntilExpiration: 3600,
    });
    expect(created.secret).toMatch(/^ak_[0-9a-f]{48}$/);
    expect(created).toMatchObject({
      name: 'nightly-export',
      subject: u.id,
      revoked: false,
      scopes: ['read'],
    });
    expect(created.expiration).toBeGreaterThan(Date.now() + 3500_000);
    const wire = await api<ApiKeyJson & { secret: string }>('POST', '/v1/api_keys', {
      name: 'nightly-export-2',
      subject: u.id,
    });
    expect(wire.status).toBe(200);
    expectSchema(bapi.apiKeyCreated, wire.json);

    const read = await api<ApiKeyJson>('GET', `/v1/api_keys/${created.id}`);
    expectSchema(bapi.apiKey, read.json);
    expect(JSON.stringify(read.json)).not.toContain(created.secret as string);
    expect((await apiKeys.get(created.id)).secret).toBeUndefined();
    expect((await apiKeys.list({ subject: u.id })).data.map((k) => k.id)).toContain(created.id);

    const revoked = await apiKeys.revoke({
      apiKeyId: created.id,
      revocationReason: 'Leaked in a log',
    });
    expect(revoked).toMatchObject({ id: created.id, revoked: true, revocationReason: 'Leaked in a log' });
    expect(revoked.secret).toBeUndefined();
    const again = await api<ApiKeyJson>('POST', `/v1/api_keys/${created.id}/revoke`, {
      revocation_reason: null,
    });
    expectSchema(bapi.apiKey, again.json);
    expect(again.json.revocation_reason).toBe('Leaked in a log');
    expect((await apiKeys.list({ subject: u.id })).data.map((k) => k.id)).not.toContain(created.id);
  });

  it('answers bad input with 400 bad_request and an unknown key with 404', async () => {
    const e = await captureClerkError(apiKeys.list({ subject: 'nobody' }));
    expect(e.status).toBe(400);
    expect(e.errors[0]).toMatchObject({
      code: 'bad_request',
      longMessage: "Invalid 'query.subject': Failed regex check",
    });
    const bad = await api('POST', '/v1/api_keys/not-a-key/revoke', {});
    expect(bad.status).toBe(400);
    expectSchema(bapi.apiKeyErrors, bad.json);
    const unknown = await api('POST', `/v1/api_keys/ak_${'0'.repeat(32)}/revoke`, {});
    expect(unknown.status).toBe(404);
    expectSchema(bapi.apiKeyErrors, unknown.json);
    const noName = await api('POST', '/v1/api_keys', { subject: ordinary[0]?.id });
    expect(noName.status).toBe(400);
    expectSchema(bapi.apiKeyErrors, noName.json);
  });
});

describe('the schema checks', () => {
  it('reject an answer with a field missing, mistyped, out of its enum or pattern, or one a strict schema lacks', async () => {
    const secured = await byEmail(ACCOUNT_FIXTURES.secured);
    const { json: users } = await api<UserJson[]>('GET', '/v1/users?limit=500');
    const google = users.find((u) => u.external_accounts.length > 0) as UserJson;
    const devices = await api<{ data: TrustedDeviceJson[] }>(
      'GET',
      `/v1/users/${secured.id}/trusted_devices`,
    );
    const keys = await api<{ data: ApiKeyJson[] }>('GET', `/v1/api_keys?subject=${secured.id}`);
    const notFound = await api('POST', '/v1/users/ban', { user_ids: ['user_2zzzzzzzzzzzzzzzzzzzzzzzzzz'] });
    const [device, key] = [devices.json.data[0], keys.json.data[0]];
    type Spoil = (o: Record<string, unknown>) => unknown;
    // [schema, a real answer, where in it to spoil, how, the one error the check must report]
    const cases: [z.ZodType, unknown, (string | number)[], Spoil, RegExp][] = [
      [embeddedUser, secured, [], (u) => delete u.banned, /^banned: .*boolean/],
      [embeddedUser, secured, [], (u) => delete u.requires_password_reset, /^requires_password_reset: /],
      [embeddedUser, secured, [], (u) => (u.locked = 'no'), /^locked: .*boolean/],
      [embeddedUser, secured, [], (u) => (u.has_image = null), /^has_image: .*boolean/],
      [embeddedUser, secured, [], (u) => (u.created_at = 1.5), /^created_at: .*int/],
      [embeddedUser, secured, [], (u) => (u.password_digest = 'x'), /^\(root\): .*password_digest/],
      [embeddedUser, secured, ['email_addresses', 0], (e) => (e.note = 'x'), /^email_addresses\.0: .*note/],
      [
        embeddedUser,
        secured,
        ['email_addresses', 0, 'verification'],
        (v) => (v.status = 'pending'),
        /^email_addresses\.0\.verification: /,
      ],
      [
        embeddedUser,
        google,
        ['external_accounts', 0],
        (a) => (a.object = 'github_account'),
        /^external_accounts\.0\.object: /,
      ],
      [z.array(embeddedUser), [secured], [0], (u) => delete u.locked, /^0\.locked: /],
      [bapi.trustedDevice, device, [], (d) => (d.platform = 'windows'), /^platform: /],
      [bapi.trustedDeviceList, devices.json, [], (l) => (l.total_count = '2'), /^total_count: /],
      [bapi.apiKey, key, [], (k) => (k.secret = 'ak_leaked'), /^\(root\): .*secret/],
      [bapi.apiKey, key, [], (k) => (k.id = 'ak_xyz'), /^id: /],
      [bapi.apiKey, key, [], (k) => delete k.claims, /^claims: /],
      [bapi.apiKeyList, keys.json, [], (l) => delete l.total_count, /^total_count: /],
      [bapi.disableMfa, { user_id: secured.id }, [], (m) => (m.ok = true), /^\(root\): .*ok/],
      [
        bapi.clerkErrors,
        notFound.json,
        ['errors', 0],
        (e) => delete e.long_message,
        /^errors\.0\.long_message: /,
      ],
    ];
    for (const [schema, answer, path, spoil, expected] of cases) {
      expect(bapi.schemaErrors(schema, answer)).toEqual([]);
      const wrong: unknown = structuredClone(answer);
      spoil(
        path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], wrong) as Record<string, unknown>,
      );
      const errors = bapi.schemaErrors(schema, wrong);
      expect(errors, String(spoil)).toHaveLength(1);
      expect(errors[0], String(spoil)).toMatch(expected);
    }
  });
});

describe('authentication', () => {
  it('every new endpoint needs the secret key', async () => {
    const u = ordinary[0] as UserJson;
    for (const [method, path] of [
      ['POST', `/v1/users/${u.id}/ban`],
      ['POST', '/v1/users/ban'],
      ['POST', `/v1/users/${u.id}/lock`],
      ['POST', `/v1/users/${u.id}/password/set_compromised`],
      ['DELETE', `/v1/users/${u.id}/mfa`],
      ['GET', `/v1/users/${u.id}/trusted_devices`],
      ['GET', `/v1/api_keys?subject=${u.id}`],
      ['POST', `/v1/api_keys/ak_${'0'.repeat(32)}/revoke`],
    ] as const) {
      const res = await fetch(`${fx.url}${path}`, { method });
      expect(res.status, path).toBe(401);
    }
    expect((await fx.clerk.users.getUser(u.id)).banned).toBe(false);
  });
});
