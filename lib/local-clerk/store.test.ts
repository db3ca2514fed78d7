// The SQLite store: state survives restarts, revokes are atomic across connections, and session lists are served
// straight from an index.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FIXTURES, seedStore } from './seed';
import { SESSION_JSON_SQL } from './serialize';
import { LocalClerkStore, sessionListQuery, type SessionFilter } from './store';
import { startTestServer, tempDataDir } from '@/lib/testing/local-clerk-server';
import type { SessionJson, UserJson } from './types';

describe('persistence', () => {
  it('keeps a revoke, created sessions and the signing key across a restart, without reseeding', async () => {
    const dataDir = tempDataDir();
    try {
      const first = await startTestServer({ dataDir });
      const ada = (await first.call<UserJson[]>(`/v1/users?email_address=${SEED_FIXTURES.ada}`))
        .json[0] as UserJson;
      const active = (await first.call<SessionJson[]>(`/v1/sessions?user_id=${ada.id}&status=active`))
        .json[0] as SessionJson;
      const revoked = (await first.call<SessionJson>(`/v1/sessions/${active.id}/revoke`, { method: 'POST' }))
        .json;
      const created = (
        await first.call<SessionJson>('/v1/sessions', { method: 'POST', body: { user_id: ada.id } })
      ).json;
      const jwks = (await first.call('/v1/jwks')).json;
      const users = (await first.call('/v1/users/count')).json;
      await first.close(true);

      expect(fs.existsSync(path.join(dataDir, 'local-clerk.sqlite'))).toBe(true);
      const second = await startTestServer({ dataDir, seed: 'a-different-seed-is-ignored-once-seeded' });
      try {
        expect((await second.call(`/v1/sessions/${active.id}`)).json).toEqual(revoked);
        expect((await second.call(`/v1/sessions/${active.id}/revoke`, { method: 'POST' })).status).toBe(400);
        expect((await second.call(`/v1/sessions/${created.id}`)).json).toEqual(created);
        expect((await second.call('/v1/jwks')).json).toEqual(jwks);
        expect((await second.call('/v1/users/count')).json).toEqual(users);
        expect((await second.call(`/v1/users/${ada.id}`)).json.last_sign_in_at).toBe(created.created_at);
      } finally {
        await second.close(true);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('LocalClerkStore', () => {
  let dir: string;
  let store: LocalClerkStore;
  let heavyId: string;

  beforeAll(() => {
    dir = tempDataDir();
    store = new LocalClerkStore(path.join(dir, 'local-clerk.sqlite'));
    seedStore(store, 'store-test');
    const heavy = store.listUsers(
      { emailAddresses: [SEED_FIXTURES.heavy] },
      { field: 'created_at', direction: 'desc' },
      1,
      0,
    )[0] as UserJson;
    heavyId = heavy.id;
  });

  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=NORMAL and a busy timeout', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('serves every session list shape from an index, with no sort step', () => {
    const filters: [SessionFilter, string][] = [
      [{ userId: heavyId }, 'sessions_user'],
      [{ userId: heavyId, status: 'active' }, 'sessions_user_status'],
      [{ clientId: 'client_x' }, 'sessions_client'],
      [{ clientId: 'client_x', status: 'revoked' }, 'sessions_client_status'],
    ];
    for (const [filter, index] of filters) {
      for (const columns of ['*', SESSION_JSON_SQL]) {
        const { sql, params } = sessionListQuery(filter, columns);
        const plan = store.db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params, 500, 0)
          .map((r) => (r as { detail: string }).detail)
          .join('\n');
        expect(plan, JSON.stringify(filter)).toContain(`USING INDEX ${index}`);
        expect(plan, JSON.stringify(filter)).not.toContain('TEMP B-TREE');
      }
    }
  });

  it('builds the session list JSON byte for byte as JSON.stringify of the listed sessions', () => {
    for (const filter of [{ userId: heavyId }, { userId: heavyId, status: 'revoked' }] as SessionFilter[]) {
      for (const offset of [0, 4_700, 5_000]) {
        expect(store.listSessionsJson(filter, 500, offset)).toBe(
          JSON.stringify(store.listSessions(filter, 500, offset)),
        );
      }
    }

    // Shapes the seed does not produce: partly known activity, none, an actor, tasks, awkward characters.
    const now = 1_800_000_000_000;
    const clientId = 'client_jsonshapes';
    store.insertClient({
      id: clientId,
      sign_in_id: null,
      sign_up_id: null,
      last_authentication_strategy: null,
      created_at: now,
      updated_at: now,
    });
    const base = store.listSessions({ userId: heavyId }, 1, 0)[0] as SessionJson;
    const odd = 'Saint-\u00c9tienne "quoted" \\ \b\f\n\r\t \u0001\u001f\u007f \u2028 日本 😀';
    const variants: Partial<SessionJson>[] = [
      { latest_activity: null },
      { latest_activity: { object: 'session_activity', id: 'sess_activity_a', is_mobile: true } },
      {
        latest_activity: {
          object: 'session_activity',
          id: 'sess_activity_b',
          is_mobile: false,
          city: odd,
          ip_address: '2001:db8::1',
        },
      },
      { actor: { sub: 'user_x', iss: odd, nested: { n: 1.5, list: [true, null] } }, tasks: [{ key: odd }] },
      { status: 'pending', last_active_organization_id: 'org_1', tasks: [] },
    ];
    variants.forEach((v, i) =>
      store.insertSession({
        ...base,
        ...v,
        id: `sess_jsonshape${i}`,
        client_id: clientId,
        created_at: now + i,
      }),
    );
    const listed = store.listSessions({ clientId }, 10, 0);
    expect(listed).toHaveLength(variants.length);
    expect(store.listSessionsJson({ clientId }, 10, 0)).toBe(JSON.stringify(listed));
    expect(store.listSessionsJson({ clientId: 'client_none' }, 10, 0)).toBe('[]');
  });

  it('lets exactly one of two connections revoke the same session', () => {
    const other = new LocalClerkStore(path.join(dir, 'local-clerk.sqlite'));
    try {
      const target = store.listSessions({ userId: heavyId, status: 'active' }, 1, 0)[0] as SessionJson;
      const results = [
        store.revokeSession(target.id, Date.now()),
        other.revokeSession(target.id, Date.now()),
        store.revokeSession(target.id, Date.now()),
      ];
      expect(results.map((r) => r.ok)).toEqual([true, false, false]);
      expect(results[1]).toEqual({ ok: false, reason: 'not_active' });
      expect(other.getSession(target.id)?.status).toBe('revoked');
      expect(store.revokeSession('sess_missing', Date.now())).toEqual({ ok: false, reason: 'not_found' });
    } finally {
      other.close();
    }
  });

  it('treats user filters as data, never as SQL', () => {
    const total = store.countUsers({});
    expect(store.countUsers({ query: "' OR 1=1 --" })).toBe(0);
    expect(store.countUsers({ emailAddresses: ["x' OR '1'='1"] })).toBe(0);
    expect(store.countUsers({ userIdsOut: ['") OR 1=1 --'] })).toBe(total);
  });
});
