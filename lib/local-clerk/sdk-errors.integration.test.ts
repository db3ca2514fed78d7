// What the official @clerk/backend client surfaces when the embedded Backend API refuses, fails or is slow:
// auth failures, validation errors, injected faults and the real rate limiter (contract §5, §6, §7 "Errors").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClerkClient, type Session, type User } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { captureClerkError, withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

const TRACE_ID = /^[0-9a-f]{32}$/;
const INVALID_KEY_MESSAGE =
  'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.';
const WRONG_KEY = 'sk_test_thisKeyIsNotTheInstanceKey000000000000';

let fx: LocalClerkFixture;
/** A second instance with a tiny rate limit, used only by the rate-limit test. */
let limited: LocalClerkFixture;
let ada: User;
let adaActive: Session;

function expectEnvelope(
  e: Awaited<ReturnType<typeof captureClerkError>>,
  status: number,
  code: string,
  paramName?: string,
): void {
  expect(isClerkAPIResponseError(e)).toBe(true);
  expect(e.status).toBe(status);
  expect(e.errors.length).toBeGreaterThanOrEqual(1);
  expect(e.errors[0]?.code).toBe(code);
  expect(e.errors[0]?.message).toEqual(expect.any(String));
  expect(e.errors[0]?.longMessage).toEqual(expect.any(String));
  if (paramName !== undefined) expect(e.errors[0]?.meta?.paramName).toBe(paramName);
  expect(e.clerkTraceId).toMatch(TRACE_ID);
}

async function rawFetch(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { headers: { 'Content-Type': 'application/json', ...headers } });
}

beforeAll(async () => {
  [fx, limited] = await Promise.all([withLocalClerk({ faults: true }), withLocalClerk({ rateLimit: 5 })]);
  const { data } = await fx.clerk.users.getUserList({ emailAddress: ['ada.lovelace@example.com'] });
  ada = data[0]!;
  const sessions = await fx.clerk.sessions.getSessionList({ userId: ada.id, status: 'active' });
  adaActive = sessions.data[0]!;
});

afterAll(async () => {
  await Promise.all([fx?.close(), limited?.close()]);
});

