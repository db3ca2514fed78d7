import { SESSION_STATUSES, type SessionStatus } from '@/lib/vocabulary';

export { SESSION_STATUSES, type SessionStatus };

/** `GET /v1/sessions?status=` accepts these only: Clerk's filter enum has no `pending`. */
export const SESSION_FILTER_STATUSES = SESSION_STATUSES.filter(
  (s): s is Exclude<SessionStatus, 'pending'> => s !== 'pending',
);

export interface SessionActivityJson {
  object: 'session_activity';
  id: string;
  is_mobile: boolean;
  device_type?: string;
  browser_name?: string;
  browser_version?: string;
  ip_address?: string;
  city?: string;
  country?: string;
}

export interface SessionActorJson {
  sub: string;
  iss?: string;
  [k: string]: unknown;
}

export interface SessionJson {
  object: 'session';
  id: string;
  user_id: string;
  client_id: string;
  actor: SessionActorJson | null;
  status: SessionStatus;
  last_active_organization_id: string | null;
  last_active_at: number;
  latest_activity: SessionActivityJson | null;
  expire_at: number;
  abandon_at: number;
  updated_at: number;
  created_at: number;
  tasks: { key: string }[] | null;
}

export interface ClientJson {
  object: 'client';
  id: string;
  session_ids: string[];
  sessions: SessionJson[];
  sign_in_id: string | null;
  sign_up_id: string | null;
  last_active_session_id: string | null;
  last_authentication_strategy: string | null;
  updated_at: number;
  created_at: number;
}

export interface JwtTemplateJson {
  object: 'jwt_template';
  id: string;
  name: string;
  claims: Record<string, unknown>;
  lifetime: number;
  allowed_clock_skew: number;
  custom_signing_key: boolean;
  signing_algorithm: string;
  created_at: number;
  updated_at: number;
}

export interface EmailAddressJson {
  object: 'email_address';
  id: string;
  email_address: string;
  reserved: boolean;
  verification: {
    object: 'verification_otp' | string;
    status: string;
    strategy: string;
    attempts: number | null;
    expire_at: number | null;
  } | null;
  linked_to: { type: string; id: string }[];
  matches_sso_connection?: boolean;
  created_at: number;
  updated_at: number;
}

export interface PhoneNumberJson {
  object: 'phone_number';
  id: string;
  phone_number: string;
  reserved_for_second_factor: boolean;
  default_second_factor: boolean;
  reserved: boolean;
  verification: EmailAddressJson['verification'];
  linked_to: { type: string; id: string }[];
  backup_codes: string[] | null;
  created_at: number;
  updated_at: number;
}

export interface UserJson {
  object: 'user';
  id: string;
  external_id: string | null;
  primary_email_address_id: string | null;
  primary_phone_number_id: string | null;
  primary_web3_wallet_id: string | null;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  unsafe_metadata: Record<string, unknown>;
  email_addresses: EmailAddressJson[];
  phone_numbers: PhoneNumberJson[];
  web3_wallets: unknown[];
  passkeys: unknown[];
  external_accounts: unknown[];
  saml_accounts: unknown[];
  enterprise_accounts: unknown[];
  password_enabled: boolean;
  two_factor_enabled: boolean;
  totp_enabled: boolean;
  backup_code_enabled: boolean;
  banned: boolean;
  locked: boolean;
  lockout_expires_in_seconds: number | null;
  verification_attempts_remaining: number | null;
  delete_self_enabled: boolean;
  create_organization_enabled: boolean;
  last_sign_in_at: number | null;
  last_active_at: number | null;
  mfa_enabled_at: number | null;
  mfa_disabled_at: number | null;
  legal_accepted_at: number | null;
  created_at: number;
  updated_at: number;
  [k: string]: unknown;
}

export interface ClerkErrorJson {
  message: string;
  long_message: string;
  code: string;
  meta?: Record<string, unknown>;
}

export interface ClerkErrorsJson {
  errors: ClerkErrorJson[];
  meta: Record<string, unknown>;
  clerk_trace_id: string;
}

/** `GET /v1/api_keys` items; the secret is only in the answer to `POST /v1/api_keys`. */
export interface ApiKeyJson {
  object: 'api_key';
  id: string;
  type: string;
  subject: string;
  name: string;
  description: string | null;
  claims: Record<string, unknown> | null;
  scopes: string[];
  revoked: boolean;
  revocation_reason: string | null;
  expired: boolean;
  expiration: number | null;
  created_by: string | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface TrustedDeviceJson {
  object: 'trusted_device';
  id: string;
  platform: 'ios' | 'android';
  app_identifier: string;
  name: string | null;
  algorithm: 'ES256';
  status: 'active' | 'revoked';
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}
