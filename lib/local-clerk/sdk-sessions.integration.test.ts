// The embedded Backend API driven by the official @clerk/backend client: every session method the console uses,
// checked field by field against shared/reference/clerk-bapi-contract.md (not against the server's code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken, type Session, type User } from '@clerk/backend';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { captureClerkError, withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

const ISSUER = 'https://sessions-suite.clerk.accounts.test';
const SESSION_ID = /^sess_[A-Za-z0-9]{27}$/;
const CLIENT_ID = /^client_[A-Za-z0-9]{27}$/;
const USER_ID = /^user_[A-Za-z0-9]{27}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const FILTER_STATUSES = [
  'active',
  'revoked',
  'ended',
  'expired',
  'removed',
  'abandoned',
  'replaced',
] as const;
const ALL_STATUSES = [...FILTER_STATUSES, 'pending'];
// Exactly the fields Session.fromJSON sets: proves the body went through the SDK's deserializer (a missing `object`
// or a charset on the content type would hand back raw snake_case JSON or a string instead).
const SESSION_FIELDS = [
  'id',
  'clientId',
  'userId',
  'status',
  'lastActiveAt',
  'expireAt',
  'abandonAt',
  'createdAt',
  'updatedAt',
  'lastActiveOrganizationId',
  'latestActivity',
  'actor',
].sort();
const ACTIVITY_FIELDS = [
  'id',
  'isMobile',
  'ipAddress',
  'city',
  'country',
  'browserVersion',
  'browserName',
  'deviceType',
].sort();
const SESSION_CATEGORY = 'cl_B7d4PD111AAA';
const TEMPLATE_CATEGORY = 'cl_B7d4PD222AAA';

let fx: LocalClerkFixture;
let ada: User;
let adaSessions: Session[];
/** An ordinary seeded user (no `role`, not banned): the target of every test that creates or revokes sessions. */
let plain: User;

async function userByEmail(email: string): Promise<User> {
  const { data, totalCount } = await fx.clerk.users.getUserList({ emailAddress: [email] });
  expect(totalCount).toBe(1);
  expect(data).toHaveLength(1);
  return data[0]!;
}

function isMs(n: unknown): boolean {
  // Milliseconds since the epoch: a seconds value (≈1.7e9) or an ISO string would fail this.
  return typeof n === 'number' && Number.isInteger(n) && n > 1e12 && n < 1e14;
}

function expectSession(
  s: Session,
  expected: Partial<Pick<Session, 'userId' | 'clientId' | 'status'>> = {},
): void {
  expect(Object.getPrototypeOf(s)).not.toBe(Object.prototype);
  expect(Object.keys(s).sort()).toEqual(SESSION_FIELDS);
  expect(s.id).toMatch(SESSION_ID);
  expect(s.clientId).toMatch(CLIENT_ID);
  expect(s.userId).toMatch(USER_ID);
  expect(ALL_STATUSES).toContain(s.status);
  for (const t of [s.lastActiveAt, s.expireAt, s.abandonAt, s.createdAt, s.updatedAt])
    expect(isMs(t)).toBe(true);
  expect(s.updatedAt).toBeGreaterThanOrEqual(s.createdAt);
  expect(s.lastActiveAt).toBeGreaterThanOrEqual(s.createdAt);
  expect(s.abandonAt).toBeGreaterThanOrEqual(s.expireAt);
  if (s.lastActiveOrganizationId !== null && s.lastActiveOrganizationId !== undefined) {
    expect(s.lastActiveOrganizationId).toMatch(/^org_[A-Za-z0-9]+$/);
  }
  if (s.latestActivity) {
    const a = s.latestActivity;
    expect(Object.getPrototypeOf(a)).not.toBe(Object.prototype);
    expect(Object.keys(a).sort()).toEqual(ACTIVITY_FIELDS);
    expect(a.id).toMatch(/^sess_activity_[A-Za-z0-9]{27}$/);
    expect(typeof a.isMobile).toBe('boolean');
    for (const v of [a.ipAddress, a.city, a.country, a.browserName, a.browserVersion, a.deviceType]) {
      expect(['string', 'undefined']).toContain(typeof v);
    }
  }
  if (s.actor !== null) {
    expect(s.actor).toBeTypeOf('object');
    expect((s.actor as { sub?: unknown }).sub).toMatch(USER_ID);
  }
  if (expected.userId !== undefined) expect(s.userId).toBe(expected.userId);
  if (expected.clientId !== undefined) expect(s.clientId).toBe(expected.clientId);
  if (expected.status !== undefined) expect(s.status).toBe(expected.status);
}