describe('authentication', () => {
  it('answers 401 clerk_key_invalid to a wrong secret key on every method the console uses, and acts on none', async () => {
    const wrong = createClerkClient({ secretKey: WRONG_KEY, apiUrl: fx.url, telemetry: { disabled: true } });
    const calls: [string, () => Promise<unknown>][] = [
      ['getSessionList', () => wrong.sessions.getSessionList({ userId: ada.id })],
      ['getSession', () => wrong.sessions.getSession(adaActive.id)],
      ['revokeSession', () => wrong.sessions.revokeSession(adaActive.id)],
      ['getToken', () => wrong.sessions.getToken(adaActive.id)],
      ['getToken template', () => wrong.sessions.getToken(adaActive.id, 'support-debug', 60)],
      ['createSession', () => wrong.sessions.createSession({ userId: ada.id })],
      ['getUserList', () => wrong.users.getUserList({ query: 'ada' })],
      ['getUser', () => wrong.users.getUser(ada.id)],
      ['getClient', () => wrong.clients.getClient(adaActive.clientId)],
      ['jwtTemplates.list', () => wrong.jwtTemplates.list()],
    ];
    for (const [name, call] of calls) {
      const e = await captureClerkError(call());
      expect(e.status, name).toBe(401);
      expect(e.errors[0]?.code, name).toBe('clerk_key_invalid');
      expect(e.errors[0]?.message, name).toBe(INVALID_KEY_MESSAGE);
      expect(e.clerkTraceId, name).toMatch(TRACE_ID);
    }
    expect(await fx.clerk.sessions.getSession(adaActive.id)).toStrictEqual(adaActive);
    expect((await fx.clerk.sessions.getSessionList({ userId: ada.id })).totalCount).toBe(6);
  });

  // The SDK always sends `Bearer <secretKey>` (and refuses an empty key before any request), so the two other 401
  // cases are only reachable with a hand-made request.
  it('answers 401 authentication_invalid without a header and authorization_header_format_invalid for a bad one', async () => {
    const url = `${fx.url}/v1/users/${ada.id}`;
    const cases: [Record<string, string>, string][] = [
      [{}, 'authentication_invalid'],
      [
        { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        'authorization_header_format_invalid',
      ],
      [{ Authorization: fx.secretKey }, 'authorization_header_format_invalid'],
      [{ Authorization: 'Bearer' }, 'authorization_header_format_invalid'],
    ];
    for (const [headers, code] of cases) {
      const res = await rawFetch(url, headers);
      expect(res.status, code).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = (await res.json()) as {
        errors: { code: string; message: string; long_message: string }[];
        clerk_trace_id: string;
      };
      expect(body.errors[0]?.code, JSON.stringify(headers)).toBe(code);
      expect(body.errors[0]?.long_message).toEqual(expect.any(String));
      expect(body.clerk_trace_id).toMatch(TRACE_ID);
      expect(JSON.stringify(body)).not.toContain(fx.secretKey);
    }
  });
});

describe('validation errors', () => {
  it('answers 400 missing_query_parameter when neither user nor client is given', async () => {
    expectEnvelope(
      await captureClerkError(fx.clerk.sessions.getSessionList()),
      400,
      'missing_query_parameter',
    );
    expectEnvelope(
      await captureClerkError(fx.clerk.sessions.getSessionList({ status: 'active' })),
      400,
      'missing_query_parameter',
    );
  });

  it('answers 422 form_param_value_invalid with param_name for a bad status, limit or offset', async () => {
    const userId = ada.id;
    const cases: [Parameters<typeof fx.clerk.sessions.getSessionList>[0], string][] = [
      [{ userId, status: 'pending' }, 'status'],
      [{ userId, status: 'bogus' as 'active' }, 'status'],
      [{ userId, limit: 501 }, 'limit'],
      [{ userId, limit: -1 }, 'limit'],
      [{ userId, offset: -1 }, 'offset'],
    ];
    for (const [params, paramName] of cases) {
      const e = await captureClerkError(fx.clerk.sessions.getSessionList(params));
      expectEnvelope(e, 422, 'form_param_value_invalid', paramName);
    }
    expectEnvelope(
      await captureClerkError(fx.clerk.jwtTemplates.list({ limit: 501 })),
      422,
      'form_param_value_invalid',
      'limit',
    );
    expectEnvelope(
      await captureClerkError(fx.clerk.users.getUserList({ limit: 501 })),
      422,
      'form_param_value_invalid',
      'limit',
    );
  });

  it('stamps every error with a fresh trace id, also sent as the body field the SDK reads', async () => {
    const wrong = createClerkClient({ secretKey: WRONG_KEY, apiUrl: fx.url, telemetry: { disabled: true } });
    const errors = await Promise.all([
      captureClerkError(fx.clerk.sessions.getSession(`sess_${'A'.repeat(27)}`)),
      captureClerkError(fx.clerk.sessions.getSession(`sess_${'A'.repeat(27)}`)),
      captureClerkError(fx.clerk.sessions.getSessionList()),
      captureClerkError(fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 501 })),
      captureClerkError(wrong.sessions.getSession(adaActive.id)),
      captureClerkError(wrong.sessions.getSession(adaActive.id)),
    ]);
    const ids = errors.map((e) => e.clerkTraceId);
    for (const id of ids) expect(id).toMatch(TRACE_ID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('injected faults', () => {
  afterEach(async () => {
    await fx.faults.clear();
  });

  it('surfaces a 429 with Retry-After as retryAfter, once, then recovers', async () => {
    await fx.faults.set([{ path: '^/v1/sessions/[^/]+$', status: 429, retryAfter: 7, times: 1 }]);
    const e = await captureClerkError(fx.clerk.sessions.getSession(adaActive.id));
    expectEnvelope(e, 429, 'too_many_requests');
    expect(e.retryAfter).toBe(7);
    expect(await fx.clerk.sessions.getSession(adaActive.id)).toStrictEqual(adaActive);
  });

  it('surfaces a bare 500 as internal_clerk_error with a trace id', async () => {
    await fx.faults.set([{ path: '^/v1/users/[^/]+$', status: 500 }]);
    const e = await captureClerkError(fx.clerk.users.getUser(ada.id));
    expectEnvelope(e, 500, 'internal_clerk_error');
    expect(e.retryAfter).toBeUndefined();
  });

  it('turns a 500 with an HTML body into an error with no parsed errors rather than data', async () => {
    const html = '<!doctype html><html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>';
    await fx.faults.set([{ path: '^/v1/sessions$', status: 500, body: html, contentType: 'text/html' }]);
    const e = await captureClerkError(fx.clerk.sessions.getSessionList({ userId: ada.id }));
    expect(e.status).toBe(500);
    expect(e.errors).toEqual([]);
    expect(JSON.stringify(e.errors)).not.toContain('alert');
  });

  it('surfaces a reset connection as a network error without a status, and the server keeps serving', async () => {
    await fx.faults.set([{ path: '^/v1/sessions/[^/]+/revoke$', reset: true }]);
    const e = await captureClerkError(fx.clerk.sessions.revokeSession(adaActive.id));
    expect(e.status).toBeUndefined();
    expect(e.errors[0]?.code).toBe('unexpected_error');
    expect(e.errors[0]?.message).toEqual(expect.any(String));
    expect((await fx.clerk.sessions.getSession(adaActive.id)).status).toBe('active');
  });

  it('delays a response by latencyMs and still returns the right data', async () => {
    await fx.faults.set([{ path: '^/v1/users/[^/]+$', latencyMs: 300, times: 1 }]);
    const t0 = performance.now();
    const u = await fx.clerk.users.getUser(ada.id);
    const slow = performance.now() - t0;
    expect(slow).toBeGreaterThanOrEqual(290);
    expect(u).toStrictEqual(ada);
    const t1 = performance.now();
    await fx.clerk.users.getUser(ada.id);
    expect(performance.now() - t1).toBeLessThan(slow);
  });

  it('matches rules by method and expires them after `times` hits', async () => {
    await fx.faults.set([{ method: 'POST', path: '^/v1/sessions/[^/]+/revoke$', status: 503, times: 2 }]);
    expect(await fx.clerk.sessions.getSession(adaActive.id)).toStrictEqual(adaActive);
    const five = (await fx.clerk.users.getUserList({ emailAddress: ['five.sessions@example.com'] })).data[0]!;
    const created = await fx.clerk.sessions.createSession({ userId: five.id });
    for (let i = 0; i < 2; i++) {
      const e = await captureClerkError(fx.clerk.sessions.revokeSession(created.id));
      expect(e.status).toBe(503);
      expect(e.clerkTraceId).toMatch(TRACE_ID);
    }
    expect((await fx.clerk.sessions.getSession(created.id)).status).toBe('active');
    expect((await fx.clerk.sessions.revokeSession(created.id)).status).toBe('revoked');
  });

  it('logs every /v1 request, e.g. the two calls behind users.getUserList', async () => {
    await fx.faults.clearRequests();
    expect((await fx.faults.requests()).count).toBe(0);
    await fx.clerk.users.getUserList({ emailAddress: ['ada.lovelace@example.com'] });
    await fx.clerk.sessions.getSession(adaActive.id);
    const log = await fx.faults.requests();
    expect(log.count).toBe(3);
    expect(log.requests).toHaveLength(3);
    const seen = log.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`).sort();
    expect(seen).toEqual([`GET /v1/sessions/${adaActive.id}`, 'GET /v1/users', 'GET /v1/users/count'].sort());
  });

  it('guards the fault controls with the secret key', async () => {
    const anonymous = await fetch(`${fx.url}/__faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rules: [{ path: '.*', status: 500 }] }),
    });
    expect(anonymous.status).toBe(401);
    const wrongKey = await fetch(`${fx.url}/__faults/requests`, {
      headers: { Authorization: `Bearer ${WRONG_KEY}` },
    });
    expect(wrongKey.status).toBe(401);
    // The anonymous rule was not installed.
    expect((await fx.clerk.users.getUser(ada.id)).id).toBe(ada.id);
  });
});

