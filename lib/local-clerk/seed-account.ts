// Drawn last (own random stream), so the users, sessions and templates other suites rely on do not move.
import { createHash } from 'node:crypto';
import { ksuid } from './ids';
import { createRng, type Rng } from './rng';
import type { SeedBuilder } from './seed-builder';
import { DAY, HOUR, ID_TIME_BASE, MIN, REGIONS, type Region } from './seed-data';
import { LOCKOUT_UNTIL, PASSWORD_COMPROMISED, type StoredUser } from './serialize';
import type { ApiKeyJson, TrustedDeviceJson, UserJson } from './types';

export const ACCOUNT_FIXTURES = {
  banned: 'banned.demo@example.com',
  locked: 'locked.demo@example.com',
  compromised: 'compromised.password@example.com',
  secured: 'secured.account@example.com',
} as const;

export const PLANTED_LOCKOUT_SECONDS = 7 * 24 * 3600;

export interface SeedApiKey {
  key: ApiKeyJson;
  secretSha256: string;
}

export interface SeedTrustedDevice {
  userId: string;
  device: TrustedDeviceJson;
}

export interface AccountSeed {
  apiKeys: SeedApiKey[];
  trustedDevices: SeedTrustedDevice[];
}

const APP_IDS = { ios: 'com.example.sessionconsole', android: 'com.example.sessionconsole.android' } as const;
const DEVICE_NAMES = {
  ios: ['iPhone 16', 'iPhone 15 Pro', 'iPad Air'],
  android: ['Pixel 9', 'Galaxy S25', 'OnePlus 13'],
} as const;
const KEY_NAMES = [
  'ci-deploy',
  'reporting-export',
  'zapier-sync',
  'local-dev',
  'billing-webhook',
  'backup-job',
];
const SCOPES = ['read', 'write', 'admin'];

const hex = (rng: Rng, bytes: number) => Buffer.from(rng.bytes(bytes)).toString('hex');

export function plantAccountUsers(b: SeedBuilder): UserJson[] {
  const us = REGIONS[0] as Region;
  const plan = (email: string, first: string, last: string, extra: { banned?: boolean; locked?: boolean }) =>
    b.planPerson({
      first,
      last,
      email: b.reserveEmail(email),
      phone: null,
      username: null,
      region: us,
      strategy: 'password',
      banned: extra.banned ?? false,
      locked: extra.locked ?? false,
      publicMetadata: { plan: 'pro' },
      orgId: null,
      createdAt: b.now - 300 * DAY,
    });
  const finish = (p: ReturnType<typeof plan>, statuses: ('active' | 'ended' | 'pending')[]) =>
    b.finishUser(
      p,
      b.addSessions(
        p,
        statuses.map((status) => ({ status, actor: null })),
        { impersonation: 0, allowShared: false },
      ),
    ) as StoredUser;

  const banned = finish(plan(ACCOUNT_FIXTURES.banned, 'Bianca', 'Banned', { banned: true }), [
    'active',
    'active',
    'ended',
  ]);
  const locked = finish(plan(ACCOUNT_FIXTURES.locked, 'Lars', 'Locked', { locked: true }), [
    'active',
    'ended',
  ]);
  locked.lockout_expires_in_seconds = PLANTED_LOCKOUT_SECONDS;
  locked.verification_attempts_remaining = 0;
  const compromised = finish(plan(ACCOUNT_FIXTURES.compromised, 'Casey', 'Compromised', {}), [
    'active',
    'active',
    'pending',
  ]);
  compromised.password_enabled = true;
  compromised[PASSWORD_COMPROMISED] = true;
  for (const s of b.sessions)
    if (s.user_id === compromised.id && s.status === 'pending') s.tasks = [{ key: 'reset-password' }];
  const secured = finish(plan(ACCOUNT_FIXTURES.secured, 'Sasha', 'Secured', {}), ['active', 'active']);
  Object.assign(secured, {
    password_enabled: true,
    two_factor_enabled: true,
    totp_enabled: true,
    backup_code_enabled: true,
    mfa_enabled_at: secured.created_at + 2 * DAY,
  });
  return [banned, locked, compromised, secured];
}

