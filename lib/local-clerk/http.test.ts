// The embedded Backend API over plain HTTP: wire format, validation, errors and the session endpoints, as a client
// (or an attacker with curl) sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FIXTURES, SEED_JWT_TEMPLATES } from './seed';
import { startTestServer, type CallResult, type TestServer } from '@/lib/testing/local-clerk-server';
import type { ClerkErrorsJson, ClientJson, SessionJson, UserJson } from './types';

const TRACE_ID = /^[0-9a-f]{32}$/;

let api: TestServer;
let ada: UserJson;
let adaSessions: SessionJson[];
let heavy: UserJson;
/** An ordinary seeded user that tests create (and revoke) sessions for, so fixture users stay as seeded. */
let scratch: UserJson;

async function userByEmail(email: string): Promise<UserJson> {
  const { json } = await api.call<UserJson[]>(`/v1/users?email_address=${encodeURIComponent(email)}`);
  expect(json).toHaveLength(1);
  return json[0] as UserJson;
}

/** A session of Ada's with the given status, from the seed. */
function adaWith(status: SessionJson['status']): SessionJson {
  const s = adaSessions.find((x) => x.status === status);
  if (!s) throw new Error(`no ${status} session for Ada`);
  return s;
}

async function newSession(userId: string): Promise<SessionJson> {
  const { status, json } = await api.call<SessionJson>('/v1/sessions', {
    method: 'POST',
    body: { user_id: userId },
  });
  expect(status).toBe(200);
  return json;
}

