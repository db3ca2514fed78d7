import 'server-only';
import type { APIKey, ClerkClient, User } from '@clerk/backend';
import { z } from 'zod';
import { callClerk } from './client';
import { cachedRead, forgetRead } from './read-cache';
import { toUserDto, type UserDto } from './dto';
import { ConsoleApiError, MESSAGES, forFeature, invalidInput } from './errors';
import { userIdSchema } from './ids';
import { readUser } from './users';

// Writes never retry. @clerk/backend 3.25 User lacks lockout, MFA dates, requires_password_reset: use `raw`.

export const MAX_BULK_USERS = 50;

export interface AccountStateDto {
  userId: string;
  banned: boolean;
  locked: boolean;
  lockoutExpiresInSeconds: number | null;
  verificationAttemptsRemaining: number | null;
  passwordEnabled: boolean;
  passwordCompromised: boolean;
  twoFactorEnabled: boolean;
  totpEnabled: boolean;
  backupCodeEnabled: boolean;
  mfaEnabledAt: number | null;
  mfaDisabledAt: number | null;
}

export interface TrustedDeviceDto {
  id: string;
  platform: 'ios' | 'android' | 'other';
  appIdentifier: string | null;
  name: string | null;
  status: 'active' | 'revoked';
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyDto {
  id: string;
  name: string;
  description: string | null;
  scopes: string[];
  revoked: boolean;
  revocationReason: string | null;
  expired: boolean;
  expiration: number | null;
  createdBy: string | null;
  lastUsedAt: number | null;
  createdAt: number;
}

export interface ApiKeyPage {
  data: ApiKeyDto[];
  totalCount: number;
}

const apiKeyIdSchema = z
  .string()
  .max(80)
  .regex(/^(ak|api_key)_[0-9A-Fa-f]{32}$/, 'Not an API key id.');
// Clerk documents no prefix for trusted devices: any `<prefix>_<alphanumerics>` is safe in a path.
const trustedDeviceIdSchema = z
  .string()
  .max(80)
  .regex(/^[a-z]{1,16}_[A-Za-z0-9]{1,64}$/, 'Not a trusted device id.');
const bulkSchema = z.array(userIdSchema).min(1).max(MAX_BULK_USERS);
const pageSchema = z.object({
  limit: z.number().int().min(1).max(100),
  offset: z.number().int().min(0).max(100_000),
});
const reasonSchema = z.string().trim().max(255);

export const NO_PASSWORD_MESSAGE = 'This user has no password, so there is none to flag.';

function parse<T>(schema: z.ZodType<T>, value: unknown, message?: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(message ? 'any' : 'user', message);
  return parsed.data;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function toAccountStateDto(u: User): AccountStateDto {
  const raw = (u.raw ?? {}) as unknown as Record<string, unknown>;
  const locked = u.locked === true;
  return {
    userId: u.id,
    banned: u.banned === true,
    locked,
    lockoutExpiresInSeconds: locked ? num(raw.lockout_expires_in_seconds) : null,
    verificationAttemptsRemaining: num(raw.verification_attempts_remaining),
    passwordEnabled: u.passwordEnabled === true,
    passwordCompromised: raw.requires_password_reset === true,
    twoFactorEnabled: u.twoFactorEnabled === true,
    totpEnabled: u.totpEnabled === true,
    backupCodeEnabled: u.backupCodeEnabled === true,
    mfaEnabledAt: num(raw.mfa_enabled_at),
    mfaDisabledAt: num(raw.mfa_disabled_at),
  };
}

function toTrustedDeviceDto(d: Record<string, unknown>): TrustedDeviceDto {
  return {
    id: str(d.id) ?? '',
    platform: d.platform === 'ios' || d.platform === 'android' ? d.platform : 'other',
    appIdentifier: str(d.app_identifier),
    name: str(d.name),
    // A status this console does not know is shown as revoked: nothing is then offered on it.
    status: d.status === 'active' ? 'active' : 'revoked',
    createdAt: num(d.created_at) ?? 0,
    lastUsedAt: num(d.last_used_at),
    revokedAt: num(d.revoked_at),
  };
}

function toApiKeyDto(k: APIKey): ApiKeyDto {
  return {
    id: k.id,
    name: str(k.name) ?? '',
    description: str(k.description),
    scopes: Array.isArray(k.scopes) ? k.scopes.filter((s): s is string => typeof s === 'string') : [],
    revoked: k.revoked === true,
    revocationReason: str(k.revocationReason),
    expired: k.expired === true,
    expiration: num(k.expiration),
    createdBy: str(k.createdBy),
    lastUsedAt: num(k.lastUsedAt),
    createdAt: num(k.createdAt) ?? 0,
  };
}

type BapiRequest = <T>(options: {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  queryParams?: Record<string, unknown>;
  bodyParams?: Record<string, unknown>;
}) => Promise<T>;

// SDK 3.25 lacks bulk ban and trusted devices; `apiKeys.*` hits /api_keys where Clerk serves /v1/api_keys.
function bapi(c: ClerkClient): BapiRequest {
  return (c.users as unknown as { request: BapiRequest }).request;
}

function asUsers(value: unknown): User[] {
  if (!Array.isArray(value)) throw new ConsoleApiError({ kind: 'unknown', userMessage: MESSAGES.unexpected });
  return value as User[];
}

async function named<T>(feature: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw forFeature(e, feature);
  }
}

async function change(
  userId: string,
  feature: string,
  fn: (c: ClerkClient, id: string) => Promise<User>,
): Promise<AccountStateDto> {
  const id = parse(userIdSchema, userId);
  return named(feature, async () => {
    try {
      return toAccountStateDto(await callClerk({ write: true, resource: 'user' }, (c) => fn(c, id)));
    } finally {
      forgetRead(`user:${id}`);
    }
  });
}

// Never from the read cache: an action decides on it.
export async function getAccountState(userId: string): Promise<AccountStateDto> {
  const id = parse(userIdSchema, userId);
  return toAccountStateDto(await callClerk({ write: false, resource: 'user' }, (c) => c.users.getUser(id)));
}

export async function getUserWithAccountState(
  userId: string,
): Promise<{ user: UserDto; state: AccountStateDto; readAt: number }> {
  const { user, readAt } = await readUser(userId);
  return { user: toUserDto(user), state: toAccountStateDto(user), readAt };
}

const BANS = 'banning users';
const LOCKS = 'locking users';
const COMPROMISED = 'marking passwords compromised';

export const banUser = (userId: string) => change(userId, BANS, (c, id) => c.users.banUser(id));
export const unbanUser = (userId: string) => change(userId, BANS, (c, id) => c.users.unbanUser(id));
export const lockUser = (userId: string) => change(userId, LOCKS, (c, id) => c.users.lockUser(id));
export const unlockUser = (userId: string) => change(userId, LOCKS, (c, id) => c.users.unlockUser(id));

async function bulk(path: '/users/ban' | '/users/unban', userIds: string[]): Promise<AccountStateDto[]> {
  const ids = parse(bulkSchema, userIds, `Between 1 and ${MAX_BULK_USERS} valid user ids, please.`);
  const users = await named(BANS, () =>
    callClerk({ write: true, resource: 'user' }, async (c) =>
      asUsers(await bapi(c)({ method: 'POST', path, bodyParams: { userIds: ids } })),
    ),
  );
  return users.map(toAccountStateDto);
}

export const banUsers = (userIds: string[]) => bulk('/users/ban', userIds);
export const unbanUsers = (userIds: string[]) => bulk('/users/unban', userIds);

async function noPasswordIsPlain<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ConsoleApiError && e.clerkCode === 'no_password_set')
      throw new ConsoleApiError({
        kind: 'invalid_input',
        userMessage: NO_PASSWORD_MESSAGE,
        status: e.status,
        clerkCode: e.clerkCode,
        traceId: e.traceId,
      });
    throw e;
  }
}

