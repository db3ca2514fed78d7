// Response schemas of Clerk's Backend API (the 2026-05-12 OpenAPI file), written by hand for the embedded API's
// tests. OpenAPI objects without `additionalProperties: false` accept other fields, hence looseObject.
import { z } from 'zod';

const int = z.number().int();
const nullableInt = int.nullable();
const optionalNullableString = z.string().nullable().optional();
const metadata = z.looseObject({});

/** OpenAPI's oneOf: exactly one alternative fits (z.union settles for the first). */
function oneOf<const T extends readonly [z.ZodType, z.ZodType, ...z.ZodType[]]>(...options: T) {
  return z.union(options).refine((v) => options.filter((o) => o.safeParse(v).success).length === 1, {
    message: 'fits more than one alternative of a oneOf',
  });
}

export const clerkError = z.looseObject({
  message: z.string(),
  long_message: z.string(),
  code: z.string(),
  meta: metadata.optional(),
});

export const clerkErrors = z.looseObject({
  errors: z.array(clerkError),
  meta: metadata.optional(),
  clerk_trace_id: z.string().optional(),
});

const verification = <S extends z.ZodType, T extends z.ZodType>(
  object: string,
  status: S,
  strategy: T,
  extra: z.ZodRawShape = {},
  expireAtRequired = true,
) =>
  z.strictObject({
    object: z.literal(object).optional(),
    status,
    strategy,
    attempts: nullableInt,
    expire_at: expireAtRequired ? nullableInt : nullableInt.optional(),
    verified_at_client: optionalNullableString,
    ...extra,
  });

const otp = verification(
  'verification_otp',
  z.enum(['unverified', 'verified', 'failed', 'expired']),
  z.enum(['phone_code', 'email_code', 'reset_password_email_code']),
  { channel: optionalNullableString },
);
const admin = verification('verification_admin', z.literal('verified'), z.literal('admin'));
const fromOauth = verification(
  'verification_from_oauth',
  z.enum(['unverified', 'verified']),
  z.string().regex(/^from_oauth_(?:(?:token_)|(?:custom_))?[a-z]+$/),
  { error: clerkError.nullable().optional() },
);
const ticket = verification(
  'verification_ticket',
  z.enum(['unverified', 'verified', 'expired']),
  z.literal('ticket'),
);
const saml = verification(
  'verification_saml',
  z.enum(['unverified', 'verified', 'failed', 'expired', 'transferable']),
  z.literal('saml'),
  { external_verification_redirect_url: optionalNullableString, error: clerkError.nullable().optional() },
  false,
);
const emailLink = verification(
  'verification_email_link',
  z.enum(['unverified', 'verified', 'failed', 'expired']),
  z.literal('email_link'),
);
const scim = verification('verification_scim', z.literal('verified'), z.literal('scim')).omit({
  verified_at_client: true,
});
const web3 = verification(
  'verification_web3',
  z.enum(['unverified', 'verified', 'failed', 'expired']),
  z.enum([
    'web3_metamask_signature',
    'web3_base_signature',
    'web3_coinbase_wallet_signature',
    'web3_okx_wallet_signature',
    'web3_solana_signature',
  ]),
  { nonce: optionalNullableString, message: optionalNullableString },
);
const passkey = verification('verification_passkey', z.literal('verified'), z.literal('passkey'), {
  nonce: z.literal('nonce').optional(),
  message: optionalNullableString,
});
const oauth = verification(
  'verification_oauth',
  z.enum(['unverified', 'verified', 'failed', 'expired', 'transferable']),
  z.string().regex(/^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$/),
  {
    external_verification_redirect_url: z.string().optional(),
    error: clerkError.nullable().optional(),
    expire_at: int,
  },
);
const googleOneTap = verification(
  'verification_google_one_tap',
  z.enum(['unverified', 'verified']),
  z.literal('google_one_tap'),
  { error: clerkError.nullable().optional() },
);

const identificationLink = z.strictObject({ type: z.string().regex(/^oauth_[a-z]+$/), id: z.string() });

const emailAddress = z.strictObject({
  id: z.string().optional(),
  object: z.literal('email_address'),
  email_address: z.string(),
  reserved: z.boolean(),
  verification: oneOf(otp, admin, fromOauth, ticket, saml, emailLink, scim).nullable(),
  linked_to: z.array(identificationLink),
  matches_sso_connection: z.boolean().optional(),
  created_at: int,
  updated_at: int,
});

const phoneNumber = z.strictObject({
  id: z.string().optional(),
  object: z.literal('phone_number'),
  phone_number: z.string(),
  reserved_for_second_factor: z.boolean().optional(),
  default_second_factor: z.boolean().optional(),
  reserved: z.boolean(),
  verification: oneOf(otp, admin).nullable(),
  linked_to: z.array(identificationLink),
  backup_codes: z.array(z.string()).nullable().optional(),
  created_at: int,
  updated_at: int,
});

const web3Wallet = z.strictObject({
  id: z.string().optional(),
  object: z.literal('web3_wallet'),
  web3_wallet: z.string(),
  verification: oneOf(web3, admin).nullable(),
  created_at: int,
  updated_at: int,
});