function expectNewestFirst(list: Session[]): void {
  for (let i = 1; i < list.length; i++) {
    expect(list[i - 1]!.createdAt).toBeGreaterThanOrEqual(list[i]!.createdAt);
  }
}

function countByStatus(list: Session[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of list) out[s.status] = (out[s.status] ?? 0) + 1;
  return out;
}

function adaSession(status: Session['status']): Session {
  const s = adaSessions.find((x) => x.status === status);
  if (!s) throw new Error(`Ada has no ${status} session`);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fx = await withLocalClerk({ issuer: ISSUER });
  ada = await userByEmail('ada.lovelace@example.com');
  adaSessions = (await fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 100 })).data;
  const { data: users } = await fx.clerk.users.getUserList({ limit: 100 });
  const candidate = users.find(
    (u) =>
      !u.banned &&
      !u.locked &&
      u.publicMetadata.role === undefined &&
      !u.emailAddresses.some((e) => /^(ada\.|five\.|heavy\.|hostile\.)/.test(e.emailAddress)),
  );
  if (!candidate) throw new Error('no ordinary user without a role among the first 100 seeded users');
  plain = candidate;
});

afterAll(async () => {
  await fx?.close();
});

describe('sessions.getSessionList', () => {
  it("returns Ada's six sessions newest first, as SDK Session instances with camelCase fields", async () => {
    const { data, totalCount } = await fx.clerk.sessions.getSessionList({ userId: ada.id });
    expect(totalCount).toBe(6);
    expect(data).toHaveLength(6);
    for (const s of data) expectSession(s, { userId: ada.id });
    expectNewestFirst(data);
    expect(countByStatus(data)).toEqual({ active: 3, revoked: 1, ended: 1, expired: 1 });
    expect(new Set(data.map((s) => s.id)).size).toBe(6);

    const active = data.filter((s) => s.status === 'active');
    const perClient = new Map<string, number>();
    for (const s of active) perClient.set(s.clientId, (perClient.get(s.clientId) ?? 0) + 1);
    expect([...perClient.values()].sort()).toEqual([1, 2]);

    const now = Date.now();
    for (const s of active) expect(s.expireAt).toBeGreaterThan(now);
    expect(adaSession('expired').expireAt).toBeLessThanOrEqual(now);
  });

  it('filters by each of the seven filterable statuses', async () => {
    const expected = { active: 3, revoked: 1, ended: 1, expired: 1, removed: 0, abandoned: 0, replaced: 0 };
    for (const status of FILTER_STATUSES) {
      const { data, totalCount } = await fx.clerk.sessions.getSessionList({ userId: ada.id, status });
      expect(totalCount, status).toBe(expected[status]);
      expect(data, status).toHaveLength(expected[status]);
      for (const s of data) expectSession(s, { userId: ada.id, status });
    }
  });

  it('pages with limit and offset over a stable newest-first order, totalCount unaffected by paging', async () => {
    const all = (await fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 500 })).data.map(
      (s) => s.id,
    );
    const ids: string[] = [];
    for (const offset of [0, 2, 4]) {
      const page = await fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 2, offset });
      expect(page.totalCount).toBe(6);
      expect(page.data).toHaveLength(2);
      ids.push(...page.data.map((s) => s.id));
    }
    expect(ids).toEqual(all);

    const tail = await fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 4, offset: 4 });
    expect(tail.data.map((s) => s.id)).toEqual(all.slice(4));
    const past = await fx.clerk.sessions.getSessionList({ userId: ada.id, offset: 6 });
    expect(past).toEqual({ data: [], totalCount: 6 });

    const activePage = await fx.clerk.sessions.getSessionList({
      userId: ada.id,
      status: 'active',
      limit: 1,
      offset: 1,
    });
    expect(activePage.totalCount).toBe(3);
    expect(activePage.data.map((s) => s.id)).toEqual(
      adaSessions
        .filter((s) => s.status === 'active')
        .slice(1, 2)
        .map((s) => s.id),
    );
  });

  it('filters by client, alone and combined with user and status', async () => {
    const active = adaSessions.filter((s) => s.status === 'active');
    const sharedClient = active.find(
      (s) => active.filter((o) => o.clientId === s.clientId).length === 2,
    )!.clientId;

    const byClient = await fx.clerk.sessions.getSessionList({ clientId: sharedClient, limit: 500 });
    expect(byClient.totalCount).toBe(byClient.data.length);
    for (const s of byClient.data) expectSession(s, { clientId: sharedClient });
    expectNewestFirst(byClient.data);
    const adaOnClient = adaSessions.filter((s) => s.clientId === sharedClient).map((s) => s.id);
    expect(byClient.data.map((s) => s.id)).toEqual(expect.arrayContaining(adaOnClient));

    const both = await fx.clerk.sessions.getSessionList({
      clientId: sharedClient,
      userId: ada.id,
      status: 'active',
    });
    expect(both.totalCount).toBe(2);
    expect(both.data.map((s) => s.id).sort()).toEqual(
      active
        .filter((s) => s.clientId === sharedClient)
        .map((s) => s.id)
        .sort(),
    );

    const otherUser = await fx.clerk.sessions.getSessionList({ clientId: sharedClient, userId: plain.id });
    expect(otherUser.data.every((s) => s.userId === plain.id && s.clientId === sharedClient)).toBe(true);
    expect(otherUser.totalCount).toBe(otherUser.data.length);
  });

  it('pages through the 5,000 sessions of the heavy user at the 500 cap; limit defaults to 10', async () => {
    const heavy = await userByEmail('heavy.user@example.com');
    const first = await fx.clerk.sessions.getSessionList({ userId: heavy.id, limit: 500 });
    expect(first.totalCount).toBe(5000);
    expect(first.data).toHaveLength(500);
    expectNewestFirst(first.data);
    for (const s of first.data.slice(0, 20)) expectSession(s, { userId: heavy.id });

    const second = await fx.clerk.sessions.getSessionList({ userId: heavy.id, limit: 500, offset: 500 });
    expect(second.data).toHaveLength(500);
    const firstIds = new Set(first.data.map((s) => s.id));
    expect(second.data.some((s) => firstIds.has(s.id))).toBe(false);
    expect(first.data.at(-1)!.createdAt).toBeGreaterThanOrEqual(second.data[0]!.createdAt);

    const last = await fx.clerk.sessions.getSessionList({ userId: heavy.id, limit: 500, offset: 4900 });
    expect(last.data).toHaveLength(100);
    expect(last.totalCount).toBe(5000);

    const active = await fx.clerk.sessions.getSessionList({ userId: heavy.id, status: 'active', limit: 500 });
    expect(active.totalCount).toBeGreaterThanOrEqual(1000);
    expect(active.data.every((s) => s.status === 'active')).toBe(true);

    // The SDK drops falsy query values, so limit 0 means "server default", which Clerk documents as 10.
    const defaulted = await fx.clerk.sessions.getSessionList({ userId: heavy.id, limit: 0 });
    expect(defaulted.data).toHaveLength(10);
    expect(defaulted.data.map((s) => s.id)).toEqual(first.data.slice(0, 10).map((s) => s.id));
  });

  it('lists the five active sessions of five.sessions@example.com', async () => {
    const five = await userByEmail('five.sessions@example.com');
    const { data, totalCount } = await fx.clerk.sessions.getSessionList({ userId: five.id });
    expect(totalCount).toBe(5);
    expect(data).toHaveLength(5);
    for (const s of data) expectSession(s, { userId: five.id, status: 'active' });
  });

  it('carries impersonation actors and active organizations through to the Session objects', async () => {
    const { data: users } = await fx.clerk.users.getUserList({ limit: 500 });
    let withActor: Session | undefined;
    let withOrg: Session | undefined;
    for (let i = 0; i < users.length && !(withActor && withOrg); i += 10) {
      const lists = await Promise.all(
        users.slice(i, i + 10).map((u) => fx.clerk.sessions.getSessionList({ userId: u.id, limit: 500 })),
      );
      for (const s of lists.flatMap((l) => l.data)) {
        withActor ??= s.actor ? s : undefined;
        withOrg ??= s.lastActiveOrganizationId ? s : undefined;
      }
    }
    expect(withActor, 'no seeded session has an actor').toBeDefined();
    expect(withOrg, 'no seeded session has an organization').toBeDefined();
    expectSession(withActor!);
    expectSession(withOrg!);
    expect(withActor!.actor!.sub).not.toBe(withActor!.userId);
    expect(withOrg!.lastActiveOrganizationId).toMatch(/^org_[A-Za-z0-9]{27}$/);
    expect(await fx.clerk.sessions.getSession(withActor!.id)).toStrictEqual(withActor);
  });
});

