import 'server-only';
// The sessions page's user read: the header and the account panel share one request, and so does getUser; the
// panel's key and device counts are reused the same way until this console revokes one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClerkClient } from '@clerk/backend';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { startStubBapi, userJson, type StubBapi } from '@/lib/testing/stub-bapi';
import { getUser } from './users';
import {
  countActiveApiKeys,
  getUserWithAccountState,
  listApiKeys,
  listTrustedDevices,
  readTrustedDevices,
  revokeApiKey,
  revokeTrustedDevice,
} from './account';

const SECRET = `sk_test_stub${'0'.repeat(30)}`;
const UID = 'user_2abcStubUser0001';
const KEY = `ak_${'a'.repeat(32)}`;
const DEVICE = { object: 'trusted_device', id: 'td_1', platform: 'ios', status: 'active', created_at: 1 };

let stub: StubBapi;

beforeAll(async () => {
  stub = await startStubBapi((req) =>
    req.path === `/v1/users/${UID}`
      ? {
          json: userJson({
            banned: true,
            locked: true,
            lockout_expires_in_seconds: 600,
            requires_password_reset: true,
            two_factor_enabled: true,
          }),
        }
      : req.path === '/v1/api_keys'
        ? { json: { data: [], total_count: 3 } }
        : req.path === `/v1/api_keys/${KEY}/revoke`
          ? { json: { object: 'api_key', id: KEY, subject: UID, revoked: true } }
          : req.path === `/v1/users/${UID}/trusted_devices`
            ? { json: { data: [DEVICE], total_count: 1 } }
            : req.path === `/v1/users/${UID}/trusted_devices/td_1`
              ? { json: { ...DEVICE, status: 'revoked' } }
              : { status: 404, json: {} },
  );
});
afterAll(async () => {
  setClerkClientForTests(null);
  await stub.close();
});
beforeEach(() => {
  setClerkClientForTests(
    createClerkClient({ secretKey: SECRET, apiUrl: stub.url, telemetry: { disabled: true } }),
    { readCacheMs: 5_000 },
  );
  stub.requests.length = 0;
});

describe('getUserWithAccountState', () => {
  it('reads the user once for the header, the account state and a later getUser', async () => {
    const { user, state } = await getUserWithAccountState(UID);
    expect(user).toMatchObject({ id: UID, banned: true, locked: true });
    expect(state).toMatchObject({
      banned: true,
      locked: true,
      lockoutExpiresInSeconds: 600,
      passwordCompromised: true,
      twoFactorEnabled: true,
    });
    expect(await getUser(UID)).toEqual(user);
    expect(stub.requests.filter((r) => r.path === `/v1/users/${UID}`)).toHaveLength(1);
  });

  it('asks for one API key row when only the total is needed', async () => {
    expect((await listApiKeys(UID, { limit: 1 })).totalCount).toBe(3);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.query.get('limit')).toBe('1');
    expect(stub.requests[0]!.query.get('subject')).toBe(UID);
  });
});

describe("the account panel's counts", () => {
  const asked = (path: string) => stub.requests.filter((r) => r.method === 'GET' && r.path === path).length;

  it('are read once for a second look, and again after this console revokes a key or a device', async () => {
    expect(await countActiveApiKeys(UID)).toBe(3);
    expect(await countActiveApiKeys(UID)).toBe(3);
    expect((await readTrustedDevices(UID)).map((d) => d.id)).toEqual(['td_1']);
    await readTrustedDevices(UID);
    expect(asked('/v1/api_keys')).toBe(1);
    expect(asked(`/v1/users/${UID}/trusted_devices`)).toBe(1);

    await revokeApiKey(KEY, 'taken over');
    await countActiveApiKeys(UID);
    expect(asked('/v1/api_keys')).toBe(2);
    await revokeTrustedDevice(UID, 'td_1');
    await readTrustedDevices(UID);
    expect(asked(`/v1/users/${UID}/trusted_devices`)).toBe(2);
  });

  it('never stand in for the lists a job acts on', async () => {
    await countActiveApiKeys(UID);
    await readTrustedDevices(UID);
    await listApiKeys(UID);
    await listTrustedDevices(UID);
    expect(asked('/v1/api_keys')).toBe(2);
    expect(asked(`/v1/users/${UID}/trusted_devices`)).toBe(2);
  });
});