export function withLockDeadline(u: UserJson, now: number): StoredUser {
  if (!u.locked || (u as StoredUser)[LOCKOUT_UNTIL] !== undefined) return u;
  return {
    ...u,
    [LOCKOUT_UNTIL]: u.lockout_expires_in_seconds === null ? null : now + u.lockout_expires_in_seconds * 1000,
  };
}

export function buildAccountSeed(
  seed: string,
  now: number,
  users: UserJson[],
  secured: UserJson,
): AccountSeed {
  const rng = createRng(seed, 'account');
  const tdId = (at: number) => `td_${ksuid(ID_TIME_BASE + (at - now), rng.bytes(16))}`;
  const apiKeys: SeedApiKey[] = [];
  const trustedDevices: SeedTrustedDevice[] = [];

  const key = (user: UserJson, name: string, state: 'active' | 'revoked' | 'expired'): void => {
    const created = Math.max(user.created_at, now - rng.int(5 * DAY, 200 * DAY));
    const expiration =
      state === 'expired'
        ? created + rng.int(1, 3) * DAY
        : rng.chance(0.4)
          ? now + rng.int(30, 365) * DAY
          : null;
    const lastUsed = rng.chance(0.8) ? Math.min(now - rng.int(MIN, 3 * DAY), expiration ?? now) : null;
    const updated = state === 'revoked' ? Math.min(now, created + rng.int(HOUR, 30 * DAY)) : created;
    apiKeys.push({
      key: {
        object: 'api_key',
        id: `ak_${hex(rng, 16)}`,
        type: 'api_key',
        subject: user.id,
        name,
        description: rng.chance(0.5) ? `Used by ${name}` : null,
        claims: null,
        scopes: SCOPES.filter(() => rng.chance(0.5)),
        revoked: state === 'revoked',
        revocation_reason: state === 'revoked' ? 'Rotated' : null,
        expired: false,
        expiration,
        created_by: user.id,
        last_used_at: lastUsed !== null && lastUsed > created ? lastUsed : null,
        created_at: created,
        updated_at: updated,
      },
      // Seeded secrets are never shown (only a created key's is, once); a digest of random bytes stands in.
      secretSha256: createHash('sha256').update(rng.bytes(32)).digest('hex'),
    });
  };
  const device = (user: UserJson, platform: 'ios' | 'android'): void => {
    const created = Math.max(user.created_at, now - rng.int(DAY, 180 * DAY));
    trustedDevices.push({
      userId: user.id,
      device: {
        object: 'trusted_device',
        id: tdId(created),
        platform,
        app_identifier: APP_IDS[platform],
        name: rng.chance(0.85) ? rng.pick(DEVICE_NAMES[platform]) : null,
        algorithm: 'ES256',
        status: 'active',
        created_at: created,
        updated_at: created,
        last_used_at: rng.chance(0.9) ? now - rng.int(MIN, 10 * DAY) : null,
        revoked_at: null,
      },
    });
  };

  key(secured, 'ci-deploy', 'active');
  key(secured, 'reporting-export', 'revoked');
  key(secured, 'local-dev', 'expired');
  device(secured, 'ios');
  device(secured, 'android');
  for (const u of users) {
    if (u.id === secured.id || u.banned) continue;
    if (rng.chance(0.08)) {
      const n = rng.int(1, 3);
      for (let i = 0; i < n; i++)
        key(
          u,
          rng.pick(KEY_NAMES),
          rng.weighted([
            ['active', 80],
            ['revoked', 15],
            ['expired', 5],
          ] as const),
        );
    }
    if (u.two_factor_enabled && rng.chance(0.3)) device(u, rng.chance(0.6) ? 'ios' : 'android');
  }
  return { apiKeys, trustedDevices };
}
