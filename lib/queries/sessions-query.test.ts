import { describe, expect, it } from 'vitest';
import { parseSessionsQuery, sessionsUrlQuery } from './parse-sessions-query';
import { sessionsHref, sessionsParams } from './sessions-query';

describe('parseSessionsQuery', () => {
  it('defaults to active sessions, 25 a page, from the start', () => {
    expect(parseSessionsQuery({ user_id: 'user_abc123' })).toEqual({
      ok: true,
      query: { userId: 'user_abc123', status: 'active', limit: 25, offset: 0 },
    });
  });

  it('reads client, status, limit and offset', () => {
    expect(
      parseSessionsQuery({ client_id: 'client_x1', status: 'all', limit: '100', offset: '200' }),
    ).toEqual({
      ok: true,
      query: { clientId: 'client_x1', status: 'all', limit: 100, offset: 200 },
    });
  });

  it.each([
    [{ user_id: '../x' }, 'Not a user id (user_…).'],
    [{ user_id: 'user_1/../../admin' }, 'Not a user id (user_…).'],
    [{ client_id: 'client_%2F' }, 'Not a client id (client_…).'],
    [{}, 'Give a user id or a client id.'],
    [{ user_id: 'user_1', client_id: 'client_1' }, 'Give a user id or a client id.'],
    [{ user_id: 'user_1', status: 'deleted' }, 'Unknown status filter.'],
    [{ user_id: 'user_1', limit: '5000' }, 'Page size must be between 1 and 100.'],
    [{ user_id: 'user_1', offset: '-1' }, 'Page offset must be a whole number between 0 and 100,000.'],
  ])('refuses %j with a clear message', (params, message) => {
    const r = parseSessionsQuery(params);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContain(message);
  });

  it('takes the first of repeated params', () => {
    expect(parseSessionsQuery({ user_id: ['user_a', 'user_b'] })).toMatchObject({
      ok: true,
      query: { userId: 'user_a' },
    });
  });
});

describe('sessionsUrlQuery (GET /api/sessions)', () => {
  it('reads a link the page reads into the same query', () => {
    const params = { user_id: 'user_a', status: 'all', limit: '50', offset: '50', look: '1' };
    const parsed = sessionsUrlQuery.safeParse(params);
    expect(parsed.success && parsed.data).toEqual({
      userId: 'user_a',
      status: 'all',
      limit: 50,
      offset: 50,
      look: true,
    });
    expect(parseSessionsQuery(params)).toEqual({ ok: true, query: parsed.data });
  });

  it('refuses what the page ignores: unknown and repeated params', () => {
    expect(sessionsUrlQuery.safeParse({ user_id: 'user_a', extra: '1' }).success).toBe(false);
    expect(sessionsUrlQuery.safeParse({ user_id: ['user_a', 'user_b'] }).success).toBe(false);
  });

  it('names the URL parameter that is wrong', () => {
    const r = sessionsUrlQuery.safeParse({ user_id: '../x', limit: '5000' });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path[0]).sort()).toEqual(['limit', 'user_id']);
    const none = sessionsUrlQuery.safeParse({});
    expect(!none.success && none.error.issues[0]?.path).toEqual(['user_id']);
  });
});

describe('session links', () => {
  const q = { userId: 'user_a', status: 'active' as const, limit: 25, offset: 50 };
  it('leaves defaults out and goes back to page one when the status changes', () => {
    expect(sessionsParams({ ...q, offset: 0 })).toEqual({
      user_id: 'user_a',
      client_id: undefined,
      status: undefined,
      limit: undefined,
      offset: undefined,
    });
    expect(sessionsHref(q)).toBe('/sessions?user_id=user_a&offset=50');
    expect(sessionsHref(q, { status: 'all' })).toBe('/sessions?user_id=user_a&status=all');
    expect(sessionsHref(q, { limit: 100 })).toBe('/sessions?user_id=user_a&limit=100&offset=50');
  });
});
