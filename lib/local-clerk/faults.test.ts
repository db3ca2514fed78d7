// Fault injection as a test suite or a trainer uses it: rules installed over HTTP change what /v1 answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from './faults';
import { SEED_FIXTURES } from './seed';
import { startTestServer, type TestServer } from '@/lib/testing/local-clerk-server';
import type { SessionJson, UserJson } from './types';

let api: TestServer;
let ada: UserJson;
let adaActive: SessionJson;

const setRules = (rules: unknown[]) => api.call('/__faults', { method: 'PUT', body: { rules } });

beforeAll(async () => {
  api = await startTestServer({ faults: true });
  ada = (await api.call<UserJson[]>(`/v1/users?email_address=${SEED_FIXTURES.ada}`)).json[0] as UserJson;
  adaActive = (await api.call<SessionJson[]>(`/v1/sessions?user_id=${ada.id}&status=active`))
    .json[0] as SessionJson;
});

afterEach(async () => {
  await api.call('/__faults', { method: 'DELETE' });
});

afterAll(async () => {
  await api?.close();
});

describe('fault rules', () => {
  it('answers a bare status with the Clerk envelope for it (429 with Retry-After, 500, 503)', async () => {
    await setRules([{ path: '^/v1/users/[^/]+$', status: 429, retryAfter: 7 }]);
    const limited = await api.call(`/v1/users/${ada.id}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect(limited.json.errors[0]).toMatchObject({
      code: 'too_many_requests',
      message: 'Too many requests',
      long_message: 'Too many requests, retry later',
    });
    expect(limited.json.clerk_trace_id).toMatch(/^[0-9a-f]{32}$/);

    await setRules([{ path: '^/v1/users/[^/]+$', status: 500 }]);
    const failed = await api.call(`/v1/users/${ada.id}`);
    expect(failed.status).toBe(500);
    expect(failed.json.errors[0].code).toBe('internal_clerk_error');
    expect(failed.headers.get('retry-after')).toBeNull();

    await setRules([{ path: '^/v1/users/[^/]+$', status: 503, retryAfter: 2 }]);
    const down = await api.call(`/v1/users/${ada.id}`);
    expect([down.status, down.json.errors[0].code, down.headers.get('retry-after')]).toEqual([
      503,
      'service_unavailable',
      '2',
    ]);
  });

  it('sends a raw body with its content type exactly (an HTML error page from a proxy)', async () => {
    const html = '<!doctype html><h1>502 Bad Gateway</h1>';
    await setRules([{ path: '^/v1/sessions$', status: 502, body: html, contentType: 'text/html' }]);
    const r = await api.call(`/v1/sessions?user_id=${ada.id}`);
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(r.text).toBe(html);
  });

  it('delays by latencyMs and then answers normally', async () => {
    await setRules([{ path: '^/v1/sessions/[^/]+$', latencyMs: 250 }]);
    const t0 = performance.now();
    const r = await api.call(`/v1/sessions/${adaActive.id}`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    expect(r.status).toBe(200);
    expect(r.json).toEqual(adaActive);
  });

  it('drops the connection on reset, acting on nothing, and keeps serving', async () => {
    await setRules([{ method: 'post', path: '^/v1/sessions/[^/]+/revoke$', reset: true }]);
    await expect(
      fetch(`${api.url}/v1/sessions/${adaActive.id}/revoke`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${api.secretKey}` },
      }),
    ).rejects.toThrow();
    expect((await api.call(`/v1/sessions/${adaActive.id}`)).json.status).toBe('active');
  });

  it('matches the method, applies `times` then expires, and lists what is left', async () => {
    await setRules([{ method: 'GET', path: '^/v1/users/count$', status: 500, times: 2 }]);
    expect((await api.call('/__faults')).json.rules).toEqual([
      { method: 'GET', path: '^/v1/users/count$', status: 500, times: 2 },
    ]);
    expect((await api.call('/v1/users/count', { method: 'POST' })).status).toBe(405);
    expect((await api.call('/v1/users/count')).status).toBe(500);
    expect((await api.call('/__faults')).json.rules[0].times).toBe(1);
    expect((await api.call('/v1/users/count')).status).toBe(500);
    expect((await api.call('/v1/users/count')).status).toBe(200);
    expect((await api.call('/__faults')).json.rules).toEqual([]);
  });

  it('replaces rules on PUT, clears them on DELETE', async () => {
    await setRules([{ path: '^/v1/jwks$', status: 500 }]);
    await setRules([{ path: '^/v1/users$', status: 500 }]);
    expect((await api.call('/v1/jwks')).status).toBe(200);
    expect((await api.call('/v1/users')).status).toBe(500);
    expect((await api.call('/__faults', { method: 'DELETE' })).json).toEqual({ rules: [] });
    expect((await api.call('/v1/users')).status).toBe(200);
  });

  it('refuses invalid rules with 422 and keeps the previous ones', async () => {
    await setRules([{ path: '^/v1/jwks$', status: 500 }]);
    for (const [rules, param] of [
      [[{ path: '(' }], 'rules.0.path'],
      [[{ path: '^/v1', status: 99 }], 'rules.0.status'],
      [[{ path: '^/v1', latencyMs: 600_000 }], 'rules.0.latencyMs'],
      [[{ path: '^/v1', surprise: 1 }], 'rules.0'],
      [[{ status: 500 }], 'rules.0.path'],
    ] as const) {
      const r = await setRules(rules as unknown as unknown[]);
      expect(r.status, JSON.stringify(rules)).toBe(422);
      expect(r.json.errors[0].code).toBe('form_param_value_invalid');
      expect(r.json.errors[0].meta.param_name).toBe(param);
    }
    expect((await api.call('/__faults', { method: 'PUT', body: '{' })).status).toBe(400);
    expect((await api.call('/v1/jwks')).status).toBe(500);
  });

  it('guards the controls with the secret key', async () => {
    const anon = await api.call('/__faults', {
      method: 'PUT',
      key: null,
      body: { rules: [{ path: '.*', status: 500 }] },
    });
    expect(anon.status).toBe(401);
    expect((await api.call('/__faults/requests', { key: 'sk_test_wrong' })).json.errors[0].code).toBe(
      'clerk_key_invalid',
    );
    expect((await api.call('/__faults/requests', { method: 'POST' })).status).toBe(405);
    expect((await api.call('/v1/users/count')).status).toBe(200);
  });
});