const passkeyIdentification = z.strictObject({
  id: z.string().optional(),
  object: z.literal('passkey'),
  name: z.string(),
  last_used_at: int,
  verification: passkey.nullable(),
});

const externalAccount = z.looseObject({
  object: z.enum(['external_account', 'facebook_account', 'google_account']),
  id: z.string(),
  provider: z.string(),
  identification_id: z.string(),
  provider_user_id: z.string(),
  approved_scopes: z.string(),
  email_address: z.string(),
  email_address_verified: z.boolean().nullable().optional(),
  first_name: z.string(),
  last_name: z.string(),
  avatar_url: z.string().optional(),
  image_url: optionalNullableString,
  username: optionalNullableString,
  phone_number: optionalNullableString,
  public_metadata: metadata,
  label: optionalNullableString,
  created_at: int,
  updated_at: int,
  verification: oneOf(oauth, googleOneTap).nullable(),
});

const scimUserMetadata = z.strictObject({
  directory_id: z.string(),
  directory_enabled: z.boolean().optional(),
  external_id: z.string().nullable(),
});

// The embedded API links no SAML or enterprise account and sends no memberships on a user: any item there fails
// until its schema (SAMLAccount, EnterpriseAccount, OrganizationMembership) is written here.
const noneYet = z.array(z.never());

export const user = z.strictObject({
  id: z.string(),
  object: z.literal('user'),
  external_id: z.string().nullable(),
  primary_email_address_id: z.string().nullable(),
  primary_phone_number_id: z.string().nullable(),
  primary_web3_wallet_id: z.string().nullable(),
  username: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  locale: optionalNullableString,
  profile_image_url: z.string().optional(),
  image_url: z.string().optional(),
  has_image: z.boolean(),
  public_metadata: metadata,
  private_metadata: metadata.nullable().optional(),
  unsafe_metadata: metadata.optional(),
  email_addresses: z.array(emailAddress),
  phone_numbers: z.array(phoneNumber),
  web3_wallets: z.array(web3Wallet),
  passkeys: z.array(passkeyIdentification),
  password_enabled: z.boolean(),
  two_factor_enabled: z.boolean(),
  totp_enabled: z.boolean(),
  backup_code_enabled: z.boolean(),
  mfa_enabled_at: nullableInt,
  mfa_disabled_at: nullableInt,
  password_last_updated_at: nullableInt.optional(),
  external_accounts: z.array(externalAccount),
  saml_accounts: noneYet,
  enterprise_accounts: noneYet,
  organization_memberships: noneYet.optional(),
  last_sign_in_at: nullableInt,
  banned: z.boolean(),
  locked: z.boolean(),
  deprovisioned: z.boolean().optional(),
  lockout_expires_in_seconds: nullableInt,
  verification_attempts_remaining: nullableInt,
  updated_at: int,
  created_at: int,
  delete_self_enabled: z.boolean(),
  create_organization_enabled: z.boolean(),
  create_organizations_limit: nullableInt.optional(),
  last_active_at: nullableInt,
  legal_accepted_at: nullableInt,
  bypass_client_trust: z.boolean().optional(),
  scim: scimUserMetadata.nullable().optional(),
});

/** DELETE /users/{user_id}/mfa. */
export const disableMfa = z.strictObject({ user_id: z.string().optional() });

export const trustedDevice = z.strictObject({
  object: z.literal('trusted_device'),
  id: z.string(),
  platform: z.enum(['ios', 'android']),
  app_identifier: z.string(),
  name: optionalNullableString,
  algorithm: z.literal('ES256'),
  status: z.enum(['active', 'revoked']),
  created_at: int,
  updated_at: int,
  last_used_at: nullableInt.optional(),
  revoked_at: nullableInt.optional(),
});

export const trustedDeviceList = z.looseObject({ data: z.array(trustedDevice), total_count: int });

/** GET /api_keys/{apiKeyID}, POST /api_keys/{apiKeyID}/revoke and the items of GET /api_keys. */
export const apiKey = z.strictObject({
  object: z.literal('api_key'),
  id: z.string().regex(/^ak_[0-9A-Fa-f]{32}$/),
  type: z.string().min(3),
  subject: z.string().regex(/^(user|org|mch)_\w{27}$/),
  name: z.string(),
  description: z.string().max(255).nullable().optional(),
  claims: z.unknown().refine((v) => v !== undefined, 'required'),
  scopes: z.array(z.string()),
  revoked: z.boolean(),
  revocation_reason: z.string().nullable(),
  expired: z.boolean(),
  expiration: z.number().nullable(),
  created_by: z
    .string()
    .regex(/^user_\w{27}$/)
    .nullable(),
  last_used_at: z.number().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
});

/** POST /api_keys: the only answer that carries the secret. */
export const apiKeyCreated = apiKey.extend({ secret: z.string() });

export const apiKeyList = z.looseObject({ data: z.array(apiKey), total_count: z.number() });

/** The /api_keys endpoints' own error envelope (400, 404, 409). */
export const apiKeyErrors = z.looseObject({
  errors: z.array(z.looseObject({ message: z.string(), long_message: z.string(), code: z.string() })),
});

/** Every way `value` breaks `schema`, one `path: message` line each (empty when it conforms). */
export function schemaErrors(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}