export function setPasswordCompromised(
  userId: string,
  opts: { revokeAllSessions: boolean },
): Promise<AccountStateDto> {
  const revokeAllSessions = opts.revokeAllSessions === true;
  return noPasswordIsPlain(
    change(userId, COMPROMISED, (c, id) => c.users.setPasswordCompromised(id, { revokeAllSessions })),
  );
}

export function unsetPasswordCompromised(userId: string): Promise<AccountStateDto> {
  return noPasswordIsPlain(change(userId, COMPROMISED, (c, id) => c.users.unsetPasswordCompromised(id)));
}

export async function disableMfa(userId: string): Promise<{ userId: string }> {
  const id = parse(userIdSchema, userId);
  const res = await named('resetting MFA', () =>
    callClerk({ write: true, resource: 'user' }, (c) => c.users.disableUserMFA(id)),
  );
  const answered = str((res as unknown as Record<string, unknown>)?.user_id);
  if (answered !== id) throw new ConsoleApiError({ kind: 'unknown', userMessage: MESSAGES.unexpected });
  return { userId: id };
}

const DEVICES = 'trusted devices';
const API_KEYS = 'API keys';
const devicesRead = (userId: string) => `trusted-devices:${userId}`;
const apiKeysRead = (userId: string) => `api-keys:${userId}`;