describe('request log', () => {
  it('records every /v1 request (authenticated or not, faulted or not) since the last reset', async () => {
    expect((await api.call('/__faults/requests', { method: 'DELETE' })).json).toEqual({
      count: 0,
      requests: [],
    });
    expect((await api.call('/__faults/requests')).json).toEqual({ count: 0, requests: [] });
    const before = Date.now();
    await api.call(`/v1/users?email_address=${SEED_FIXTURES.ada}`);
    await api.call(`/v1/sessions/${adaActive.id}/revoke`, { method: 'POST', key: null });
    await setRules([{ path: '^/v1/jwks$', status: 500 }]);
    await api.call('/v1/jwks');
    await api.call('/not-v1');
    const log = (await api.call('/__faults/requests')).json;
    expect(log.count).toBe(3);
    expect(log.requests.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/users',
      `POST /v1/sessions/${adaActive.id}/revoke`,
      'GET /v1/jwks',
    ]);
    expect(log.requests[0].query).toBe(`email_address=${SEED_FIXTURES.ada}`);
    for (const r of log.requests) expect(r.at).toBeGreaterThanOrEqual(before);
  });
});

describe('FaultInjector', () => {
  it('keeps the true count while holding only the newest 10,000 entries', () => {
    const f = new FaultInjector();
    for (let i = 0; i < 10_005; i++) f.record('GET', `/v1/sessions/${i}`, '', i);
    const { count, requests } = f.requests();
    expect(count).toBe(10_005);
    expect(requests).toHaveLength(10_000);
    expect(requests[0]?.path).toBe('/v1/sessions/5');
  });
});

describe('fault scopes', () => {
  it("a scoped set or clear leaves other scopes' rules alone", () => {
    const f = new FaultInjector();
    f.setRules({ rules: [{ path: '^/v1/a$', status: 500 }] }, 'w0');
    f.setRules({ rules: [{ path: '^/v1/b$', status: 503 }] }, 'w1');
    f.setRules({ rules: [{ path: '^/v1/c$', status: 404 }] }, 'w1');
    expect(f.take('GET', '/v1/a')?.status).toBe(500);
    expect(f.take('GET', '/v1/b')).toBeUndefined();
    expect(f.take('GET', '/v1/c')?.status).toBe(404);
    f.clear('w0');
    expect(f.take('GET', '/v1/a')).toBeUndefined();
    expect(f.take('GET', '/v1/c')?.status).toBe(404);
    f.clear();
    expect(f.take('GET', '/v1/c')).toBeUndefined();
  });
});