describe('rate limiting', () => {
  it('answers 429 too_many_requests with Retry-After past the limit; JWKS and other keys are not affected', async () => {
    // `limited` (5 requests per 10 s) is used by this test only, so its window starts empty here.
    for (let i = 0; i < 5; i++) expect(await limited.clerk.users.getCount()).toBeGreaterThanOrEqual(300);
    const e = await captureClerkError(limited.clerk.users.getCount());
    expectEnvelope(e, 429, 'too_many_requests');
    expect(e.retryAfter).toEqual(expect.any(Number));
    expect(e.retryAfter).toBeGreaterThanOrEqual(1);
    expect(e.retryAfter).toBeLessThanOrEqual(10);

    const jwks = await limited.clerk.jwks.getJwks();
    expect(jwks.keys?.[0]?.kid).toMatch(/^ins_/);

    const wrong = createClerkClient({
      secretKey: WRONG_KEY,
      apiUrl: limited.url,
      telemetry: { disabled: true },
    });
    expectEnvelope(await captureClerkError(wrong.users.getCount()), 401, 'clerk_key_invalid');
    expectEnvelope(
      await captureClerkError(limited.clerk.sessions.getSession(`sess_${'R'.repeat(27)}`)),
      429,
      'too_many_requests',
    );
  });
});