/**
 * What the account panel counts, reused for the read cache's few seconds as the user is (a revoke's refresh or a
 * second look costs no Clerk request); this console's own revokes forget it. A job acts on fresh lists, never these.
 */
export function countActiveApiKeys(userId: string): Promise<number> {
  const id = parse(userIdSchema, userId);
  return cachedRead(apiKeysRead(id), async () => (await listApiKeys(id, { limit: 1 })).totalCount);
}

export function readTrustedDevices(userId: string): Promise<TrustedDeviceDto[]> {
  const id = parse(userIdSchema, userId);
  return cachedRead(devicesRead(id), () => listTrustedDevices(id));
}

export async function listTrustedDevices(userId: string): Promise<TrustedDeviceDto[]> {
  const id = parse(userIdSchema, userId);
  const res = await named(DEVICES, () =>
    callClerk({ write: false, resource: 'user' }, (c) =>
      bapi(c)<{ data?: unknown }>({ method: 'GET', path: `/users/${id}/trusted_devices` }),
    ),
  );
  const data = Array.isArray(res?.data) ? (res.data as unknown[]) : [];
  return data
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    .map(toTrustedDeviceDto)
    .filter((d) => d.id !== '');
}

export async function revokeTrustedDevice(userId: string, deviceId: string): Promise<TrustedDeviceDto> {
  const id = parse(userIdSchema, userId);
  const device = parse(trustedDeviceIdSchema, deviceId, 'Not a trusted device id.');
  const res = await named(DEVICES, () =>
    callClerk({ write: true }, (c) =>
      bapi(c)<Record<string, unknown>>({ method: 'DELETE', path: `/users/${id}/trusted_devices/${device}` }),
    ),
  );
  forgetRead(devicesRead(id));
  return toTrustedDeviceDto(res ?? {});
}

export async function listApiKeys(
  userId: string,
  opts: { includeInvalid?: boolean; limit?: number; offset?: number } = {},
): Promise<ApiKeyPage> {
  const subject = parse(userIdSchema, userId);
  const page = parse(
    pageSchema,
    { limit: opts.limit ?? 10, offset: opts.offset ?? 0 },
    'The page requested is not valid.',
  );
  const res = await named(API_KEYS, () =>
    callClerk({ write: false }, (c) =>
      bapi(c)<{ data?: unknown; totalCount?: unknown }>({
        method: 'GET',
        path: '/api_keys',
        queryParams: { subject, includeInvalid: opts.includeInvalid === true ? 'true' : undefined, ...page },
      }),
    ),
  );
  const data = Array.isArray(res?.data) ? (res.data as APIKey[]) : [];
  return { data: data.map(toApiKeyDto), totalCount: num(res?.totalCount) ?? data.length };
}

export async function revokeApiKey(apiKeyId: string, reason?: string): Promise<ApiKeyDto> {
  const id = parse(apiKeyIdSchema, apiKeyId, 'Not an API key id.');
  const revocationReason =
    reason === undefined ? null : parse(reasonSchema, reason, 'The reason is too long.') || null;
  const key = await named(API_KEYS, () =>
    callClerk({ write: true }, (c) =>
      bapi(c)<APIKey>({ method: 'POST', path: `/api_keys/${id}/revoke`, bodyParams: { revocationReason } }),
    ),
  );
  if (typeof key?.subject === 'string') forgetRead(apiKeysRead(key.subject));
  return toApiKeyDto(key);
}