describe('sessions.getSession', () => {
  it('returns the same Session the list returned, for every status', async () => {
    for (const listed of adaSessions) {
      const s = await fx.clerk.sessions.getSession(listed.id);
      expectSession(s, { userId: ada.id });
      expect(s).toStrictEqual(listed);
    }
  });

  it('answers 404 resource_not_found for an unknown or malformed id', async () => {
    const unknown = `sess_${'Z'.repeat(27)}`;
    const e = await captureClerkError(fx.clerk.sessions.getSession(unknown));
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.errors[0]?.message).toBe('Session not found');
    expect(e.errors[0]?.longMessage).toBe(`No session was found with id ${unknown}`);
    expect(e.clerkTraceId).toMatch(TRACE_ID);

    for (const bad of ['not-a-session', 'sess_', `user_${'a'.repeat(27)}`, "sess_a'b", 'sess_%2e%2e']) {
      const err = await captureClerkError(fx.clerk.sessions.getSession(bad));
      expect(err.status, bad).toBe(404);
      expect(err.errors[0]?.code, bad).toBe('resource_not_found');
      expect(err.clerkTraceId).toMatch(TRACE_ID);
    }
  });
});

describe('sessions.createSession', () => {
  it('creates an active session on a new client for the user', async () => {
    const before = await fx.clerk.sessions.getSessionList({ userId: plain.id, limit: 500 });
    const t0 = Date.now();
    const s = await fx.clerk.sessions.createSession({ userId: plain.id });
    const t1 = Date.now();

    expectSession(s, { userId: plain.id, status: 'active' });
    expect(s.createdAt).toBeGreaterThanOrEqual(t0 - 1000);
    expect(s.createdAt).toBeLessThanOrEqual(t1 + 1000);
    expect(s.expireAt).toBeGreaterThan(t1);
    expect(s.actor).toBeNull();
    expect(before.data.some((o) => o.id === s.id || o.clientId === s.clientId)).toBe(false);

    const after = await fx.clerk.sessions.getSessionList({ userId: plain.id, limit: 500 });
    expect(after.totalCount).toBe(before.totalCount + 1);
    expect(after.data[0]).toStrictEqual(s);
    expect(await fx.clerk.sessions.getSession(s.id)).toStrictEqual(s);

    const client = await fx.clerk.clients.getClient(s.clientId);
    expect(client.sessionIds).toEqual([s.id]);
  });

  it('answers 404 for an unknown user', async () => {
    const e = await captureClerkError(fx.clerk.sessions.createSession({ userId: `user_${'Q'.repeat(27)}` }));
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.clerkTraceId).toMatch(TRACE_ID);
  });
});

