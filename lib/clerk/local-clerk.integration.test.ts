import 'server-only';
// The console's Clerk layer against the embedded Clerk-compatible API, configured the way production is (loadEnv →
// createConsoleClerkClient), with faults injected through the server's /__faults control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClerkClient } from '@clerk/backend';
import { loadEnv } from '@/lib/env';
import { withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import {
  ConsoleApiError,
  CONSOLE_ERROR_MESSAGES as MESSAGES,
  createConsoleClerkClient,
  createTokenFromTemplate,
  findUsers,
  getClient,
  getSession,
  getUser,
  listSessions,
  listTemplates,
  revokeSession,
  verifyTokenAgainstJwks,
  type SessionDto,
  type UserDto,
} from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { clearJwksCacheForTests } from './jwks';

const TIMEOUT_MS = 600;
let fx: LocalClerkFixture;
let ada: UserDto;
let five: UserDto;

beforeAll(async () => {
  fx = await withLocalClerk({ faults: true });
  const port = new URL(fx.url).port;
  const env = loadEnv({
    LOCAL_CLERK_PORT: port,
    LOCAL_CLERK_SECRET_KEY: fx.secretKey,
    DATA_DIR: fx.dataDir,
    AUTH_SECRET: 'x'.repeat(40),
  });
  expect(env.clerkApiUrl).toBe(`http://127.0.0.1:${port}`);
  setClerkClientForTests(createConsoleClerkClient(env), { timeoutMs: TIMEOUT_MS });
  const page = (q: string) => findUsers(q, { limit: 10, offset: 0 });
  [ada, five] = (
    await Promise.all([page('ada.lovelace@example.com'), page('five.sessions@example.com')])
  ).map((p) => {
    expect(p.totalCount).toBe(1);
    return p.data[0]!;
  }) as [UserDto, UserDto];
});

afterAll(async () => {
  setClerkClientForTests(null);
  await fx?.close();
});

beforeEach(async () => {
  await fx.faults.clear();
  await fx.faults.clearRequests();
  clearJwksCacheForTests();
});

async function rejection(p: Promise<unknown>): Promise<ConsoleApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConsoleApiError);
    return e as ConsoleApiError;
  }
  throw new Error('expected a rejection');
}

const count = (sessions: SessionDto[]) =>
  sessions.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }), {});

describe('reading', () => {
  it('finds Ada by exact email, with plain fields only', async () => {
    expect(ada).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      displayName: 'Ada Lovelace',
      primaryEmail: 'ada.lovelace@example.com',
      primaryPhone: '+15550100001',
      banned: false,
      locked: false,
    });
    const raw = await fx.clerk.users.getUser(ada.id);
    const text = JSON.stringify(await getUser(ada.id));
    for (const value of Object.values(raw.privateMetadata)) expect(text).not.toContain(JSON.stringify(value));
    expect(text).not.toContain('idn_');
    expect(text).not.toContain('private');
  });

  it('lists all 6 of her sessions, 3 of them active, newest first', async () => {
    const all = await listSessions({ userId: ada.id, status: 'all', limit: 50, offset: 0 });
    expect(all.totalCount).toBe(6);
    expect(count(all.data)).toEqual({ active: 3, revoked: 1, ended: 1, expired: 1 });
    const createdAt = all.data.map((s) => s.createdAt);
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
    const active = await listSessions({ userId: ada.id, status: 'active', limit: 2, offset: 0 });
    expect(active.totalCount).toBe(3);
    expect(active.data).toHaveLength(2);
    expect(active.data.every((s) => s.status === 'active' && s.userId === ada.id)).toBe(true);
    const rest = await listSessions({ userId: ada.id, status: 'active', limit: 2, offset: 2 });
    expect(rest.data).toHaveLength(1);
  });

  it('answers pending without sending Clerk an unsupported status filter', async () => {
    const res = await listSessions({ userId: ada.id, status: 'pending', limit: 10, offset: 0 });
    expect(res).toEqual({ data: [], totalCount: 0 });
    const { requests } = await fx.faults.requests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => !new URLSearchParams(r.query as string).has('status'))).toBe(true);
  });

  it('reads a session, its client, and finds the user from either id', async () => {
    const [s] = (await listSessions({ userId: ada.id, status: 'active', limit: 1, offset: 0 })).data;
    const session = await getSession(s!.id);
    expect(session).toEqual(s);
    expect(session.latestActivity).not.toBeNull();
    const client = await getClient(session.clientId);
    expect(client.sessions.some((x) => x.id === session.id)).toBe(true);
    expect((await findUsers(session.id, { limit: 10, offset: 0 })).data.map((u) => u.id)).toEqual([ada.id]);
    // A client (a browser) can hold sessions of several users: the search returns each of them.
    const clientUsers = [...new Set(client.sessions.map((x) => x.userId))].sort();
    expect(clientUsers).toContain(ada.id);
    expect(
      (await findUsers(session.clientId, { limit: 10, offset: 0 })).data.map((u) => u.id).sort(),
    ).toEqual(clientUsers);
    expect((await findUsers(ada.id, { limit: 10, offset: 0 })).data.map((u) => u.id)).toEqual([ada.id]);
  });

  it('falls back from an exact email to partial search, and searches names', async () => {
    expect(
      (await findUsers('ada.lovelace@example', { limit: 10, offset: 0 })).data.map((u) => u.id),
    ).toContain(ada.id);
    expect((await findUsers('Lovelace', { limit: 10, offset: 0 })).data.map((u) => u.id)).toContain(ada.id);
    expect((await findUsers('+1 555 010 0001', { limit: 10, offset: 0 })).data.map((u) => u.id)).toEqual([
      ada.id,
    ]);
  });

  it('reports unknown ids as not found', async () => {
    expect(await rejection(getSession('sess_doesnotexist0000'))).toMatchObject({
      kind: 'not_found',
      userMessage: 'Session not found.',
    });
    expect(await rejection(getUser('user_doesnotexist0000'))).toMatchObject({
      kind: 'not_found',
      userMessage: 'User not found.',
    });
    expect(await rejection(getClient('client_doesnotexist0'))).toMatchObject({
      kind: 'not_found',
      userMessage: 'Client not found.',
    });
    const err = await rejection(getSession('sess_doesnotexist0000'));
    expect(err.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports a rejected secret key as a configuration problem', async () => {
    setClerkClientForTests(
      createClerkClient({
        secretKey: `sk_test_wrong${'0'.repeat(30)}`,
        apiUrl: fx.url,
        telemetry: { disabled: true },
      }),
      { timeoutMs: TIMEOUT_MS },
    );
    try {
      expect(await rejection(getSession('sess_abc'))).toMatchObject({
        kind: 'key_rejected',
        userMessage: MESSAGES.keyRejected,
        clerkCode: 'clerk_key_invalid',
      });
    } finally {
      setClerkClientForTests(fx.clerk, { timeoutMs: TIMEOUT_MS });
    }
  });
});