function expectError(r: CallResult<ClerkErrorsJson>, status: number, code: string, paramName?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/json');
  const [first] = r.json.errors;
  expect(first?.code).toBe(code);
  expect(typeof first?.message).toBe('string');
  expect(typeof first?.long_message).toBe('string');
  expect(r.json.meta).toEqual({});
  expect(r.json.clerk_trace_id).toMatch(TRACE_ID);
  expect(r.headers.get('clerk-trace-id')).toBe(r.json.clerk_trace_id);
  if (paramName !== undefined) expect(first?.meta?.param_name).toBe(paramName);
  // Never a stack trace or an internal path.
  expect(JSON.stringify(r.json)).not.toMatch(/\bat .+\(|node_modules|\.ts:\d/);
}

beforeAll(async () => {
  api = await startTestServer();
  ada = await userByEmail(SEED_FIXTURES.ada);
  adaSessions = (await api.call<SessionJson[]>(`/v1/sessions?user_id=${ada.id}&limit=100`)).json;
  heavy = await userByEmail(SEED_FIXTURES.heavy);
  const fixtureEmails: string[] = Object.values(SEED_FIXTURES);
  scratch = (await api.call<UserJson[]>('/v1/users?limit=50')).json.find(
    (u) => !u.banned && !fixtureEmails.includes(u.email_addresses[0]?.email_address ?? ''),
  ) as UserJson;
});

afterAll(async () => {
  await api?.close();
});

describe('wire format', () => {
  it('answers exactly `application/json` (no charset) on success, error and list responses', async () => {
    for (const route of [
      `/v1/sessions?user_id=${ada.id}`,
      `/v1/users/${ada.id}`,
      '/v1/sessions',
      '/v1/nope',
      '/v1/jwks',
    ]) {
      const r = await api.call(route);
      expect(r.headers.get('content-type'), route).toBe('application/json');
    }
  });

  it('returns a bare array without paginated=true and {data,total_count} with it', async () => {
    const bare = await api.call(`/v1/sessions?user_id=${ada.id}`);
    expect(Array.isArray(bare.json)).toBe(true);
    expect(bare.json).toHaveLength(6);
    for (const value of ['true', '1', 'True']) {
      const paged = await api.call(`/v1/sessions?user_id=${ada.id}&paginated=${value}`);
      expect(Object.keys(paged.json).sort()).toEqual(['data', 'total_count']);
      expect(paged.json.total_count).toBe(6);
      expect(paged.json.data).toEqual(bare.json);
    }
    expect(Array.isArray((await api.call(`/v1/sessions?user_id=${ada.id}&paginated=false`)).json)).toBe(true);
    expectError(
      await api.call(`/v1/sessions?user_id=${ada.id}&paginated=maybe`),
      422,
      'form_param_value_invalid',
      'paginated',
    );
  });

  it('serves sessions with `object`, Clerk id prefixes and millisecond timestamps', async () => {
    const s = adaWith('active');
    expect(s.object).toBe('session');
    expect(s.id).toMatch(/^sess_[A-Za-z0-9]{27}$/);
    expect(s.user_id).toBe(ada.id);
    expect(s.client_id).toMatch(/^client_[A-Za-z0-9]{27}$/);
    expect(s.latest_activity?.object).toBe('session_activity');
    expect(s.latest_activity?.id).toMatch(/^sess_activity_[A-Za-z0-9]{27}$/);
    for (const t of [s.created_at, s.updated_at, s.last_active_at, s.expire_at, s.abandon_at]) {
      expect(Number.isInteger(t) && t > 1e12).toBe(true);
    }
  });
});

describe('GET /v1/sessions', () => {
  it('defaults to 10, caps at 500, and rejects limits and offsets out of range with param_name', async () => {
    expect((await api.call(`/v1/sessions?user_id=${heavy.id}`)).json).toHaveLength(10);
    expect((await api.call(`/v1/sessions?user_id=${heavy.id}&limit=500`)).json).toHaveLength(500);
    expect((await api.call(`/v1/sessions?user_id=${heavy.id}&limit=1`)).json).toHaveLength(1);
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1.5', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=x', 'offset'],
    ] as const) {
      expectError(
        await api.call(`/v1/sessions?user_id=${heavy.id}&${query}`),
        422,
        'form_param_value_invalid',
        param,
      );
    }
  });

  it('pages with offset over the newest-first order, ties broken by id', async () => {
    const all = (await api.call<SessionJson[]>(`/v1/sessions?user_id=${heavy.id}&limit=500`)).json;
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1] as SessionJson, all[i] as SessionJson];
      expect(a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id)).toBe(true);
    }
    const page = (await api.call<SessionJson[]>(`/v1/sessions?user_id=${heavy.id}&limit=50&offset=100`)).json;
    expect(page.map((s) => s.id)).toEqual(all.slice(100, 150).map((s) => s.id));
    const beyond = await api.call(`/v1/sessions?user_id=${heavy.id}&offset=5000&paginated=true`);
    expect(beyond.json).toEqual({ data: [], total_count: 5000 });
  });

  it('filters by the seven statuses and refuses `pending` and unknown values', async () => {
    for (const status of ['active', 'revoked', 'ended', 'expired', 'removed', 'abandoned', 'replaced']) {
      const r = await api.call(`/v1/sessions?user_id=${heavy.id}&status=${status}&limit=500&paginated=true`);
      expect(r.status, status).toBe(200);
      expect(r.json.total_count, status).toBeGreaterThan(0);
      expect(r.json.data.every((s: SessionJson) => s.status === status)).toBe(true);
    }
    for (const bad of ['pending', 'ACTIVE', 'gone']) {
      const r = await api.call(`/v1/sessions?user_id=${heavy.id}&status=${bad}`);
      expectError(r, 422, 'form_param_value_invalid', 'status');
      expect(r.json.errors[0].long_message).toBe(
        `${bad} does not match one of the allowed values for parameter status`,
      );
    }
  });

  it('requires user_id or client_id (400 missing_query_parameter)', async () => {
    for (const route of ['/v1/sessions', '/v1/sessions?status=active', '/v1/sessions?user_id=&client_id=']) {
      const r = await api.call(route);
      expectError(r, 400, 'missing_query_parameter');
      expect(r.json.errors[0].long_message).toBe(
        'Either of the following query parameters must be provided: client_id, user_id.',
      );
    }
  });

  it('filters by client_id, alone and combined with user_id', async () => {
    const shared = adaWith('active').client_id;
    const byClient = (await api.call<SessionJson[]>(`/v1/sessions?client_id=${shared}&limit=500`)).json;
    expect(byClient.length).toBeGreaterThan(0);
    expect(byClient.every((s) => s.client_id === shared)).toBe(true);
    const both = (await api.call<SessionJson[]>(`/v1/sessions?client_id=${shared}&user_id=${heavy.id}`)).json;
    expect(both).toEqual([]);
  });

  it('returns an empty list for ids that match nothing', async () => {
    expect((await api.call(`/v1/sessions?user_id=user_${'0'.repeat(27)}`)).json).toEqual([]);
    expect((await api.call(`/v1/sessions?user_id=${encodeURIComponent("x' OR 1=1 --")}`)).json).toEqual([]);
  });
});

