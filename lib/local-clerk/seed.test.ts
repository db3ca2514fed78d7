// The seed: deterministic, realistic and internally consistent, with the exact fixtures other suites rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClerkStore } from './store';
import {
  buildSeed,
  HOSTILE_VALUES,
  SEED_FIXTURES,
  SEED_JWT_TEMPLATES,
  seedStore,
  type SeedData,
} from './seed';
import { ACCOUNT_FIXTURES, PLANTED_LOCKOUT_SECONDS } from './seed-account';
import { PASSWORD_COMPROMISED, type StoredUser } from './serialize';
import { RISK_FIXTURES } from './seed-risk';
import { startTestServer, tempDataDir, type TestServer } from '@/lib/testing/local-clerk-server';
import { SESSION_STATUSES, type SessionJson, type UserJson } from './types';
import fs from 'node:fs';
import path from 'node:path';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

let data: SeedData;
const userByEmail = (email: string): StoredUser => {
  const u = data.users.find((x) => x.email_addresses.some((e) => e.email_address === email));
  if (!u) throw new Error(`${email} is not seeded`);
  return u;
};
const sessionsOf = (u: UserJson): SessionJson[] => data.sessions.filter((s) => s.user_id === u.id);
const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {});

beforeAll(() => {
  data = buildSeed('session-console', NOW);
});

describe('determinism', () => {
  it('gives the same ids, names and relative times for the same seed, anchored to the seeding moment', () => {
    const later = buildSeed('session-console', NOW + 3 * DAY);
    const users = (d: SeedData, now: number) =>
      d.users.map((u) => [
        u.id,
        u.first_name,
        u.last_name,
        u.email_addresses[0]?.email_address,
        u.created_at - now,
        u.last_active_at! - now,
      ]);
    const sessions = (d: SeedData, now: number) =>
      d.sessions.map((s) => [
        s.id,
        s.client_id,
        s.status,
        s.latest_activity?.city,
        s.created_at - now,
        s.last_active_at - now,
        s.expire_at - now,
      ]);
    expect(later.instanceId).toBe(data.instanceId);
    expect(users(later, NOW + 3 * DAY)).toEqual(users(data, NOW));
    expect(sessions(later, NOW + 3 * DAY)).toEqual(sessions(data, NOW));
    expect(later.templates.map((t) => t.template.id)).toEqual(data.templates.map((t) => t.template.id));
  });

  it('gives different data for a different seed', () => {
    const other = buildSeed('another-seed', NOW);
    const ids = new Set(data.users.map((u) => u.id));
    expect(other.users.filter((u) => ids.has(u.id))).toEqual([]);
    expect(other.users.slice(6, 20).map((u) => u.last_name)).not.toEqual(
      data.users.slice(6, 20).map((u) => u.last_name),
    );
    // The fixtures are there whatever the seed.
    expect(
      other.users.filter((u) =>
        Object.values(SEED_FIXTURES).includes(u.email_addresses[0]?.email_address as never),
      ),
    ).toHaveLength(6);
  });
});

