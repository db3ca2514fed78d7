// The SQLite store: state survives restarts, revokes are atomic across connections, and session lists are served
// straight from an index.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FIXTURES, seedStore } from './seed';
import { SESSION_JSON_SQL } from './serialize';
import { LocalClerkStore, sessionListQuery, type SessionFilter } from './store';
import { startTestServer, tempDataDir } from '@/lib/testing/local-clerk-server';
import { ID_PREFIX, newId } from './ids';
import type { ApiKeyJson, SessionJson, UserJson } from './types';

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

describe('account state', () => {
  let dir: string;
  let store: LocalClerkStore;
  let users: UserJson[];

  beforeAll(() => {
    dir = tempDataDir();
    store = new LocalClerkStore(path.join(dir, 'local-clerk.sqlite'));
    seedStore(store, 'account-test');
    users = store
      .listUsers({ banned: false }, { field: 'created_at', direction: 'asc' }, 500, 0)
      .filter((u) => !u.locked && u.password_enabled);
  });

  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const client = (now: number) => ({
    id: newId(ID_PREFIX.client, now),
    sign_in_id: null,
    sign_up_id: null,
    last_authentication_strategy: null,
    created_at: now,
    updated_at: now,
  });
  const session = (userId: string, clientId: string, now: number): SessionJson => ({
    object: 'session',
    id: newId(ID_PREFIX.session, now),
    user_id: userId,
    client_id: clientId,
    actor: null,
    status: 'active',
    last_active_organization_id: null,
    last_active_at: now,
    latest_activity: null,
    expire_at: now + 3600_000,
    abandon_at: now + 7200_000,
    updated_at: now,
    created_at: now,
    tasks: null,
  });

  it('counts a lock down, and a lock whose time has passed reads as unlocked', () => {
    const [a, b] = users as [UserJson, UserJson];
    const now = Date.now();
    // Locked an hour ago less 90 s: 90 s left; locked an hour and a second ago: already over.
    store.account.lockUser(a.id, now - 3600_000 + 90_000);
    store.account.lockUser(b.id, now - 3601_000);
    const left = store.getUser(a.id);
    expect(left?.locked).toBe(true);
    expect(left?.lockout_expires_in_seconds).toBeGreaterThan(80);
    expect(left?.lockout_expires_in_seconds).toBeLessThanOrEqual(90);
    expect(store.getUser(b.id)).toMatchObject({ locked: false, lockout_expires_in_seconds: null });
    const c = client(now);
    expect(() => store.createSession(c, session(b.id, c.id, now))).not.toThrow();
  });

  it('never sends the stored account state, only what derives from it', () => {
    const u = users[2] as UserJson;
    store.account.setPasswordCompromised(u.id, Date.now(), false);
    store.account.lockUser(u.id, Date.now());
    const wire = JSON.stringify([
      store.getUser(u.id),
      ...store.listUsers({ userIdsIn: [u.id] }, { field: 'created_at', direction: 'asc' }, 1, 0),
    ]);
    expect(wire).not.toContain('__');
    expect(store.getUser(u.id)).toMatchObject({ locked: true, requires_password_reset: true });
    store.account.unlockUser(u.id, Date.now());
    store.account.unsetPasswordCompromised(u.id, Date.now());
    expect(store.getUser(u.id)).toMatchObject({ locked: false, requires_password_reset: false });
  });

  it('refuses a session for a banned user without writing anything, in the same transaction as the check', () => {
    const u = users[3] as UserJson;
    store.account.banUsers([u.id], Date.now());
    const now = Date.now();
    const c = client(now);
    const s = session(u.id, c.id, now);
    expect(() => store.createSession(c, s)).toThrow(/banned/);
    expect(store.getClient(c.id)).toBeUndefined();
    expect(store.getSession(s.id)).toBeUndefined();
    expect(store.getUser(u.id)?.last_sign_in_at).toBe(u.last_sign_in_at);
  });

  it('a ban seen by another connection: the session it revoked stays revoked there', () => {
    const u = users[4] as UserJson;
    const other = new LocalClerkStore(path.join(dir, 'local-clerk.sqlite'));
    try {
      const live = other.listSessions({ userId: u.id, status: 'active' }, 500, 0);
      store.account.banUsers([u.id], Date.now());
      for (const s of live) expect(other.getSession(s.id)?.status).toBe('revoked');
      expect(other.countUsers({ banned: true, userIdsIn: [u.id] })).toBe(1);
    } finally {
      other.close();
    }
  });

  it('disabling MFA for a user who has none changes nothing', () => {
    const u = users.slice(10).find((x) => !x.two_factor_enabled && x.mfa_disabled_at === null) as UserJson;
    const result = store.account.disableMfa(u.id, Date.now());
    expect(result.ok && result.user).toMatchObject({ mfa_disabled_at: null, updated_at: u.updated_at });
  });

  it('lists API keys by validity: a key past its expiration reads as expired', () => {
    const u = users[5] as UserJson;
    const now = Date.now();
    const key = (id: string, expiration: number | null, revoked = false): ApiKeyJson => ({
      object: 'api_key',
      id,
      type: 'api_key',
      subject: u.id,
      name: id,
      description: null,
      claims: null,
      scopes: [],
      revoked,
      revocation_reason: null,
      expired: false,
      expiration,
      created_by: null,
      last_used_at: null,
      created_at: now,
      updated_at: now,
    });
    store.account.insertApiKey(key(`ak_${'1'.repeat(32)}`, null), 'x');
    store.account.insertApiKey(key(`ak_${'2'.repeat(32)}`, now - 1), 'x');
    store.account.insertApiKey(key(`ak_${'3'.repeat(32)}`, null, true), 'x');
    const f = { subject: u.id, type: 'api_key', includeInvalid: false };
    expect(store.account.listApiKeys(f, 10, 0, now).data.map((k) => k.id)).toEqual([`ak_${'1'.repeat(32)}`]);
    const all = store.account.listApiKeys({ ...f, includeInvalid: true }, 10, 0, now);
    expect(all.total_count).toBe(3);
    expect(all.data.find((k) => k.id === `ak_${'2'.repeat(32)}`)?.expired).toBe(true);
  });
});