describe('authentication', () => {
  it('answers the three 401 codes with Clerk messages and never echoes the key', async () => {
    const route = `/v1/users/${ada.id}`;
    const none = await api.call(route, { key: null });
    expectError(none, 401, 'authentication_invalid');
    expect(none.json.errors[0].message).toBe('Invalid authentication');

    for (const header of [
      'Basic dXNlcjpwYXNz',
      api.secretKey,
      'Bearer',
      'Bearer a b',
      `Token ${api.secretKey}`,
    ]) {
      const r = await api.call(route, { key: null, headers: { Authorization: header } });
      expectError(r, 401, 'authorization_header_format_invalid');
      expect(r.json.errors[0].long_message).toBe(
        "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
      );
    }

    for (const wrong of [
      'sk_test_wrong',
      `${api.secretKey}x`,
      api.secretKey.slice(0, -1),
      'sk_live_localclerk_0000000000000000000000000000',
    ]) {
      const r = await api.call(route, { key: wrong });
      expectError(r, 401, 'clerk_key_invalid');
      expect(r.json.errors[0].message).toBe(
        'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
      );
      expect(r.text).not.toContain(wrong);
    }
  });

  it('requires the key on unknown /v1 routes too, and acts on nothing without it', async () => {
    expectError(await api.call('/v1/nope', { key: null }), 401, 'authentication_invalid');
    const s = adaWith('active');
    expectError(
      await api.call(`/v1/sessions/${s.id}/revoke`, { method: 'POST', key: 'sk_test_nope' }),
      401,
      'clerk_key_invalid',
    );
    expect((await api.call(`/v1/sessions/${s.id}`)).json.status).toBe('active');
  });
});

describe('faults and the key', () => {
  it('checks the key before any fault rule: a canned answer never reaches a caller without it', async () => {
    const faulty = await startTestServer({ faults: true });
    try {
      const rules = [
        { path: '^/v1/users$', status: 200, body: '[]', times: 1 },
        { path: '^/v1/jwks$', status: 500 },
      ];
      expect((await faulty.call('/__faults', { method: 'PUT', body: { rules } })).status).toBe(200);
      expectError(await faulty.call('/v1/users', { key: 'sk_test_wrong' }), 401, 'clerk_key_invalid');
      expectError(await faulty.call('/v1/jwks', { key: null }), 401, 'authentication_invalid');
      // The wrong-key request did not use up the rule: the right key still gets the canned answer.
      const canned = await faulty.call('/v1/users');
      expect(canned.status).toBe(200);
      expect(canned.json).toEqual([]);
      expect((await faulty.call('/v1/jwks')).status).toBe(500);
    } finally {
      await faulty.close();
    }
  });
});