describe('revoking', () => {
  it('revokes an active session once; a second revoke says it is no longer active', async () => {
    const before = await listSessions({ userId: five.id, status: 'active', limit: 10, offset: 0 });
    const target = before.data[0]!;
    const revoked = await revokeSession(target.id);
    expect(revoked).toMatchObject({ id: target.id, status: 'revoked' });
    expect(revoked.updatedAt).toBeGreaterThan(target.updatedAt);
    const again = await rejection(revokeSession(target.id));
    expect(again).toMatchObject({
      kind: 'already_revoked',
      userMessage: MESSAGES.alreadyRevoked,
      status: 400,
    });
    expect((await listSessions({ userId: five.id, status: 'active', limit: 10, offset: 0 })).totalCount).toBe(
      before.totalCount - 1,
    );
    const posts = (await fx.faults.requests()).requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
  });
});

describe('templates and tokens', () => {
  it('lists the seeded templates', async () => {
    const names = (await listTemplates()).map((t) => t.name).sort();
    expect(names).toEqual(['analytics', 'hasura', 'long-lived', 'support-debug']);
  });

  it('mints a template token that verifies against the instance keys, with the requested lifetime', async () => {
    const [session] = (await listSessions({ userId: ada.id, status: 'active', limit: 1, offset: 0 })).data;
    const { jwt } = await createTokenFromTemplate(session!.id, 'support-debug', 120);
    const v = await verifyTokenAgainstJwks(jwt);
    expect(v.error).toBeNull();
    expect(v.valid).toBe(true);
    expect(v.header).toMatchObject({ alg: 'RS256' });
    expect(v.claims).toMatchObject({ sub: ada.id, email: 'ada.lovelace@example.com', name: 'Ada Lovelace' });
    expect((v.claims.exp as number) - (v.claims.iat as number)).toBe(120);
  });

  it('refuses a template the instance does not have, without asking for a token', async () => {
    const [session] = (await listSessions({ userId: ada.id, status: 'active', limit: 1, offset: 0 })).data;
    await fx.faults.clearRequests();
    expect(await rejection(createTokenFromTemplate(session!.id, 'no-such-template'))).toMatchObject({
      kind: 'invalid_input',
      userMessage: MESSAGES.unknownTemplate,
    });
    const { requests } = await fx.faults.requests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/jwt_templates']);
  });

  it('refuses a token for a session that is not active', async () => {
    const all = await listSessions({ userId: ada.id, status: 'revoked', limit: 1, offset: 0 });
    expect(await rejection(createTokenFromTemplate(all.data[0]!.id, 'hasura'))).toMatchObject({
      kind: 'not_found',
      userMessage: MESSAGES.tokenSessionInactive,
    });
  });
});