describe('volume and variety', () => {
  it('has 300+ ordinary users and 3,000+ sessions besides the heavy user, over all eight statuses', () => {
    const heavy = userByEmail(SEED_FIXTURES.heavy);
    expect(data.users.length - 6).toBeGreaterThanOrEqual(300);
    const others = data.sessions.filter((s) => s.user_id !== heavy.id);
    expect(others.length).toBeGreaterThanOrEqual(3000);
    const statuses = countBy(others, (s) => s.status);
    for (const status of SESSION_STATUSES) expect(statuses[status], status).toBeGreaterThan(0);
    // Mostly active, as on a live instance.
    expect(statuses.active).toBe(Math.max(...Object.values(statuses)));
    expect(data.sessions.length).toBeGreaterThanOrEqual(8000);
  });

  it('has multi-session clients: several users on one client, and one user several times on one client', () => {
    const byClient = new Map<string, SessionJson[]>();
    for (const s of data.sessions) byClient.set(s.client_id, [...(byClient.get(s.client_id) ?? []), s]);
    const multiUser = [...byClient.values()].filter((ss) => new Set(ss.map((s) => s.user_id)).size > 1);
    expect(multiUser.length).toBeGreaterThan(5);
    expect(
      [...byClient.values()].some((ss) => ss.length > 1 && new Set(ss.map((s) => s.user_id)).size === 1),
    ).toBe(true);
    // Every session's client exists.
    const clients = new Set(data.clients.map((c) => c.id));
    expect(data.sessions.every((s) => clients.has(s.client_id))).toBe(true);
  });

  it('has impersonation sessions, organization sessions and pending sessions with their task', () => {
    const impersonated = data.sessions.filter((s) => s.actor);
    expect(impersonated.length).toBeGreaterThan(5);
    for (const s of impersonated) {
      expect(s.actor).toEqual({
        sub: expect.stringMatching(/^user_[A-Za-z0-9]{27}$/),
        iss: 'https://dashboard.clerk.com',
      });
      expect(s.actor?.sub).not.toBe(s.user_id);
    }
    const withOrg = data.sessions.filter((s) => s.last_active_organization_id);
    expect(withOrg.length).toBeGreaterThan(50);
    for (const s of withOrg) expect(s.last_active_organization_id).toMatch(/^org_[A-Za-z0-9]{27}$/);
    const compromised = userByEmail(ACCOUNT_FIXTURES.compromised).id;
    for (const s of data.sessions) {
      const task = s.user_id === compromised ? 'reset-password' : 'choose-organization';
      expect(s.tasks).toEqual(s.status === 'pending' ? [{ key: task }] : null);
    }
  });

  it('uses realistic devices and browsers, only documentation IPs, and country codes', () => {
    const devices = countBy(
      data.sessions.filter((s) => s.latest_activity?.device_type !== HOSTILE_VALUES.rtlDeviceType),
      (s) => s.latest_activity?.device_type ?? '',
    );
    expect(Object.keys(devices).sort()).toEqual([
      'Android',
      'Linux',
      'Macintosh',
      'Windows',
      'iPad',
      'iPhone',
    ]);
    const mobile = new Set(['iPhone', 'Android', 'iPad']);
    const IP =
      /^(192\.0\.2|198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$|^2001:db8:[0-9a-f:]+$/;
    const wrong = data.sessions.filter((s) => {
      const a = s.latest_activity;
      if (!a) return true;
      if (a.device_type === HOSTILE_VALUES.rtlDeviceType) return false;
      return (
        a.is_mobile !== mobile.has(a.device_type ?? '') ||
        !IP.test(a.ip_address ?? '') ||
        !/^[A-Z]{2}$/.test(a.country ?? '') ||
        !/^\d+\.\d+/.test(a.browser_version ?? '')
      );
    });
    expect(wrong.map((s) => s.latest_activity)).toEqual([]);
    expect(new Set(data.sessions.map((s) => s.latest_activity?.country)).size).toBeGreaterThan(10);
  });
});

describe('consistency', () => {
  it('keeps every session timeline consistent with its status', () => {
    const live = new Set(['active', 'pending']);
    // One documented exception: the planted stale session lives on a 90-day lifetime (it is 45 days unused).
    const stale = userByEmail(RISK_FIXTURES.stale);
    const longLived = data.sessions.filter((s) => s.expire_at - s.created_at !== 7 * DAY);
    expect(
      longLived.map((s) => [s.user_id, s.expire_at - s.created_at, s.abandon_at - s.created_at]),
    ).toEqual([[stale.id, 90 * DAY, 90 * DAY]]);
    const wrong = data.sessions.filter(
      (s) =>
        (!longLived.includes(s) && s.expire_at - s.created_at !== 7 * DAY) ||
        (!longLived.includes(s) && s.abandon_at - s.created_at !== 30 * DAY) ||
        s.last_active_at < s.created_at ||
        s.last_active_at > NOW ||
        s.updated_at < s.last_active_at ||
        s.updated_at > NOW ||
        (live.has(s.status) && s.expire_at <= NOW) ||
        (s.status === 'expired' && s.expire_at > NOW) ||
        (s.status === 'abandoned' && s.abandon_at > NOW) ||
        (s.status !== 'expired' && s.status !== 'abandoned' && s.last_active_at >= s.expire_at),
    );
    expect(wrong).toEqual([]);
  });

  it('derives user activity from sessions, and banned users have no live session', () => {
    for (const u of data.users) {
      const ss = sessionsOf(u);
      expect(u.last_sign_in_at).toBe(Math.max(...ss.map((s) => s.created_at)));
      expect(u.last_active_at).toBe(Math.max(...ss.map((s) => s.last_active_at)));
      expect(u.created_at).toBeLessThan(Math.min(...ss.map((s) => s.created_at)));
      if (u.banned) expect(ss.filter((s) => s.status === 'active' || s.status === 'pending')).toEqual([]);
    }
    expect(data.users.filter((u) => u.banned).length).toBeGreaterThan(0);
    expect(data.users.filter((u) => u.locked).length).toBeGreaterThan(0);
  });

  it('gives users the full Clerk shape with fictional contact details only', () => {
    const emails = new Set<string>();
    for (const u of data.users) {
      expect(u.id).toMatch(/^user_[A-Za-z0-9]{27}$/);
      for (const e of u.email_addresses) {
        expect(e.email_address).toMatch(/^[a-z0-9._]+@example\.(com|org|net)$/);
        expect(emails.has(e.email_address), e.email_address).toBe(false);
        emails.add(e.email_address);
        expect(Array.isArray(e.linked_to)).toBe(true);
        expect(e.id).toMatch(/^idn_[A-Za-z0-9]{27}$/);
      }
      for (const p of u.phone_numbers) {
        expect(p.phone_number).toMatch(/^\+1555010\d{4}$/);
        expect(Array.isArray(p.linked_to)).toBe(true);
      }
      expect(u.primary_email_address_id).toBe(u.email_addresses[0]?.id);
      expect(u.primary_phone_number_id).toBe(u.phone_numbers[0]?.id ?? null);
      expect(['free', 'pro', 'enterprise']).toContain(u.public_metadata.plan);
      for (const k of [
        'web3_wallets',
        'passkeys',
        'external_accounts',
        'saml_accounts',
        'enterprise_accounts',
      ] as const)
        expect(Array.isArray(u[k])).toBe(true);
      for (const linked of u.email_addresses.flatMap((e) => e.linked_to)) {
        expect((u.external_accounts as { id: string }[]).map((x) => x.id)).toContain(linked.id);
      }
    }
    expect(data.users.some((u) => u.public_metadata.role !== undefined)).toBe(true);
    expect(data.users.some((u) => u.external_accounts.length > 0)).toBe(true);
  });
});

describe('fixtures', () => {
  it('seeds Ada with her phone, metadata and exactly six sessions (two active on one client)', () => {
    const ada = userByEmail(SEED_FIXTURES.ada);
    expect([ada.first_name, ada.last_name, ada.phone_numbers[0]?.phone_number]).toEqual([
      'Ada',
      'Lovelace',
      '+15550100001',
    ]);
    expect(ada.public_metadata).toEqual({ plan: 'pro', role: 'admin' });
    const ss = sessionsOf(ada);
    expect(countBy(ss, (s) => s.status)).toEqual({ active: 3, revoked: 1, ended: 1, expired: 1 });
    const activeClients = countBy(
      ss.filter((s) => s.status === 'active'),
      (s) => s.client_id,
    );
    expect(Object.values(activeClients).sort()).toEqual([1, 2]);
  });

  it('seeds five.sessions with five active sessions and heavy.user with 5,000 mixed ones', () => {
    const five = userByEmail(SEED_FIXTURES.fiveSessions);
    expect([five.first_name, five.last_name]).toEqual(['Five', 'Sessions']);
    expect(sessionsOf(five).map((s) => s.status)).toEqual(Array(5).fill('active'));
    const heavy = userByEmail(SEED_FIXTURES.heavy);
    expect([heavy.first_name, heavy.last_name]).toEqual(['Heavy', 'User']);
    const ss = sessionsOf(heavy);
    expect(ss).toHaveLength(5000);
    const statuses = countBy(ss, (s) => s.status);
    expect(statuses.active).toBeGreaterThanOrEqual(1000);
    expect(Object.keys(statuses)).toHaveLength(8);
  });

  it('seeds the hostile users verbatim, each with at least two active sessions', () => {
    const html = userByEmail(SEED_FIXTURES.hostileHtml);
    expect([html.first_name, html.last_name]).toEqual([
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
    ]);
    for (const s of sessionsOf(html)) {
      expect(s.latest_activity?.browser_name).toBe('<b>Bold</b>Browser');
      expect(s.latest_activity?.city).toBe('javascript:alert(3)');
    }
    const rtl = userByEmail(SEED_FIXTURES.hostileRtl);
    expect(rtl.first_name).toBe('Mallory\u202Egnp.exe');
    for (const s of sessionsOf(rtl)) expect(s.latest_activity?.device_type).toContain('\u202E');
    const long = userByEmail(SEED_FIXTURES.hostileLong);
    expect(long.first_name).toHaveLength(2000);
    for (const u of [html, rtl, long])
      expect(sessionsOf(u).filter((s) => s.status === 'active').length).toBeGreaterThanOrEqual(2);
  });

  it('seeds the four JWT templates with their exact lifetimes, skews and claims', () => {
    const byName = Object.fromEntries(data.templates.map(({ template: t }) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(Object.values(SEED_JWT_TEMPLATES).sort());
    expect(byName['support-debug']).toMatchObject({
      lifetime: 60,
      allowed_clock_skew: 5,
      claims: {
        email: '{{user.primary_email_address}}',
        name: '{{user.full_name}}',
        plan: '{{user.public_metadata.plan}}',
      },
    });
    expect(byName.hasura).toMatchObject({
      lifetime: 3600,
      allowed_clock_skew: 5,
      claims: {
        'https://hasura.io/jwt/claims': {
          'x-hasura-user-id': '{{user.id}}',
          'x-hasura-default-role': "{{user.public_metadata.role || 'user'}}",
          'x-hasura-allowed-roles': ['user', 'admin'],
        },
      },
    });
    expect(byName.analytics).toMatchObject({
      lifetime: 300,
      allowed_clock_skew: 10,
      claims: {
        display: '{{user.first_name}} {{user.last_name}}',
        verified: '{{user.email_verified}}',
        created: '{{user.created_at}}',
        source: 'session-console',
      },
    });
    expect(byName['long-lived']).toMatchObject({
      lifetime: 86400,
      allowed_clock_skew: 0,
      claims: {
        aud: 'internal-tools',
        actor: '{{session.actor}}',
        org: '{{session.last_active_organization_id}}',
      },
    });
    for (const t of Object.values(byName))
      expect([t.custom_signing_key, t.signing_algorithm]).toEqual([false, 'RS256']);
  });
});

describe('account security', () => {
  it('plants one banned, one locked, one flagged-password and one secured user', () => {
    const banned = userByEmail(ACCOUNT_FIXTURES.banned);
    expect(banned.banned).toBe(true);
    expect(sessionsOf(banned).filter((s) => s.status === 'active' || s.status === 'pending')).toEqual([]);
    expect(sessionsOf(banned).filter((s) => s.status === 'revoked')).toHaveLength(2);
    expect(userByEmail(ACCOUNT_FIXTURES.locked)).toMatchObject({
      locked: true,
      lockout_expires_in_seconds: PLANTED_LOCKOUT_SECONDS,
    });
    const compromised = userByEmail(ACCOUNT_FIXTURES.compromised);
    expect(compromised[PASSWORD_COMPROMISED]).toBe(true);
    expect(
      sessionsOf(compromised)
        .map((s) => s.status)
        .sort(),
    ).toEqual(['active', 'active', 'pending']);
    const secured = userByEmail(ACCOUNT_FIXTURES.secured);
    expect(secured).toMatchObject({
      two_factor_enabled: true,
      totp_enabled: true,
      backup_code_enabled: true,
    });
    const keys = data.apiKeys.filter((k) => k.key.subject === secured.id).map((k) => k.key);
    expect(keys.map((k) => [k.name, k.revoked, k.expiration !== null && k.expiration < NOW])).toEqual([
      ['ci-deploy', false, false],
      ['reporting-export', true, false],
      ['local-dev', false, true],
    ]);
    expect(data.trustedDevices.filter((d) => d.userId === secured.id)).toHaveLength(2);
  });

  it('gives some ordinary users API keys and trusted devices, the same for the same seed', () => {
    const ids = new Set(data.users.map((u) => u.id));
    const fixtureIds = new Set(
      [...Object.values(SEED_FIXTURES), ...Object.values(RISK_FIXTURES)].map((e) => userByEmail(e).id),
    );
    const owners = new Set(data.apiKeys.map((k) => k.key.subject));
    expect(owners.size).toBeGreaterThan(10);
    for (const { key } of data.apiKeys) {
      expect(ids.has(key.subject)).toBe(true);
      expect(fixtureIds.has(key.subject)).toBe(false);
      expect(key.id).toMatch(/^ak_[0-9a-f]{32}$/);
      expect(key.last_used_at === null || key.last_used_at >= key.created_at).toBe(true);
    }
    expect(new Set(data.apiKeys.map((k) => k.key.id)).size).toBe(data.apiKeys.length);
    for (const d of data.trustedDevices) expect(ids.has(d.userId) && !fixtureIds.has(d.userId)).toBe(true);
    const again = buildSeed('session-console', NOW + DAY);
    expect(again.apiKeys.map((k) => k.key.id)).toEqual(data.apiKeys.map((k) => k.key.id));
    expect(again.trustedDevices.map((d) => d.device.id)).toEqual(data.trustedDevices.map((d) => d.device.id));
  });
});

describe('seedStore', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes 8,000+ sessions in one transaction, and only into an empty store', () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const store = new LocalClerkStore(path.join(dir, 'x.sqlite'));
    try {
      const summary = seedStore(store, 'session-console');
      expect(summary?.sessions).toBeGreaterThanOrEqual(8000);
      expect(store.countSessions({ userId: userByEmail(SEED_FIXTURES.heavy).id })).toBe(5000);
      expect(seedStore(store, 'another-seed')).toBeNull();
      expect(store.countUsers({})).toBe(data.users.length);
    } finally {
      store.close();
    }
  });
});

describe('seeded servers', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('serve the same ids from two data directories seeded with the same seed', async () => {
    servers.push(
      ...(await Promise.all([startTestServer({ seed: 'twin' }), startTestServer({ seed: 'twin' })])),
    );
    const [a, b] = servers as [TestServer, TestServer];
    expect(a.dataDir).not.toBe(b.dataDir);
    const ids = async (s: TestServer) =>
      (await s.call<UserJson[]>('/v1/users?limit=500&order_by=%2Bcreated_at')).json.map((u) => u.id);
    const [idsA, idsB] = await Promise.all([ids(a), ids(b)]);
    expect(idsA.length).toBeGreaterThanOrEqual(306);
    expect(idsB).toEqual(idsA);
    const adaSessions = async (s: TestServer) => {
      const ada = (await s.call<UserJson[]>(`/v1/users?email_address=${SEED_FIXTURES.ada}`))
        .json[0] as UserJson;
      return (await s.call<SessionJson[]>(`/v1/sessions?user_id=${ada.id}`)).json.map((x) => [
        x.id,
        x.client_id,
        x.status,
      ]);
    };
    expect(await adaSessions(b)).toEqual(await adaSessions(a));
  });
});