describe('sessions.revokeSession', () => {
  it('revokes an active session, bumps updatedAt, and refuses a second revoke with 400', async () => {
    const created = await fx.clerk.sessions.createSession({ userId: plain.id });
    await sleep(5);
    const revoked = await fx.clerk.sessions.revokeSession(created.id);

    expectSession(revoked, { userId: plain.id, clientId: created.clientId, status: 'revoked' });
    expect(revoked.id).toBe(created.id);
    expect(revoked.createdAt).toBe(created.createdAt);
    expect(revoked.updatedAt).toBeGreaterThan(created.updatedAt);
    expect(await fx.clerk.sessions.getSession(created.id)).toStrictEqual(revoked);

    const activeIds = (
      await fx.clerk.sessions.getSessionList({ userId: plain.id, status: 'active', limit: 500 })
    ).data;
    expect(activeIds.some((s) => s.id === created.id)).toBe(false);
    const revokedIds = (
      await fx.clerk.sessions.getSessionList({ userId: plain.id, status: 'revoked', limit: 500 })
    ).data;
    expect(revokedIds.some((s) => s.id === created.id)).toBe(true);

    const again = await captureClerkError(fx.clerk.sessions.revokeSession(created.id));
    expect(again.status).toBe(400);
    expect(again.errors[0]?.code).toBe('invalid_action_for_session');
    expect(again.errors[0]?.longMessage).toContain(created.id);
    expect(again.clerkTraceId).toMatch(TRACE_ID);
    expect((await fx.clerk.sessions.getSession(created.id)).updatedAt).toBe(revoked.updatedAt);
  });

  it('refuses to revoke ended, expired and already revoked seed sessions and leaves them untouched', async () => {
    for (const status of ['ended', 'expired', 'revoked'] as const) {
      const target = adaSession(status);
      const e = await captureClerkError(fx.clerk.sessions.revokeSession(target.id));
      expect(e.status, status).toBe(400);
      expect(e.errors[0]?.code, status).toBe('invalid_action_for_session');
      expect(e.clerkTraceId).toMatch(TRACE_ID);
      expect(await fx.clerk.sessions.getSession(target.id)).toStrictEqual(target);
    }
  });

  it('lets exactly one of several concurrent revokes of one session succeed', async () => {
    const created = await fx.clerk.sessions.createSession({ userId: plain.id });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => fx.clerk.sessions.revokeSession(created.id)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    for (const f of failed) {
      expect((f.reason as { status?: number }).status).toBe(400);
      expect((f.reason as { errors: { code: string }[] }).errors[0]?.code).toBe('invalid_action_for_session');
    }
    expect((await fx.clerk.sessions.getSession(created.id)).status).toBe('revoked');
  });

  it('answers 404 for an unknown session', async () => {
    const e = await captureClerkError(fx.clerk.sessions.revokeSession(`sess_${'N'.repeat(27)}`));
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.clerkTraceId).toMatch(TRACE_ID);
  });
});