describe('bad input never reaches the API', () => {
  it('makes no request at all for malformed ids, names, lifetimes or searches', async () => {
    const attempts: Promise<unknown>[] = [
      getSession('sess_../../v1/users'),
      getSession('sess_abc%2F..%2Fjwks'),
      getSession(`sess_${'a'.repeat(10_000)}`),
      revokeSession('sess_abc/revoke'),
      revokeSession('sess_abc?x=1'),
      revokeSession('sess_ａｂｃ'),
      getUser('user_abc#x'),
      getClient('client_a b'),
      listSessions({ userId: 'user_../x', status: 'active', limit: 10, offset: 0 }),
      listSessions({ userId: ada.id, status: 'active', limit: 10_000, offset: 0 }),
      createTokenFromTemplate('sess_abc', '../../jwks'),
      createTokenFromTemplate('sess_abc', 'hasura', 10),
      findUsers('\u0000', { limit: 10, offset: 0 }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt)).kind).toBe('invalid_input');
    expect((await fx.faults.requests()).count).toBe(0);
  });
});

describe('faults', () => {
  it('retries a list once after a 429 with Retry-After: 1', async () => {
    await fx.faults.set([{ path: '^/v1/sessions$', status: 429, retryAfter: 1, times: 1 }]);
    const started = Date.now();
    const res = await listSessions({ userId: ada.id, status: 'all', limit: 10, offset: 0 });
    expect(res.totalCount).toBe(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await fx.faults.requests()).count).toBe(2);
  });

  it('fails fast when Clerk asks for a long wait', async () => {
    await fx.faults.set([{ path: '^/v1/sessions$', status: 429, retryAfter: 60 }]);
    const err = await rejection(listSessions({ userId: ada.id, status: 'all', limit: 10, offset: 0 }));
    expect(err).toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 60,
      userMessage: 'Clerk is rate-limiting requests. Retry in 60 s.',
    });
    expect((await fx.faults.requests()).count).toBe(1);
  });

  it('maps a 500 with an HTML body to unavailable without passing the page on', async () => {
    await fx.faults.set([
      {
        path: '^/v1/sessions$',
        status: 500,
        contentType: 'text/html',
        body: '<html><h1>Upstream CANARY exploded</h1></html>',
      },
    ]);
    const err = await rejection(listSessions({ userId: ada.id, status: 'all', limit: 10, offset: 0 }));
    expect(err).toMatchObject({ kind: 'unavailable', userMessage: MESSAGES.unavailable, status: 500 });
    expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/CANARY|<h1>/);
    expect((await fx.faults.requests()).count).toBe(1);
  });

  it('times a slow read out as unavailable', async () => {
    await fx.faults.set([{ path: '^/v1/sessions/', latencyMs: TIMEOUT_MS + 700 }]);
    const started = Date.now();
    const err = await rejection(getSession('sess_slow0000000000'));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 400);
    expect(err).toMatchObject({ kind: 'unavailable', userMessage: MESSAGES.timedOut, outcomeUnknown: false });
  });

  it('times a slow revoke out as an unknown outcome', async () => {
    const [target] = (await listSessions({ userId: five.id, status: 'active', limit: 1, offset: 0 })).data;
    await fx.faults.set([{ method: 'POST', path: '/revoke$', latencyMs: TIMEOUT_MS + 700 }]);
    const err = await rejection(revokeSession(target!.id));
    expect(err).toMatchObject({
      kind: 'unavailable',
      outcomeUnknown: true,
      userMessage: MESSAGES.outcomeUnknown,
    });
    expect((await fx.faults.requests()).requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('retries a read after a reset connection, and gives up after the second', async () => {
    await fx.faults.set([{ path: '^/v1/users/', reset: true, times: 1 }]);
    expect((await getUser(ada.id)).id).toBe(ada.id);
    expect((await fx.faults.requests()).count).toBe(2);
    await fx.faults.clearRequests();
    await fx.faults.set([{ path: '^/v1/users/', reset: true }]);
    expect(await rejection(getUser(ada.id))).toMatchObject({ kind: 'unavailable', outcomeUnknown: false });
    expect((await fx.faults.requests()).count).toBe(2);
  });

  it('never retries a revoke whose connection was reset', async () => {
    const [target] = (await listSessions({ userId: five.id, status: 'active', limit: 1, offset: 0 })).data;
    await fx.faults.clearRequests();
    await fx.faults.set([{ method: 'POST', path: '/revoke$', reset: true }]);
    expect(await rejection(revokeSession(target!.id))).toMatchObject({
      kind: 'unavailable',
      outcomeUnknown: true,
    });
    expect((await fx.faults.requests()).count).toBe(1);
  });
});