describe('routing and not-found shapes', () => {
  it('answers 404 resource_not_found with Clerk messages and a fresh trace id per error', async () => {
    const cases: [string, string, string][] = [
      [
        `/v1/sessions/sess_${'Z'.repeat(27)}`,
        'Session not found',
        `No session was found with id sess_${'Z'.repeat(27)}`,
      ],
      [`/v1/users/user_${'Z'.repeat(27)}`, 'not found', `No user was found with id user_${'Z'.repeat(27)}`],
      [
        `/v1/clients/client_${'Z'.repeat(27)}`,
        'Client not found',
        `No client was found with id client_${'Z'.repeat(27)}`,
      ],
      [
        `/v1/jwt_templates/jtmp_${'Z'.repeat(27)}`,
        'JWT template not found',
        `No JWT template exists with id: jtmp_${'Z'.repeat(27)}`,
      ],
    ];
    const traces = new Set<string>();
    for (const [route, message, long] of cases) {
      const r = await api.call(route);
      expectError(r, 404, 'resource_not_found');
      expect(r.json.errors[0].message).toBe(message);
      expect(r.json.errors[0].long_message).toBe(long);
      traces.add(r.json.clerk_trace_id);
    }
    const again = await api.call(cases[0]?.[0] as string);
    traces.add(again.json.clerk_trace_id);
    expect(traces.size).toBe(cases.length + 1);
  });

  it('answers 404 (never 500) for malformed ids, path tricks and foreign prefixes', async () => {
    for (const id of [
      'nope',
      'sess_',
      `user_${'a'.repeat(27)}`,
      'sess_a-b',
      "sess_a'b",
      'sess_%2e%2e',
      'sess_%ZZ',
      'sess_abc%2Frevoke',
      `sess_${'a'.repeat(65)}`,
      'sess_%00',
    ]) {
      const r = await api.call(`/v1/sessions/${id}`);
      expectError(r, 404, 'resource_not_found');
      expect(r.json.errors[0].long_message).toBe('Resource not found');
    }
  });

  it('answers 404 for unknown routes and 405 with Allow for a wrong method, in the same envelope', async () => {
    expectError(await api.call('/v1/organizations'), 404, 'resource_not_found');
    expectError(await api.call('/v1/sessions/'), 404, 'resource_not_found');
    expectError(await api.call('/', { key: null }), 404, 'resource_not_found');
    // Fault controls do not exist unless the server was started with faults: true.
    expectError(await api.call('/__faults/requests'), 404, 'resource_not_found');

    const del = await api.call(`/v1/sessions/${adaWith('active').id}`, { method: 'DELETE' });
    expectError(del, 405, 'method_not_allowed');
    expect(del.headers.get('allow')).toBe('GET');
    const get = await api.call(`/v1/sessions/${adaWith('active').id}/revoke`);
    expectError(get, 405, 'method_not_allowed');
    expect(get.headers.get('allow')).toBe('POST');
    const put = await api.call('/v1/sessions', { method: 'PUT', body: {} });
    expect(put.headers.get('allow')).toBe('GET, POST');
  });
});