describe('clients.getClient', () => {
  it("returns Ada's multi-session client with its sessions as Session instances", async () => {
    const active = adaSessions.filter((s) => s.status === 'active');
    const shared = active.find((s) => active.filter((o) => o.clientId === s.clientId).length === 2)!;
    const client = await fx.clerk.clients.getClient(shared.clientId);

    expect(Object.getPrototypeOf(client)).not.toBe(Object.prototype);
    expect(client.id).toBe(shared.clientId);
    expect(isMs(client.createdAt)).toBe(true);
    expect(isMs(client.updatedAt)).toBe(true);
    expect(client.sessions.map((s) => s.id)).toEqual(client.sessionIds);
    for (const s of client.sessions) {
      expectSession(s, { clientId: client.id });
      expect(s).toStrictEqual(await fx.clerk.sessions.getSession(s.id));
    }
    const adaOnClient = active.filter((s) => s.clientId === client.id).map((s) => s.id);
    expect(client.sessionIds).toEqual(expect.arrayContaining(adaOnClient));
    if (client.lastActiveSessionId !== null) expect(client.sessionIds).toContain(client.lastActiveSessionId);
    // Required-but-nullable on the wire: an omitted field would surface as undefined.
    for (const v of [client.signInId, client.signUpId, client.lastActiveSessionId]) {
      expect(v === null || typeof v === 'string').toBe(true);
    }
  });

  it('answers 404 for an unknown client', async () => {
    const unknown = `client_${'C'.repeat(27)}`;
    const e = await captureClerkError(fx.clerk.clients.getClient(unknown));
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.errors[0]?.message).toBe('Client not found');
    expect(e.errors[0]?.longMessage).toBe(`No client was found with id ${unknown}`);
    expect(e.clerkTraceId).toMatch(TRACE_ID);
  });
});

