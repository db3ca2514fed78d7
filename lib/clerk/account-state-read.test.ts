import 'server-only';
// The sessions page's user read: the header and the account panel share one request, and so does getUser.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClerkClient } from '@clerk/backend';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { startStubBapi, userJson, type StubBapi } from '@/lib/testing/stub-bapi';
import { getUser } from './users';
import { getUserWithAccountState, listApiKeys } from './account';

const SECRET = `sk_test_stub${'0'.repeat(30)}`;
const UID = 'user_2abcStubUser0001';

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
