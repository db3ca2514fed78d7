// Users, JWT templates and JWKS of the embedded Backend API through the official @clerk/backend client, checked
// against shared/reference/clerk-bapi-contract.md §3.6 and §4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JwtTemplate, User } from '@clerk/backend';
import { captureClerkError, withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

const USER_ID = /^user_[A-Za-z0-9]{27}$/;
const IDN_ID = /^idn_[A-Za-z0-9]{27}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const ADA_EMAIL = 'ada.lovelace@example.com';
const ADA_PHONE = '+15550100001';
// Contract §4 "User": every field the spec marks required must be on the wire, even when null.
const REQUIRED_USER_FIELDS = [
  'id',
  'object',
  'username',
  'first_name',
  'last_name',
  'has_image',
  'primary_email_address_id',
  'primary_phone_number_id',
  'primary_web3_wallet_id',
  'password_enabled',
  'two_factor_enabled',
  'totp_enabled',
  'backup_code_enabled',
  'email_addresses',
  'phone_numbers',
  'web3_wallets',
  'passkeys',
  'external_accounts',
  'saml_accounts',
  'enterprise_accounts',
  'public_metadata',
  'external_id',
  'last_sign_in_at',
  'banned',
  'locked',
  'lockout_expires_in_seconds',
  'verification_attempts_remaining',
  'created_at',
  'updated_at',
  'delete_self_enabled',
  'create_organization_enabled',
  'last_active_at',
  'mfa_enabled_at',
  'mfa_disabled_at',
  'legal_accepted_at',
];
const REQUIRED_EMAIL_FIELDS = [
  'object',
  'email_address',
  'verification',
  'linked_to',
  'reserved',
  'created_at',
  'updated_at',
];
const TEMPLATE_FIELDS = [
  'id',
  'name',
  'claims',
  'lifetime',
  'allowedClockSkew',
  'customSigningKey',
  'signingAlgorithm',
  'createdAt',
  'updatedAt',
].sort();

let fx: LocalClerkFixture;
let ada: User;

function isMs(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n > 1e12 && n < 1e14;
}

function expectUser(u: User): void {
  expect(Object.getPrototypeOf(u)).not.toBe(Object.prototype);
  expect(u.id).toMatch(USER_ID);
  expect(isMs(u.createdAt)).toBe(true);
  expect(isMs(u.updatedAt)).toBe(true);
  const raw = u.raw as unknown as Record<string, unknown>;
  expect(raw.object).toBe('user');
  expect(REQUIRED_USER_FIELDS.filter((f) => !(f in raw))).toEqual([]);
  for (const e of raw.email_addresses as Record<string, unknown>[]) {
    expect(e.object).toBe('email_address');
    expect(REQUIRED_EMAIL_FIELDS.filter((f) => !(f in e))).toEqual([]);
  }
  for (const e of u.emailAddresses) {
    expect(e.id).toMatch(IDN_ID);
    expect(Array.isArray(e.linkedTo)).toBe(true);
  }
  for (const p of u.phoneNumbers) {
    expect(p.id).toMatch(IDN_ID);
    expect(Array.isArray(p.linkedTo)).toBe(true);
  }
  if (u.primaryEmailAddressId !== null) expect(u.primaryEmailAddress?.id).toBe(u.primaryEmailAddressId);
  if (u.primaryPhoneNumberId !== null) expect(u.primaryPhoneNumber?.id).toBe(u.primaryPhoneNumberId);
  expect(typeof u.banned).toBe('boolean');
  expect(typeof u.locked).toBe('boolean');
  expect(u.publicMetadata).toBeTypeOf('object');
}

async function findOne(email: string): Promise<User> {
  const { data, totalCount } = await fx.clerk.users.getUserList({ emailAddress: [email] });
  expect(totalCount).toBe(1);
  expect(data).toHaveLength(1);
  return data[0]!;
}

beforeAll(async () => {
  fx = await withLocalClerk();
  ada = await findOne(ADA_EMAIL);
});

afterAll(async () => {
  await fx?.close();
});

describe('users.getUserList', () => {
  it('finds Ada by exact email, with her emails, phone, primary ids and public metadata', async () => {
    expectUser(ada);
    expect(ada.firstName).toBe('Ada');
    expect(ada.lastName).toBe('Lovelace');
    expect(ada.fullName).toBe('Ada Lovelace');
    expect(ada.primaryEmailAddress?.emailAddress).toBe(ADA_EMAIL);
    expect(ada.emailAddresses.map((e) => e.emailAddress)).toContain(ADA_EMAIL);
    expect(ada.phoneNumbers.map((p) => p.phoneNumber)).toContain(ADA_PHONE);
    expect(ada.primaryPhoneNumber?.phoneNumber).toBe(ADA_PHONE);
    expect(ada.publicMetadata).toStrictEqual({ plan: 'pro', role: 'admin' });
  });

  it('finds Ada by query over email, name, phone and id, case-insensitively, with a matching totalCount', async () => {
    for (const query of [
      'ada.lovelace',
      'ADA.LOVELACE@EXAMPLE',
      'Lovelace',
      'lovelace',
      '5550100001',
      ada.id,
    ]) {
      const { data, totalCount } = await fx.clerk.users.getUserList({ query, limit: 100 });
      expect(
        data.map((u) => u.id),
        query,
      ).toContain(ada.id);
      expect(totalCount, query).toBe(data.length);
      expect(totalCount, query).toBe(await fx.clerk.users.getCount({ query }));
    }
  });

  it('filters by exact phone number and by user id, alone and as arrays', async () => {
    const byPhone = await fx.clerk.users.getUserList({ phoneNumber: [ADA_PHONE] });
    expect(byPhone.totalCount).toBe(1);
    expect(byPhone.data[0]).toStrictEqual(ada);

    const byId = await fx.clerk.users.getUserList({ userId: [ada.id] });
    expect(byId.totalCount).toBe(1);
    expect(byId.data[0]).toStrictEqual(ada);

    const five = await findOne('five.sessions@example.com');
    const pair = await fx.clerk.users.getUserList({ emailAddress: [ADA_EMAIL, 'five.sessions@example.com'] });
    expect(pair.totalCount).toBe(2);
    expect(pair.data.map((u) => u.id).sort()).toEqual([ada.id, five.id].sort());
    const ids = await fx.clerk.users.getUserList({ userId: [ada.id, five.id] });
    expect(ids.data.map((u) => u.id).sort()).toEqual([ada.id, five.id].sort());
  });

  it('returns an empty page and a zero count for no match', async () => {
    expect(await fx.clerk.users.getUserList({ emailAddress: ['nobody@example.com'] })).toEqual({
      data: [],
      totalCount: 0,
    });
    expect(await fx.clerk.users.getUserList({ query: 'zz-no-such-person-zz' })).toEqual({
      data: [],
      totalCount: 0,
    });
  });

  it('pages the full user list newest first; totalCount is the /users/count total, not the page size', async () => {
    const total = await fx.clerk.users.getCount();
    expect(total).toBeGreaterThanOrEqual(300);

    const first = await fx.clerk.users.getUserList({ limit: 5 });
    expect(first.data).toHaveLength(5);
    expect(first.totalCount).toBe(total);
    for (const u of first.data) expectUser(u);
    const second = await fx.clerk.users.getUserList({ limit: 5, offset: 5 });
    expect(second.data).toHaveLength(5);
    const firstIds = new Set(first.data.map((u) => u.id));
    expect(second.data.some((u) => firstIds.has(u.id))).toBe(false);

    const all = await fx.clerk.users.getUserList({ limit: 500 });
    expect(all.data).toHaveLength(Math.min(total, 500));
    for (let i = 1; i < all.data.length; i++) {
      expect(all.data[i - 1]!.createdAt).toBeGreaterThanOrEqual(all.data[i]!.createdAt);
    }
    expect(all.data.slice(0, 10).map((u) => u.id)).toEqual([...first.data, ...second.data].map((u) => u.id));

    const oldest = await fx.clerk.users.getUserList({ limit: 500, orderBy: '+created_at' });
    for (let i = 1; i < oldest.data.length; i++) {
      expect(oldest.data[i - 1]!.createdAt).toBeLessThanOrEqual(oldest.data[i]!.createdAt);
    }
    expect(oldest.totalCount).toBe(total);
  });

  it('round-trips hostile names unescaped and untruncated', async () => {
    const html = await findOne('hostile.html@example.com');
    expectUser(html);
    expect(html.firstName).toBe('<script>alert(1)</script>');
    const rtl = await findOne('hostile.rtl@example.com');
    expect(rtl.firstName).toContain('\u202E');
    const long = await findOne('hostile.long@example.com');
    expect(long.firstName).toHaveLength(2000);
  });
});

describe('users.getUser', () => {
  it('returns the same User as the list, with email addresses and metadata', async () => {
    const u = await fx.clerk.users.getUser(ada.id);
    expectUser(u);
    expect(u).toStrictEqual(ada);
    expect(u.emailAddresses.find((e) => e.id === u.primaryEmailAddressId)?.emailAddress).toBe(ADA_EMAIL);
    expect(u.publicMetadata).toStrictEqual({ plan: 'pro', role: 'admin' });
  });

  it('answers 404 resource_not_found for an unknown id', async () => {
    const unknown = `user_${'U'.repeat(27)}`;
    const e = await captureClerkError(fx.clerk.users.getUser(unknown));
    expect(e.status).toBe(404);
    expect(e.errors[0]?.code).toBe('resource_not_found');
    expect(e.errors[0]?.longMessage).toBe(`No user was found with id ${unknown}`);
    expect(e.clerkTraceId).toMatch(TRACE_ID);
  });
});

describe('jwtTemplates.list', () => {
  const claimsOf = (t: JwtTemplate) => t.claims as Record<string, unknown>;

  function byName(list: JwtTemplate[], name: string): JwtTemplate {
    const t = list.find((x) => x.name === name);
    if (!t) throw new Error(`template ${name} is missing`);
    return t;
  }

  it('lists the seeded templates with lifetime, clock skew and claims', async () => {
    const { data, totalCount } = await fx.clerk.jwtTemplates.list({ limit: 100 });
    expect(totalCount).toBeGreaterThanOrEqual(4);
    expect(data).toHaveLength(totalCount);
    for (const t of data) {
      expect(Object.getPrototypeOf(t)).not.toBe(Object.prototype);
      expect(Object.keys(t).sort()).toEqual(TEMPLATE_FIELDS);
      expect(t.id).toMatch(/^jtmp_[A-Za-z0-9]{27}$/);
      expect(t.customSigningKey).toBe(false);
      expect(t.signingAlgorithm).toBe('RS256');
      expect(isMs(t.createdAt)).toBe(true);
      expect(isMs(t.updatedAt)).toBe(true);
    }
    expect(new Set(data.map((t) => t.name)).size).toBe(data.length);

    const support = byName(data, 'support-debug');
    expect([support.lifetime, support.allowedClockSkew]).toEqual([60, 5]);
    expect(support.claims).toStrictEqual({
      email: '{{user.primary_email_address}}',
      name: '{{user.full_name}}',
      plan: '{{user.public_metadata.plan}}',
    });

    const hasura = byName(data, 'hasura');
    expect(hasura.lifetime).toBe(3600);
    const hasuraClaims = claimsOf(hasura)['https://hasura.io/jwt/claims'] as Record<string, unknown>;
    expect(hasuraClaims['x-hasura-user-id']).toBe('{{user.id}}');
    expect(hasuraClaims['x-hasura-default-role']).toBe("{{user.public_metadata.role || 'user'}}");

    const analytics = byName(data, 'analytics');
    expect([analytics.lifetime, analytics.allowedClockSkew]).toEqual([300, 10]);
    expect(claimsOf(analytics).display).toBe('{{user.first_name}} {{user.last_name}}');

    const longLived = byName(data, 'long-lived');
    expect([longLived.lifetime, longLived.allowedClockSkew]).toEqual([86400, 0]);
    expect(claimsOf(longLived).aud).toBe('internal-tools');
  });

  it('pages with limit and offset', async () => {
    const all = await fx.clerk.jwtTemplates.list({ limit: 100 });
    const first = await fx.clerk.jwtTemplates.list({ limit: 2 });
    const second = await fx.clerk.jwtTemplates.list({ limit: 2, offset: 2 });
    expect(first.totalCount).toBe(all.totalCount);
    expect(second.totalCount).toBe(all.totalCount);
    expect([...first.data, ...second.data].map((t) => t.id)).toEqual(all.data.slice(0, 4).map((t) => t.id));
  });
});

describe('jwks.getJwks', () => {
  it('publishes the instance RSA signing key', async () => {
    const jwks = await fx.clerk.jwks.getJwks();
    expect(jwks.keys?.length).toBeGreaterThanOrEqual(1);
    for (const k of jwks.keys ?? []) {
      expect(k).toMatchObject({ use: 'sig', kty: 'RSA', alg: 'RS256', e: 'AQAB' });
      expect(k.kid).toMatch(/^ins_[A-Za-z0-9]+$/);
      // A 2048-bit modulus is 342 base64url characters; the private exponent must never be published.
      expect(k.n.length).toBeGreaterThanOrEqual(342);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(secret);
    }
  });
});
