import { ID_PREFIX, type IdPrefix } from './ids';
import type { Rng } from './rng';
import { DAY, HOUR, MIN, type PersonPlan } from './seed-data';
import type { EmailAddressJson, PhoneNumberJson, SessionJson, UserJson } from './types';

export interface UserBuilder {
  readonly rng: Rng;
  readonly instanceId: string;
  id(prefix: IdPrefix, atMs: number): string;
  uniqueEmail(first: string, last: string): string;
}

export function buildUser(b: UserBuilder, p: PersonPlan, sessions: SessionJson[]): UserJson {
  const r = b.rng;
  const createdAt = Math.min(p.createdAt, ...sessions.map((s) => s.created_at - r.int(MIN, 2 * DAY)));
  const google = p.strategy === 'oauth_google';
  const emailId = b.id(ID_PREFIX.identification, createdAt);
  const googleIdn = google ? b.id(ID_PREFIX.identification, createdAt) : null;
  const verification = (strategy: string, object: string) => ({
    object,
    status: 'verified',
    strategy,
    attempts: strategy.startsWith('from_oauth') ? null : 1,
    expire_at: strategy.startsWith('from_oauth') ? null : createdAt + 10 * MIN,
  });
  const emails: EmailAddressJson[] = [
    {
      object: 'email_address',
      id: emailId,
      email_address: p.email,
      reserved: false,
      verification: google
        ? verification('from_oauth_google', 'verification_from_oauth')
        : verification('email_code', 'verification_otp'),
      linked_to: googleIdn ? [{ type: 'oauth_google', id: googleIdn }] : [],
      matches_sso_connection: false,
      created_at: createdAt,
      updated_at: createdAt,
    },
  ];
  if (r.chance(0.12)) {
    const at = createdAt + r.int(DAY, 90 * DAY);
    emails.push({
      object: 'email_address',
      id: b.id(ID_PREFIX.identification, at),
      email_address: b.uniqueEmail(p.first, `${p.last}.work`),
      reserved: false,
      verification: r.chance(0.8)
        ? verification('email_code', 'verification_otp')
        : { ...verification('email_code', 'verification_otp'), status: 'unverified' },
      linked_to: [],
      matches_sso_connection: false,
      created_at: at,
      updated_at: at,
    });
  }
  const twoFactor = !google && r.chance(0.25);
  const totp = twoFactor && r.chance(0.6);
  const phones: PhoneNumberJson[] = p.phone
    ? [
        {
          object: 'phone_number',
          id: b.id(ID_PREFIX.identification, createdAt),
          phone_number: p.phone,
          reserved_for_second_factor: twoFactor && !totp,
          default_second_factor: twoFactor && !totp,
          reserved: false,
          verification: verification('phone_code', 'verification_otp'),
          linked_to: [],
          backup_codes: null,
          created_at: createdAt,
          updated_at: createdAt,
        },
      ]
    : [];
  const lastSignIn = sessions.length ? Math.max(...sessions.map((s) => s.created_at)) : null;
  const lastActive = sessions.length ? Math.max(...sessions.map((s) => s.last_active_at)) : null;
  const updatedAt = Math.max(createdAt, lastSignIn ?? createdAt);
  const initials = `${p.first.charAt(0)}${p.last.charAt(0)}`.toUpperCase();
  const imageUrl = `https://img.clerk.com/${Buffer.from(JSON.stringify({ type: 'default', iid: b.instanceId, rid: p.id, initials })).toString('base64url')}`;
  const passwordEnabled =
    p.strategy === 'password' || (!google && r.chance(0.4)) || (google && r.chance(0.2));
  const user: UserJson = {
    object: 'user',
    id: p.id,
    external_id: r.chance(0.15) ? `crm_${r.int(100000, 999999)}` : null,
    primary_email_address_id: emailId,
    primary_phone_number_id: phones[0]?.id ?? null,
    primary_web3_wallet_id: null,
    username: p.username,
    first_name: p.first,
    last_name: p.last,
    profile_image_url: imageUrl,
    image_url: imageUrl,
    has_image: false,
    public_metadata: p.publicMetadata,
    private_metadata: {
      stripe_customer_id: `cus_${Buffer.from(r.bytes(9)).toString('base64url').replace(/[-_]/g, 'x')}`,
      ...(r.chance(0.1)
        ? {
            support_notes: r.pick(['VIP customer', 'Chargeback in 2024', 'Beta tester', 'Enterprise trial']),
          }
        : {}),
    },
    unsafe_metadata: { theme: r.pick(['light', 'dark', 'system']), onboarding_complete: r.chance(0.85) },
    email_addresses: emails,
    phone_numbers: phones,
    web3_wallets: [],
    passkeys: [],
    external_accounts: googleIdn
      ? [
          {
            object: 'google_account',
            id: googleIdn,
            provider: 'oauth_google',
            identification_id: googleIdn,
            external_account_id: b.id(ID_PREFIX.externalAccount, createdAt),
            provider_user_id: String(r.int(100000000, 999999999)) + String(r.int(100000000, 999999999)),
            approved_scopes:
              'email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile',
            email_address: p.email,
            first_name: p.first,
            last_name: p.last,
            image_url: '',
            username: null,
            phone_number: null,
            public_metadata: {},
            label: null,
            verification: {
              object: 'verification_oauth',
              status: 'verified',
              strategy: 'oauth_google',
              attempts: null,
              expire_at: createdAt + 10 * MIN,
            },
            created_at: createdAt,
            updated_at: createdAt,
          },
        ]
      : [],
    saml_accounts: [],
    enterprise_accounts: [],
    password_enabled: passwordEnabled,
    password_last_updated_at: passwordEnabled ? createdAt : null,
    two_factor_enabled: twoFactor,
    totp_enabled: totp,
    backup_code_enabled: totp,
    banned: !!p.banned,
    locked: !!p.locked,
    lockout_expires_in_seconds: p.locked ? r.int(300, 3600) : null,
    verification_attempts_remaining: p.locked ? 0 : 100,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    bypass_client_trust: false,
    last_sign_in_at: lastSignIn,
    last_active_at: lastActive,
    mfa_enabled_at: twoFactor ? createdAt + r.int(HOUR, 30 * DAY) : null,
    mfa_disabled_at: null,
    legal_accepted_at: r.chance(0.5) ? createdAt : null,
    locale: r.chance(0.4) ? p.region.lang : null,
    created_at: createdAt,
    updated_at: updatedAt,
  };
  return user;
}