describe('sessions.getToken', () => {
  async function jwks(): Promise<JSONWebKeySet> {
    return (await fx.clerk.jwks.getJwks()) as unknown as JSONWebKeySet;
  }

  async function expectVerifies(jwt: string): Promise<void> {
    const viaSdk = await verifyToken(jwt, { secretKey: fx.secretKey, apiUrl: fx.url });
    expect(viaSdk.sub).toBe(decodeJwt(jwt).sub);
    // A second, independent verifier against the same published keys.
    await expect(
      jwtVerify(jwt, createLocalJWKSet(await jwks()), { algorithms: ['RS256'] }),
    ).resolves.toBeTruthy();
  }

  it('mints a session token: RS256, instance kid, session category, sid and v:2, verifiable via JWKS', async () => {
    const s = adaSession('active');
    const t0 = Math.floor(Date.now() / 1000);
    const token = await fx.clerk.sessions.getToken(s.id);
    expect(Object.keys(token)).toEqual(['jwt']);

    const header = decodeProtectedHeader(token.jwt);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toMatch(/^ins_[A-Za-z0-9]+$/);
    expect(header.cat).toBe(SESSION_CATEGORY);
    const keys = (await jwks()).keys;
    expect(keys.map((k) => k.kid)).toContain(header.kid);

    const p = decodeJwt(token.jwt);
    expect(p.sub).toBe(ada.id);
    expect(p.sid).toBe(s.id);
    expect(p.v).toBe(2);
    expect(p.iss).toBe(ISSUER);
    expect(typeof p.jti).toBe('string');
    expect(p.jti!.length).toBeGreaterThan(0);
    expect(Math.abs(p.iat! - t0)).toBeLessThanOrEqual(5);
    expect(p.nbf).toBeLessThanOrEqual(p.iat!);
    expect(p.exp).toBeGreaterThan(p.iat!);
    const allowed = [
      'azp',
      'exp',
      'fva',
      'iat',
      'iss',
      'jti',
      'nbf',
      'sid',
      'sub',
      'v',
      'pla',
      'fea',
      'sts',
      'o',
      'act',
    ];
    expect(Object.keys(p).filter((k) => !allowed.includes(k))).toEqual([]);
    await expectVerifies(token.jwt);

    const other = await fx.clerk.sessions.getToken(s.id);
    expect(decodeJwt(other.jwt).jti).not.toBe(p.jti);
  });

  it("carries the session's active organization as the `o` claim only when it has one", async () => {
    const active = adaSessions.filter((s) => s.status === 'active');
    for (const s of active) {
      const p = decodeJwt((await fx.clerk.sessions.getToken(s.id)).jwt);
      if (s.lastActiveOrganizationId) expect((p.o as { id?: unknown }).id).toBe(s.lastActiveOrganizationId);
      else expect(p).not.toHaveProperty('o');
    }
  });

  it('honours expiresInSeconds on a session token, including both bounds', async () => {
    const s = adaSession('active');
    for (const seconds of [120, 30, 315360000]) {
      const p = decodeJwt((await fx.clerk.sessions.getToken(s.id, undefined, seconds)).jwt);
      expect(p.exp! - p.iat!, String(seconds)).toBe(seconds);
      expect(p.sid).toBe(s.id);
    }
  });

  it('renders support-debug: template category, lifetime 60, skew 5, email/name/plan, no sid or v', async () => {
    const s = adaSession('active');
    const t0 = Math.floor(Date.now() / 1000);
    const { jwt } = await fx.clerk.sessions.getToken(s.id, 'support-debug');
    const header = decodeProtectedHeader(jwt);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toMatch(/^ins_/);
    expect(header.cat).toBe(TEMPLATE_CATEGORY);

    const p = decodeJwt(jwt);
    expect(
      Object.keys(p)
        .filter((k) => k !== 'azp')
        .sort(),
    ).toEqual(['email', 'exp', 'iat', 'iss', 'jti', 'name', 'nbf', 'plan', 'sub'].sort());
    expect(p.sub).toBe(ada.id);
    expect(p.iss).toBe(ISSUER);
    expect(p.email).toBe('ada.lovelace@example.com');
    expect(p.name).toBe('Ada Lovelace');
    expect(p.plan).toBe('pro');
    expect(p.exp! - p.iat!).toBe(60);
    expect(p.iat! - p.nbf!).toBe(5);
    expect(Math.abs(p.iat! - t0)).toBeLessThanOrEqual(5);
    await expectVerifies(jwt);
  });

  it('renders hasura claims with the role fallback', async () => {
    const s = adaSession('active');
    const p = decodeJwt((await fx.clerk.sessions.getToken(s.id, 'hasura')).jwt);
    expect(p.exp! - p.iat!).toBe(3600);
    const claims = p['https://hasura.io/jwt/claims'] as Record<string, unknown>;
    expect(claims['x-hasura-user-id']).toBe(ada.id);
    expect(claims['x-hasura-default-role']).toBe('admin');

    const created = await fx.clerk.sessions.createSession({ userId: plain.id });
    const q = decodeJwt((await fx.clerk.sessions.getToken(created.id, 'hasura')).jwt);
    const plainClaims = q['https://hasura.io/jwt/claims'] as Record<string, unknown>;
    expect(q.sub).toBe(plain.id);
    expect(plainClaims['x-hasura-user-id']).toBe(plain.id);
    expect(plainClaims['x-hasura-default-role']).toBe('user');
  });

  it('renders analytics (interpolation, skew 10) and long-lived (aud, skew 0, one day)', async () => {
    const s = adaSession('active');
    const a = decodeJwt((await fx.clerk.sessions.getToken(s.id, 'analytics')).jwt);
    expect(a.display).toBe('Ada Lovelace');
    expect(a.exp! - a.iat!).toBe(300);
    expect(a.iat! - a.nbf!).toBe(10);

    const { jwt } = await fx.clerk.sessions.getToken(s.id, 'long-lived');
    const l = decodeJwt(jwt);
    expect(l.aud).toBe('internal-tools');
    expect(l.exp! - l.iat!).toBe(86400);
    expect(l.nbf).toBe(l.iat);
    expect(l.sub).toBe(ada.id);
    const verified = await verifyToken(jwt, {
      secretKey: fx.secretKey,
      apiUrl: fx.url,
      audience: 'internal-tools',
    });
    expect(verified.aud).toBe('internal-tools');
    await expect(
      verifyToken(jwt, { secretKey: fx.secretKey, apiUrl: fx.url, audience: 'somebody-else' }),
    ).rejects.toThrow();
  });

  it('lets expiresInSeconds override a template lifetime but keeps its clock skew', async () => {
    const s = adaSession('active');
    const p = decodeJwt((await fx.clerk.sessions.getToken(s.id, 'support-debug', 45)).jwt);
    expect(p.exp! - p.iat!).toBe(45);
    expect(p.iat! - p.nbf!).toBe(5);
    expect(p.email).toBe('ada.lovelace@example.com');
  });

  it('rejects a tampered token in verifyToken', async () => {
    const { jwt } = await fx.clerk.sessions.getToken(adaSession('active').id, 'support-debug');
    const [h, payload, sig] = jwt.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    forged.plan = 'enterprise';
    const tampered = [h, Buffer.from(JSON.stringify(forged)).toString('base64url'), sig].join('.');
    await expect(verifyToken(tampered, { secretKey: fx.secretKey, apiUrl: fx.url })).rejects.toThrow();
  });

  it('answers 422 form_param_value_invalid with param_name for expiresInSeconds out of 30..315360000', async () => {
    const s = adaSession('active');
    for (const [template, seconds] of [
      [undefined, 29],
      [undefined, 315360001],
      ['support-debug', 29],
      ['support-debug', 315360001],
    ] as const) {
      const e = await captureClerkError(fx.clerk.sessions.getToken(s.id, template, seconds));
      expect(e.status, `${template} ${seconds}`).toBe(422);
      expect(e.errors[0]?.code).toBe('form_param_value_invalid');
      expect(e.errors[0]?.meta?.paramName).toBe('expires_in_seconds');
      expect(e.clerkTraceId).toMatch(TRACE_ID);
    }
  });

  it('answers 404 for a session that is not active, with and without a template', async () => {
    for (const status of ['revoked', 'ended', 'expired'] as const) {
      for (const template of [undefined, 'support-debug']) {
        const e = await captureClerkError(fx.clerk.sessions.getToken(adaSession(status).id, template));
        expect(e.status, `${status} ${template}`).toBe(404);
        expect(e.errors[0]?.code).toBe('resource_not_found');
        expect(e.clerkTraceId).toMatch(TRACE_ID);
      }
    }
  });

  it('answers 404 resource_not_found for an unknown template and an unknown session', async () => {
    const e = await captureClerkError(
      fx.clerk.sessions.getToken(adaSession('active').id, 'no-such-template'),
    );
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.errors[0]?.message).toBe('JWT template not found');
    expect(e.errors[0]?.longMessage).toContain('no-such-template');
    expect(e.clerkTraceId).toMatch(TRACE_ID);

    const u = await captureClerkError(fx.clerk.sessions.getToken(`sess_${'T'.repeat(27)}`));
    expect(u.status).toBe(404);
    expect(u.errors[0]?.code).toBe('resource_not_found');
  });
});
