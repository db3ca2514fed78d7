import 'server-only';
// The account-security DTOs against a scripted upstream: what a hostile or surprising answer turns into.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClerkClient } from '@clerk/backend';
import { ConsoleApiError } from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { startStubBapi, userJson, type StubBapi, type StubReply } from '@/lib/testing/stub-bapi';
import { disableMfa, getAccountState, listApiKeys, listTrustedDevices, revokeApiKey } from './account';

const SECRET = `sk_test_stub${'0'.repeat(30)}`;
const UID = 'user_2abcStubUser0001';
const KEY = `ak_${'a'.repeat(32)}`;

let stub: StubBapi;
let replies: Record<string, StubReply>;

beforeAll(async () => {
  stub = await startStubBapi((req) => replies[`${req.method} ${req.path}`] ?? { status: 404, json: {} });
});
afterAll(async () => {
  setClerkClientForTests(null);
  await stub.close();
});
beforeEach(() => {
  setClerkClientForTests(
    createClerkClient({ secretKey: SECRET, apiUrl: stub.url, telemetry: { disabled: true } }),
  );
  stub.requests.length = 0;
  replies = {};
});

const apiKey = (extra: Record<string, unknown> = {}) => ({
  object: 'api_key',
  id: KEY,
  type: 'api_key',
  subject: UID,
  name: 'ci',
  description: null,
  claims: null,
  scopes: ['read', 7],
  revoked: false,
  revocation_reason: null,
  expired: false,
  expiration: null,
  created_by: null,
  last_used_at: null,
  created_at: 1,
  updated_at: 1,
  ...extra,
});

describe('account DTOs', () => {
  it('keeps no countdown for an unlocked user and reads the flag only when it is exactly true', async () => {
    replies[`GET /v1/users/${UID}`] = {
      json: userJson({ locked: false, lockout_expires_in_seconds: 99, requires_password_reset: 'yes' }),
    };
    expect(await getAccountState(UID)).toMatchObject({
      locked: false,
      lockoutExpiresInSeconds: null,
      passwordCompromised: false,
    });
  });

  it('never puts a secret into an API key DTO, even when the upstream sends one', async () => {
    replies['GET /v1/api_keys'] = { json: { data: [apiKey({ secret: 'ak_leak' })], total_count: 1 } };
    replies[`POST /v1/api_keys/${KEY}/revoke`] = { json: apiKey({ revoked: true, secret: 'ak_leak' }) };
    const page = await listApiKeys(UID);
    expect(JSON.stringify(page)).not.toContain('ak_leak');
    expect(page.data[0]?.scopes).toEqual(['read']);
    expect(JSON.stringify(await revokeApiKey(KEY))).not.toContain('ak_leak');
    expect(stub.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`)[0]).toBe(
      `GET /v1/api_keys?subject=${UID}&limit=10`,
    );
  });

  it('shows a trusted device in a status it does not know as revoked, and drops one without an id', async () => {
    replies[`GET /v1/users/${UID}/trusted_devices`] = {
      json: {
        data: [
          { object: 'trusted_device', id: 'td_1', platform: 'symbian', status: 'suspended', created_at: 5 },
          { object: 'trusted_device', platform: 'ios', status: 'active', created_at: 5 },
        ],
        total_count: 2,
      },
    };
    expect(await listTrustedDevices(UID)).toEqual([
      expect.objectContaining({ id: 'td_1', platform: 'other', status: 'revoked' }),
    ]);
  });

  it('refuses an MFA answer about another user', async () => {
    replies[`DELETE /v1/users/${UID}/mfa`] = { json: { user_id: 'user_2someoneElse0001' } };
    const e = await disableMfa(UID).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConsoleApiError);
    expect((e as ConsoleApiError).kind).toBe('unknown');
  });
});