describe('POST /v1/sessions/{id}/revoke', () => {
  it('revokes once (status revoked, updated_at bumped), then answers 400 invalid_action_for_session', async () => {
    const s = await newSession(scratch.id);
    await new Promise((r) => setTimeout(r, 5));
    const first = await api.call<SessionJson>(`/v1/sessions/${s.id}/revoke`, { method: 'POST' });
    expect(first.status).toBe(200);
    expect(first.json.status).toBe('revoked');
    expect(first.json.updated_at).toBeGreaterThan(s.updated_at);
    expect({ ...first.json, status: s.status, updated_at: s.updated_at }).toEqual(s);

    const second = await api.call(`/v1/sessions/${s.id}/revoke`, { method: 'POST' });
    expectError(second, 400, 'invalid_action_for_session');
    expect(second.json.errors[0].long_message).toBe(`Unable to revoke session ${s.id}`);
    expect(second.json.errors[0].meta.session_id).toBe(s.id);
    expect((await api.call(`/v1/sessions/${s.id}`)).json).toEqual(first.json);
  });

  it('accepts an empty body with a JSON content type, and refuses a body with parameters', async () => {
    const s = await newSession(scratch.id);
    expectError(
      await api.call(`/v1/sessions/${s.id}/revoke`, { method: 'POST', body: { reason: 'x' } }),
      422,
      'form_param_unknown',
      'reason',
    );
    const r = await api.call(`/v1/sessions/${s.id}/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('revoked');
  });

  it('refuses ended, expired and revoked seed sessions without touching them; 404 for unknown ones', async () => {
    for (const status of ['ended', 'expired', 'revoked'] as const) {
      const s = adaWith(status);
      expectError(
        await api.call(`/v1/sessions/${s.id}/revoke`, { method: 'POST' }),
        400,
        'invalid_action_for_session',
      );
      expect((await api.call(`/v1/sessions/${s.id}`)).json).toEqual(s);
    }
    expectError(
      await api.call(`/v1/sessions/sess_${'Q'.repeat(27)}/revoke`, { method: 'POST' }),
      404,
      'resource_not_found',
    );
  });

  it('lets exactly one of many concurrent revokes of one session succeed', async () => {
    const s = await newSession(scratch.id);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => api.call(`/v1/sessions/${s.id}/revoke`, { method: 'POST' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200))
      expectError(r, 400, 'invalid_action_for_session');
    expect((await api.call(`/v1/sessions/${s.id}`)).json.status).toBe('revoked');
  });

  it('also revokes a pending session (signed in, tasks outstanding)', async () => {
    const pending = (await api.call<SessionJson[]>(`/v1/sessions?user_id=${heavy.id}&limit=500`)).json;
    const all = [...pending];
    for (let offset = 500; !all.some((s) => s.status === 'pending') && offset < 5000; offset += 500) {
      all.push(
        ...(await api.call<SessionJson[]>(`/v1/sessions?user_id=${heavy.id}&limit=500&offset=${offset}`))
          .json,
      );
    }
    const target = all.find((s) => s.status === 'pending') as SessionJson;
    expect(target.tasks).toEqual([{ key: 'choose-organization' }]);
    const r = await api.call(`/v1/sessions/${target.id}/revoke`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('revoked');
  });
});

describe('POST /v1/sessions/{id}/tokens[/{template}]', () => {
  it('mints with no body, an empty body, a JSON null expiry, or a valid expiry', async () => {
    const id = adaWith('active').id;
    for (const [label, opts] of [
      ['no body', { method: 'POST' }],
      ['empty + JSON content type', { method: 'POST', headers: { 'Content-Type': 'application/json' } }],
      ['{}', { method: 'POST', body: {} }],
      ['null expiry', { method: 'POST', body: { expires_in_seconds: null } }],
      ['expiry 30', { method: 'POST', body: { expires_in_seconds: 30 } }],
    ] as const) {
      for (const route of [
        `/v1/sessions/${id}/tokens`,
        `/v1/sessions/${id}/tokens/${SEED_JWT_TEMPLATES.supportDebug}`,
      ]) {
        const r = await api.call(route, opts);
        expect(r.status, `${label} ${route}`).toBe(200);
        expect(Object.keys(r.json).sort()).toEqual(['jwt', 'object']);
        expect(r.json.object).toBe('token');
        expect(r.json.jwt.split('.')).toHaveLength(3);
      }
    }
  });

  it('answers 400 request_body_invalid for unparseable or non-object JSON', async () => {
    const route = `/v1/sessions/${adaWith('active').id}/tokens`;
    for (const body of ['{', '{"expires_in_seconds":', 'not json', '[1]', '"x"', '42']) {
      expectError(await api.call(route, { method: 'POST', body }), 400, 'request_body_invalid');
    }
  });

  it('answers 422 with param_name for a wrong type, an out-of-range expiry, or an unknown key', async () => {
    const route = `/v1/sessions/${adaWith('active').id}/tokens`;
    for (const v of [29, 315360001, 0, -5]) {
      const r = await api.call(route, { method: 'POST', body: { expires_in_seconds: v } });
      expectError(r, 422, 'form_param_value_invalid', 'expires_in_seconds');
      expect(r.json.errors[0].long_message).toBe('expires_in_seconds must be between 30 and 315360000.');
    }
    for (const [v, type] of [
      ['60', 'string'],
      [60.5, 'number'],
      [true, 'boolean'],
      [[60], 'array'],
    ] as const) {
      const r = await api.call(`${route}/${SEED_JWT_TEMPLATES.hasura}`, {
        method: 'POST',
        body: { expires_in_seconds: v },
      });
      expectError(r, 422, 'form_param_value_invalid', 'expires_in_seconds');
      expect(r.json.errors[0].long_message).toBe(
        `expires_in_seconds is invalid. Received ${type}, must be of type integer.`,
      );
    }
    expectError(
      await api.call(route, { method: 'POST', body: { expires_in: 60 } }),
      422,
      'form_param_unknown',
      'expires_in',
    );
    expect((await api.call(route, { method: 'POST', body: { expires_in_seconds: 315360000 } })).status).toBe(
      200,
    );
  });

  it('answers 415 for a non-JSON body', async () => {
    const r = await api.call(`/v1/sessions/${adaWith('active').id}/tokens`, {
      method: 'POST',
      body: 'expires_in_seconds=60',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectError(r, 415, 'unsupported_content_type');
  });

  it('answers 404 for a session that is not active, an unknown session and an unknown template', async () => {
    for (const status of ['revoked', 'ended', 'expired'] as const) {
      const id = adaWith(status).id;
      for (const route of [
        `/v1/sessions/${id}/tokens`,
        `/v1/sessions/${id}/tokens/${SEED_JWT_TEMPLATES.hasura}`,
      ]) {
        const r = await api.call(route, { method: 'POST' });
        expectError(r, 404, 'resource_not_found');
        expect(r.json.errors[0].long_message).toBe(`No session was found with id ${id}`);
      }
    }
    expectError(
      await api.call(`/v1/sessions/sess_${'N'.repeat(27)}/tokens`, { method: 'POST' }),
      404,
      'resource_not_found',
    );
    const t = await api.call(`/v1/sessions/${adaWith('active').id}/tokens/no-such-template`, {
      method: 'POST',
    });
    expectError(t, 404, 'resource_not_found');
    expect(t.json.errors[0].message).toBe('JWT template not found');
    expect(t.json.errors[0].long_message).toBe('No JWT template exists with name: no-such-template');
  });

  it('renders the template claims for the session user', async () => {
    const r = await api.call(
      `/v1/sessions/${adaWith('active').id}/tokens/${SEED_JWT_TEMPLATES.supportDebug}`,
      { method: 'POST' },
    );
    const payload = JSON.parse(Buffer.from(r.json.jwt.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({
      sub: ada.id,
      email: SEED_FIXTURES.ada,
      name: 'Ada Lovelace',
      plan: 'pro',
    });
  });
});

describe('POST /v1/sessions', () => {
  it('creates an active session on a new client and updates the user sign-in times', async () => {
    const before = Date.now();
    const s = await newSession(scratch.id);
    expect(s).toMatchObject({
      object: 'session',
      user_id: scratch.id,
      status: 'active',
      actor: null,
      tasks: null,
    });
    expect(s.created_at).toBeGreaterThanOrEqual(before);
    expect(s.expire_at - s.created_at).toBe(7 * 24 * 3600 * 1000);
    const client = (await api.call<ClientJson>(`/v1/clients/${s.client_id}`)).json;
    expect(client.session_ids).toEqual([s.id]);
    expect(client.last_active_session_id).toBe(s.id);
    const user = (await api.call<UserJson>(`/v1/users/${scratch.id}`)).json;
    expect(user.last_sign_in_at).toBe(s.created_at);
    expect(user.last_active_at).toBe(s.created_at);
  });

  it('sets the active organization when given one', async () => {
    const org = adaSessions.find((x) => x.last_active_organization_id)?.last_active_organization_id as string;
    const r = await api.call('/v1/sessions', {
      method: 'POST',
      body: { user_id: scratch.id, active_organization_id: org },
    });
    expect(r.json.last_active_organization_id).toBe(org);
  });

  it('validates the body: missing user_id, wrong type, unknown key, unknown user', async () => {
    expectError(
      await api.call('/v1/sessions', { method: 'POST', body: {} }),
      422,
      'form_param_missing',
      'user_id',
    );
    expectError(await api.call('/v1/sessions', { method: 'POST' }), 422, 'form_param_missing', 'user_id');
    expectError(
      await api.call('/v1/sessions', { method: 'POST', body: { user_id: 7 } }),
      422,
      'form_param_value_invalid',
      'user_id',
    );
    expectError(
      await api.call('/v1/sessions', { method: 'POST', body: { user_id: ada.id, admin: true } }),
      422,
      'form_param_unknown',
      'admin',
    );
    expectError(
      await api.call('/v1/sessions', {
        method: 'POST',
        body: { user_id: ada.id, active_organization_id: 'acme' },
      }),
      422,
      'form_param_format_invalid',
      'active_organization_id',
    );
    const unknown = await api.call('/v1/sessions', {
      method: 'POST',
      body: { user_id: `user_${'U'.repeat(27)}` },
    });
    expectError(unknown, 404, 'resource_not_found');
    expect(unknown.json.errors[0].long_message).toBe(`No user was found with id user_${'U'.repeat(27)}`);
  });

  it('answers 413 for an oversized body', async () => {
    const r = await api.call('/v1/sessions', { method: 'POST', body: { user_id: 'x'.repeat(70_000) } });
    expectError(r, 413, 'request_body_too_large');
  });
});

describe('users', () => {
  it('always answers a bare array, newest first by default', async () => {
    const r = await api.call<UserJson[]>('/v1/users?limit=50&paginated=true');
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json).toHaveLength(50);
    for (let i = 1; i < r.json.length; i++)
      expect((r.json[i - 1] as UserJson).created_at).toBeGreaterThanOrEqual(
        (r.json[i] as UserJson).created_at,
      );
    expect((await api.call('/v1/users')).json).toHaveLength(10);
  });

  it('matches `query` partially and case-insensitively over email, phone, username, id and names', async () => {
    for (const q of [
      'LOVELACE@example',
      'ada lovelace',
      '0100001',
      ada.id.slice(5, 20).toLowerCase(),
      'Lovel',
      'ada',
    ]) {
      const r = await api.call<UserJson[]>(`/v1/users?query=${encodeURIComponent(q)}&limit=500`);
      expect(
        r.json.map((u) => u.id),
        q,
      ).toContain(ada.id);
      const count = await api.call(`/v1/users/count?query=${encodeURIComponent(q)}`);
      expect(count.json).toEqual({ object: 'total_count', total_count: r.json.length });
    }
    expect((await api.call('/v1/users?query=%25')).json).toEqual([]);
  });

  it('filters by repeated email_address, phone_number and user_id keys, with +/- on user_id', async () => {
    const five = await userByEmail(SEED_FIXTURES.fiveSessions);
    const pair = await api.call<UserJson[]>(
      `/v1/users?email_address=${SEED_FIXTURES.ada}&email_address=${SEED_FIXTURES.fiveSessions.toUpperCase()}`,
    );
    expect(pair.json.map((u) => u.id).sort()).toEqual([ada.id, five.id].sort());
    expect(
      (await api.call<UserJson[]>('/v1/users?phone_number=%2B15550100001')).json.map((u) => u.id),
    ).toEqual([ada.id]);
    // An unencoded + arrives as a space; it still means "+1555…".
    expect((await api.call<UserJson[]>('/v1/users?phone_number=+15550100001')).json.map((u) => u.id)).toEqual(
      [ada.id],
    );
    const ids = await api.call<UserJson[]>(`/v1/users?user_id=${ada.id}&user_id=%2B${five.id}`);
    expect(ids.json.map((u) => u.id).sort()).toEqual([ada.id, five.id].sort());
    const total = (await api.call('/v1/users/count')).json.total_count;
    expect((await api.call(`/v1/users/count?user_id=-${ada.id}`)).json.total_count).toBe(total - 1);
  });

  it('orders by the documented fields with +/- and refuses others', async () => {
    const asc = (await api.call<UserJson[]>('/v1/users?order_by=%2Bcreated_at&limit=500')).json;
    for (let i = 1; i < asc.length; i++)
      expect((asc[i - 1] as UserJson).created_at).toBeLessThanOrEqual((asc[i] as UserJson).created_at);
    const byName = (await api.call<UserJson[]>('/v1/users?order_by=first_name&limit=500')).json.map((u) =>
      (u.first_name ?? '').toLowerCase(),
    );
    const sorted = [...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byName.slice(0, 100)).toEqual(sorted.slice(0, 100));
    const lastActive = (await api.call<UserJson[]>('/v1/users?order_by=-last_active_at&limit=500')).json;
    for (let i = 1; i < lastActive.length; i++) {
      expect((lastActive[i - 1] as UserJson).last_active_at ?? 0).toBeGreaterThanOrEqual(
        (lastActive[i] as UserJson).last_active_at ?? 0,
      );
    }
    for (const bad of ['password', 'created_at;drop', '-']) {
      expectError(
        await api.call(`/v1/users?order_by=${encodeURIComponent(bad)}`),
        422,
        'form_param_value_invalid',
        'order_by',
      );
    }
  });

  it('counts with the same filters and ignores paging on /users/count', async () => {
    const all = (await api.call('/v1/users/count?limit=1&offset=5')).json;
    expect(all.object).toBe('total_count');
    expect(all.total_count).toBeGreaterThanOrEqual(300);
    const banned = (await api.call('/v1/users/count?banned=true')).json.total_count;
    const notBanned = (await api.call('/v1/users/count?banned=false')).json.total_count;
    expect(banned).toBeGreaterThan(0);
    expect(banned + notBanned).toBe(all.total_count);
  });

  it('serves one user in full Clerk shape', async () => {
    const u = (await api.call<UserJson>(`/v1/users/${ada.id}`)).json;
    expect(u).toEqual(await userByEmail(SEED_FIXTURES.ada));
    expect(u).toMatchObject({
      object: 'user',
      first_name: 'Ada',
      last_name: 'Lovelace',
      public_metadata: { plan: 'pro', role: 'admin' },
    });
    expect(u.email_addresses[0]).toMatchObject({
      object: 'email_address',
      email_address: SEED_FIXTURES.ada,
      linked_to: [],
    });
  });
});

describe('clients', () => {
  it("serves Ada's multi-session client with full sessions newest first and matching session_ids", async () => {
    const active = adaSessions.filter((s) => s.status === 'active');
    const shared = active.find(
      (s) => active.filter((o) => o.client_id === s.client_id).length === 2,
    ) as SessionJson;
    const c = (await api.call<ClientJson>(`/v1/clients/${shared.client_id}`)).json;
    expect(c.object).toBe('client');
    expect(c.session_ids).toEqual(c.sessions.map((s) => s.id));
    expect(c.sessions.filter((s) => s.user_id === ada.id && s.status === 'active')).toHaveLength(2);
    for (const s of c.sessions) expect(s).toEqual((await api.call(`/v1/sessions/${s.id}`)).json);
    for (let i = 1; i < c.sessions.length; i++)
      expect((c.sessions[i - 1] as SessionJson).created_at).toBeGreaterThanOrEqual(
        (c.sessions[i] as SessionJson).created_at,
      );
    // The live session most recently active.
    const live = c.sessions
      .filter((s) => s.status === 'active' || s.status === 'pending')
      .sort((a, b) => b.last_active_at - a.last_active_at);
    expect(c.last_active_session_id).toBe(live[0]?.id);
    expect(c).toMatchObject({ sign_in_id: null, sign_up_id: null });
  });
});

describe('JWT templates and JWKS', () => {
  it('lists templates bare or paginated, and gets one by id', async () => {
    const bare = (await api.call('/v1/jwt_templates?limit=100')).json;
    expect(bare.map((t: { name: string }) => t.name).sort()).toEqual(
      Object.values(SEED_JWT_TEMPLATES).sort(),
    );
    const paged = (await api.call('/v1/jwt_templates?paginated=true&limit=2&offset=1')).json;
    expect(paged.total_count).toBe(bare.length);
    expect(paged.data).toEqual(bare.slice(1, 3));
    const one = (await api.call(`/v1/jwt_templates/${bare[0].id}`)).json;
    expect(one).toEqual(bare[0]);
    expect(one.object).toBe('jwt_template');
  });

  it('publishes only the public RSA key', async () => {
    const r = await api.call('/v1/jwks');
    expect(r.json.keys).toHaveLength(1);
    expect(Object.keys(r.json.keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(r.json.keys[0].kid).toMatch(/^ins_[A-Za-z0-9]{27}$/);
  });
});

describe('internal failures', () => {
  it('answers 500 internal_clerk_error in the JSON envelope, with no message, stack or path leaked', async () => {
    const http = await import('node:http');
    const { createRequestHandler } = await import('./http');
    const { SlidingWindowLimiter } = await import('./rate-limit');
    const secret = 'SQLITE_CORRUPT at /srv/secret/local-clerk.sqlite';
    const store = {
      getSession: () => {
        throw new Error(secret);
      },
    } as unknown as import('./store').LocalClerkStore;
    const logged: string[] = [];
    const server = http.createServer(
      createRequestHandler({
        store,
        secretKey: 'sk_test_internal_failure',
        issuer: 'https://example.test',
        key: { kid: 'ins_x', privateJwk: {}, publicJwk: {} },
        limiter: new SlidingWindowLimiter(0),
        faults: null,
        shutdown: new AbortController().signal,
        log: () => {},
        logError: (line) => logged.push(line),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/v1/sessions/sess_${'a'.repeat(27)}`, {
        headers: { Authorization: 'Bearer sk_test_internal_failure' },
      });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = JSON.parse(text);
      expect(body.errors[0]).toEqual({
        code: 'internal_clerk_error',
        message: 'Oops, an unexpected error occurred',
        long_message:
          "There was an internal error on our servers. We've been notified and are working on fixing it.",
      });
      expect(body.clerk_trace_id).toMatch(TRACE_ID);
      expect(text).not.toContain('SQLITE');
      expect(text).not.toContain('/srv/');
      // The operator still gets the cause, tied to the trace id the client saw.
      expect(logged.some((l) => l.includes(secret) && l.includes(body.clerk_trace_id))).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
