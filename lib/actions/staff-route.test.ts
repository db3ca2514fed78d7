import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { can, type Permission, type Role } from '@/lib/vocabulary';

// Who is signed in, switchable per test; every call records the permission and the where-name it was asked for.
const h = vi.hoisted(() => {
  class StaffAccessError extends Error {
    constructor(readonly kind: 'unauthenticated' | 'forbidden') {
      super(
        kind === 'unauthenticated'
          ? 'Your console session has ended. Sign in again.'
          : 'Your role does not allow this.',
      );
    }
  }
  return {
    StaffAccessError,
    role: null as null | Role,
    calls: [] as [string | null, string][],
  };
});

vi.mock('@/lib/auth/require-staff', () => ({
  StaffAccessError: h.StaffAccessError,
  requireStaff: async (permission: Permission | null, where: string) => {
    h.calls.push([permission, where]);
    if (!h.role) throw new h.StaffAccessError('unauthenticated');
    if (permission && !can(h.role, permission)) throw new h.StaffAccessError('forbidden');
    return { id: `staff_${h.role}`, email: `${h.role}@example.com`, role: h.role, provider: 'password' };
  },
}));

const { staffRoute } = await import('./staff-route');

const ID = '0b7c6a52-3f0e-4d55-9a57-1f1e8c1d2a10';
const idParams = z.object({ thingId: z.string().uuid() }).strict();
const params = (thingId: string) => ({ params: Promise.resolve({ thingId }) });
const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://console.test${path}`, { headers });

beforeEach(() => {
  h.role = 'viewer';
  h.calls = [];
});

describe('staffRoute: path parameters', () => {
  const handler = vi.fn(async (_q: undefined, ctx: { params: { thingId: string } }) => ({
    id: ctx.params.thingId,
  }));
  const GET = staffRoute(
    {
      name: '/api/things/[thingId]',
      access: 'sessions:read',
      params: idParams,
      failures: { body: 'error', messages: { not_found: 'No thing has that id.' } },
    },
    handler,
  );
  beforeEach(() => {
    handler.mockClear();
  });

  it('hands the validated parameters to the handler and answers its DTO as JSON, never cached', async () => {
    const res = await GET(get(`/api/things/${ID}`), params(ID));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ id: ID });
  });

  it('answers a malformed id with 404 and the route’s message; the handler never runs', async () => {
    for (const bad of ['../../etc/passwd', 'not-a-uuid', `${ID}x`, '']) {
      const res = await GET(get(`/api/things/${encodeURIComponent(bad)}`), params(bad));
      expect(res.status, bad).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: 'No thing has that id.' });
    }
    const missing = await GET(get('/api/things/x'));
    expect(missing.status).toBe(404);
    expect(handler).not.toHaveBeenCalled();
  });

  it('checks the role before the id: an anonymous caller learns nothing about ids', async () => {
    h.role = null;
    const res = await GET(get('/api/things/nope'), params('nope'));
    expect(res.status).toBe(401);
    expect(h.calls).toEqual([['sessions:read', 'api:/api/things/[thingId]']]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 404 with the same message when the handler finds nothing (null)', async () => {
    const none = staffRoute(
      {
        name: '/api/things/[thingId]',
        access: 'sessions:read',
        params: idParams,
        failures: { body: 'error', messages: { not_found: 'No thing has that id.' } },
      },
      async () => null,
    );
    const res = await none(get(`/api/things/${ID}`), params(ID));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'No thing has that id.' });
  });
});

describe('staffRoute: a Response of the handler’s own', () => {
  it('is sent as is: status, headers and a streamed body', async () => {
    const GET = staffRoute({ name: '/api/things/export', access: 'sessions:read' }, async () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('"a","b"\r\n'));
          c.enqueue(new TextEncoder().encode('"1","2"\r\n'));
          c.close();
        },
      });
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment' },
      });
    });
    const res = await GET(get('/api/things/export'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(await res.text()).toBe('"a","b"\r\n"1","2"\r\n');
  });

  it('refuses another site’s request first when asked: no role check, so no denial is audited', async () => {
    const handler = vi.fn(async () => new Response('secret'));
    const GET = staffRoute(
      { name: '/api/things/export', access: 'audit:read', refuseCrossSite: true },
      handler,
    );
    h.role = null;
    const res = await GET(get('/api/things/export', { 'sec-fetch-site': 'cross-site' }));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Open this export from the console itself.\n');
    expect(h.calls).toEqual([]);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('staffRoute: failures in the route’s own words', () => {
  const text = {
    body: 'text' as const,
    messages: { forbidden: 'Your role does not allow exporting this.' },
  };

  it('refuses a lower role with 403 in plain text, audited under the route’s name', async () => {
    const handler = vi.fn(async () => new Response('secret'));
    const GET = staffRoute({ name: '/api/things/export', access: 'audit:read', failures: text }, handler);
    const res = await GET(get('/api/things/export'));
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('Your role does not allow exporting this.\n');
    expect(h.calls).toEqual([['audit:read', 'api:/api/things/export']]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('turns an unexpected error into the route’s message and status with a reference, never its text', async () => {
    const GET = staffRoute(
      {
        name: '/api/things',
        access: 'sessions:read',
        failures: {
          body: 'error',
          messages: { unknown: 'Things could not be read.' },
          status: { unknown: 503 },
        },
      },
      async () => {
        throw new Error('SQLITE_CORRUPT: /var/lib/console.sqlite at db.ts:12');
      },
    );
    const res = await GET(get('/api/things'));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^Things could not be read\. Reference [0-9a-f-]{36}\.$/);
    expect(JSON.stringify(body)).not.toMatch(/SQLITE|sqlite|db\.ts/);
  });

  it('keeps the ActionFailure JSON by default (what getJson reads), with field errors for a bad query', async () => {
    const GET = staffRoute(
      { name: '/api/things', access: 'sessions:read', query: z.object({ n: z.coerce.number() }).strict() },
      async ({ n }) => ({ n }),
    );
    const bad = await GET(get('/api/things?n=x&extra=1'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      ok: false,
      kind: 'invalid_input',
      message: 'This request’s parameters are not valid.',
      fieldErrors: { n: expect.any(Array), _query: expect.any(Array) },
    });
    const good = await GET(get('/api/things?n=3'));
    expect(await good.json()).toEqual({ n: 3 });
  });
});
