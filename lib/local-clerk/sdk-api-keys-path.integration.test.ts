// The official client, pointed at the embedded API the way the console points it (apiUrl = the origin), sends
// apiKeys.* to `/api_keys` without the version segment: the embedded API answers those as it answers /v1/api_keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureClerkError, withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import { ACCOUNT_FIXTURES } from './seed-account';
import type { UserJson } from './types';

let fx: LocalClerkFixture;
let secured: UserJson;

async function get<T>(path: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${fx.url}${path}`, { headers: { Authorization: `Bearer ${fx.secretKey}` } });
  return { status: res.status, json: (await res.json()) as T };
}

beforeAll(async () => {
  fx = await withLocalClerk({ faults: true });
  const users = await get<UserJson[]>(
    `/v1/users?email_address=${encodeURIComponent(ACCOUNT_FIXTURES.secured)}`,
  );
  secured = users.json[0]!;
});

afterAll(async () => {
  await fx?.close();
});

describe('apiKeys.* through the official client at the bare /api_keys path', () => {
  it('lists, creates, reads and revokes a key, each request logged under /v1/api_keys', async () => {
    await fx.faults.clearRequests();
    const before = await fx.clerk.apiKeys.list({ subject: secured.id });
    expect(before.totalCount).toBe(1);
    const created = await fx.clerk.apiKeys.create({ name: 'ci deploy', subject: secured.id });
    expect(created.subject).toBe(secured.id);
    expect((await fx.clerk.apiKeys.get(created.id)).name).toBe('ci deploy');
    const revoked = await fx.clerk.apiKeys.revoke({ apiKeyId: created.id, revocationReason: 'taken over' });
    expect(revoked.revoked).toBe(true);
    expect(revoked.revocationReason).toBe('taken over');
    expect((await fx.clerk.apiKeys.list({ subject: secured.id })).totalCount).toBe(1);
    const { requests } = await fx.faults.requests();
    expect(requests.map((r) => `${r.method} ${r.path.replace(created.id, 'ak_…')}`)).toEqual([
      'GET /v1/api_keys',
      'POST /v1/api_keys',
      'GET /v1/api_keys/ak_…',
      'POST /v1/api_keys/ak_…/revoke',
      'GET /v1/api_keys',
    ]);
  });

  it('answers Clerk errors there too, and fault rules on /v1/api_keys apply to the bare path', async () => {
    const missing = await captureClerkError(fx.clerk.apiKeys.get(`ak_${'0'.repeat(32)}`));
    expect(missing.status).toBe(404);
    await fx.faults.set([{ method: 'GET', path: '^/v1/api_keys$', status: 402, times: 1 }]);
    const refused = await captureClerkError(fx.clerk.apiKeys.list({ subject: secured.id }));
    expect(refused.status).toBe(402);
    expect(refused.clerkTraceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('maps only that one path: other unversioned paths stay unknown', async () => {
    for (const path of ['/users', '/api_keysx', '/v2/api_keys', '/x/api_keys']) {
      expect((await get(path)).status).toBe(404);
    }
  });
});
