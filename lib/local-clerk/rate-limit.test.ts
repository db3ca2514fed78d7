// The per-key rate limit: a sliding window, Clerk's 429 envelope with Retry-After, JWKS exempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limit';
import { startTestServer, type TestServer } from '@/lib/testing/local-clerk-server';

describe('SlidingWindowLimiter', () => {
  it('admits `limit` requests per window and frees a slot when the oldest leaves it', () => {
    const l = new SlidingWindowLimiter(3, 10_000);
    expect([0, 1_000, 2_000].map((t) => l.take('k', t).ok)).toEqual([true, true, true]);
    // Full: the oldest (t=0) leaves the window at t=10,000.
    expect(l.take('k', 2_500)).toEqual({ ok: false, retryAfterSeconds: 8 });
    expect(l.take('k', 9_999)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(l.take('k', 10_000).ok).toBe(true);
    // Now t=1,000 is the oldest: no boundary burst as a fixed window would allow.
    expect(l.take('k', 10_001)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(l.take('k', 11_000).ok).toBe(true);
  });

  it('does not count refused requests, keeps keys apart, and is off at 0', () => {
    const l = new SlidingWindowLimiter(1, 10_000);
    expect(l.take('a', 0).ok).toBe(true);
    for (let t = 1; t < 100; t++) expect(l.take('a', t * 50).ok).toBe(false);
    expect(l.take('a', 10_000).ok).toBe(true);
    expect(l.take('b', 5).ok).toBe(true);
    const off = new SlidingWindowLimiter(0);
    for (let i = 0; i < 1000; i++) expect(off.take('a', 0).ok).toBe(true);
  });

  it('never answers a Retry-After below 1 second', () => {
    const l = new SlidingWindowLimiter(1, 500);
    l.take('k', 0);
    expect(l.take('k', 100)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});

describe('rate limit over HTTP', () => {
  let api: TestServer;

  beforeAll(async () => {
    api = await startTestServer({ rateLimit: 4 });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers 429 too_many_requests with Retry-After once the key used its requests; JWKS and strangers do not count', async () => {
    // Unauthenticated and wrong-key requests are refused before the limiter: they must not use up the key.
    for (let i = 0; i < 6; i++) {
      expect((await api.call('/v1/users/count', { key: null })).status).toBe(401);
      expect((await api.call('/v1/users/count', { key: 'sk_test_attacker' })).status).toBe(401);
    }
    for (let i = 0; i < 4; i++) expect((await api.call('/v1/users/count')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await api.call('/v1/jwks')).status).toBe(200);

    const r = await api.call('/v1/users?limit=1');
    expect(r.status).toBe(429);
    expect(r.headers.get('content-type')).toBe('application/json');
    const retryAfter = Number(r.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(r.json.errors[0]).toEqual({
      code: 'too_many_requests',
      message: 'Too many requests',
      long_message: 'Too many requests, retry later',
    });
    expect(r.json.clerk_trace_id).toMatch(/^[0-9a-f]{32}$/);

    expect((await api.call('/v1/jwks')).status).toBe(200);
    // Authentication still comes first: a wrong key is told so, not rate limited.
    expect((await api.call('/v1/users/count', { key: 'sk_test_attacker' })).status).toBe(401);
  });
});
