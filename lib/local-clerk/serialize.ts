import type {
  ClientJson,
  JwtTemplateJson,
  SessionActivityJson,
  SessionJson,
  SessionStatus,
  UserJson,
} from './types';

export interface SessionRow {
  id: string;
  user_id: string;
  client_id: string;
  status: SessionStatus;
  actor: string | null;
  last_active_organization_id: string | null;
  last_active_at: number;
  activity_id: string | null;
  is_mobile: number | null;
  device_type: string | null;
  browser_name: string | null;
  browser_version: string | null;
  ip_address: string | null;
  city: string | null;
  country: string | null;
  expire_at: number;
  abandon_at: number;
  created_at: number;
  updated_at: number;
  tasks: string | null;
}

export interface ClientRow {
  id: string;
  sign_in_id: string | null;
  sign_up_id: string | null;
  last_authentication_strategy: string | null;
  created_at: number;
  updated_at: number;
}

export interface JwtTemplateRow {
  id: string;
  name: string;
  claims: string;
  lifetime: number;
  allowed_clock_skew: number;
  custom_signing_key: number;
  signing_algorithm: string;
  signing_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserRow {
  id: string;
  doc: string;
}

export function sessionToRow(s: SessionJson): SessionRow {
  const a = s.latest_activity;
  return {
    id: s.id,
    user_id: s.user_id,
    client_id: s.client_id,
    status: s.status,
    actor: s.actor ? JSON.stringify(s.actor) : null,
    last_active_organization_id: s.last_active_organization_id,
    last_active_at: s.last_active_at,
    activity_id: a?.id ?? null,
    is_mobile: a ? (a.is_mobile ? 1 : 0) : null,
    device_type: a?.device_type ?? null,
    browser_name: a?.browser_name ?? null,
    browser_version: a?.browser_version ?? null,
    ip_address: a?.ip_address ?? null,
    city: a?.city ?? null,
    country: a?.country ?? null,
    expire_at: s.expire_at,
    abandon_at: s.abandon_at,
    created_at: s.created_at,
    updated_at: s.updated_at,
    tasks: s.tasks ? JSON.stringify(s.tasks) : null,
  };
}

export function rowToSession(r: SessionRow): SessionJson {
  let activity: SessionActivityJson | null = null;
  if (r.activity_id) {
    activity = { object: 'session_activity', id: r.activity_id, is_mobile: r.is_mobile === 1 };
    // Clerk omits the optional activity fields it does not know rather than sending null.
    if (r.device_type !== null) activity.device_type = r.device_type;
    if (r.browser_name !== null) activity.browser_name = r.browser_name;
    if (r.browser_version !== null) activity.browser_version = r.browser_version;
    if (r.ip_address !== null) activity.ip_address = r.ip_address;
    if (r.city !== null) activity.city = r.city;
    if (r.country !== null) activity.country = r.country;
  }
  return {
    object: 'session',
    id: r.id,
    user_id: r.user_id,
    client_id: r.client_id,
    actor: r.actor ? (JSON.parse(r.actor) as SessionJson['actor']) : null,
    status: r.status,
    last_active_organization_id: r.last_active_organization_id,
    last_active_at: r.last_active_at,
    latest_activity: activity,
    expire_at: r.expire_at,
    abandon_at: r.abandon_at,
    updated_at: r.updated_at,
    created_at: r.created_at,
    tasks: r.tasks ? (JSON.parse(r.tasks) as SessionJson['tasks']) : null,
  };
}

const ACTIVITY_FIELDS = [
  'device_type',
  'browser_name',
  'browser_version',
  'ip_address',
  'city',
  'country',
] as const;
const activityHead = `json_object('object', 'session_activity', 'id', activity_id, 'is_mobile', json(iif(is_mobile = 1, 'true', 'false'))`;
const activityFields = ACTIVITY_FIELDS.map((f) => `'${f}', ${f}`).join(', ');

// Same bytes as JSON.stringify(rowToSession(row)) (store.test.ts checks), built in SQLite to skip per-row objects.
// json_patch drops the nulls Clerk omits; the all-known (seed) and none-known (created) cases skip it.
export const SESSION_JSON_SQL = `json_object('object', 'session', 'id', id, 'user_id', user_id, 'client_id', client_id,
  'actor', json(nullif(actor, '')), 'status', status, 'last_active_organization_id', last_active_organization_id,
  'last_active_at', last_active_at,
  'latest_activity', CASE
    WHEN activity_id IS NULL OR activity_id = '' THEN NULL
    WHEN coalesce(${ACTIVITY_FIELDS.join(', ')}) IS NULL THEN ${activityHead})
    WHEN ${ACTIVITY_FIELDS.map((f) => `${f} IS NOT NULL`).join(' AND ')} THEN ${activityHead}, ${activityFields})
    ELSE json_patch(${activityHead}), json_object(${activityFields}))
  END,
  'expire_at', expire_at, 'abandon_at', abandon_at, 'updated_at', updated_at, 'created_at', created_at,
  'tasks', json(nullif(tasks, '')))`;

const LIVE_STATUSES: ReadonlySet<SessionStatus> = new Set(['active', 'pending']);

export function toClientJson(c: ClientRow, sessions: SessionJson[]): ClientJson {
  let lastActive: SessionJson | null = null;
  let updatedAt = c.updated_at;
  for (const s of sessions) {
    if (s.updated_at > updatedAt) updatedAt = s.updated_at;
    if (LIVE_STATUSES.has(s.status) && (!lastActive || s.last_active_at > lastActive.last_active_at))
      lastActive = s;
  }
  return {
    object: 'client',
    id: c.id,
    session_ids: sessions.map((s) => s.id),
    sessions,
    sign_in_id: c.sign_in_id,
    sign_up_id: c.sign_up_id,
    last_active_session_id: lastActive?.id ?? null,
    last_authentication_strategy: c.last_authentication_strategy,
    updated_at: updatedAt,
    created_at: c.created_at,
  };
}

export function templateToRow(t: JwtTemplateJson, signingKey: string | null): JwtTemplateRow {
  return {
    id: t.id,
    name: t.name,
    claims: JSON.stringify(t.claims),
    lifetime: t.lifetime,
    allowed_clock_skew: t.allowed_clock_skew,
    custom_signing_key: t.custom_signing_key ? 1 : 0,
    signing_algorithm: t.signing_algorithm,
    signing_key: signingKey,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

export function rowToTemplate(r: JwtTemplateRow): JwtTemplateJson {
  return {
    object: 'jwt_template',
    id: r.id,
    name: r.name,
    claims: JSON.parse(r.claims) as Record<string, unknown>,
    lifetime: r.lifetime,
    allowed_clock_skew: r.allowed_clock_skew,
    custom_signing_key: r.custom_signing_key === 1,
    signing_algorithm: r.signing_algorithm,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** Never sent: wire fields are derived on every read, so `lockout_expires_in_seconds` counts down. */
export const LOCKOUT_UNTIL = '__lockout_until';
export const PASSWORD_COMPROMISED = '__password_compromised';

export interface StoredUser extends UserJson {
  [LOCKOUT_UNTIL]?: number | null;
  [PASSWORD_COMPROMISED]?: boolean;
}

export function parseStoredUser(r: UserRow): StoredUser {
  return JSON.parse(r.doc) as StoredUser;
}

export function lockEnd(u: StoredUser, now: number): number | null | undefined {
  if (!u.locked) return undefined;
  const until = u[LOCKOUT_UNTIL];
  if (until === undefined)
    return u.lockout_expires_in_seconds === null ? null : now + u.lockout_expires_in_seconds * 1000;
  return until !== null && until <= now ? undefined : until;
}

export function toUserJson(stored: StoredUser, now: number = Date.now()): UserJson {
  const { [LOCKOUT_UNTIL]: _until, [PASSWORD_COMPROMISED]: compromised, ...user } = stored;
  const end = lockEnd(stored, now);
  user.locked = end !== undefined;
  user.lockout_expires_in_seconds = typeof end === 'number' ? Math.ceil((end - now) / 1000) : null;
  // Not in the 2026-05-12 User schema, but named by its unset_compromised description: Clerk sends it.
  user.requires_password_reset = compromised === true;
  return user;
}

export function rowToUser(r: UserRow, now: number = Date.now()): UserJson {
  return toUserJson(parseStoredUser(r), now);
}

const lower = (v: string | null | undefined): string => (v ?? '').toLowerCase();

export function userSearchColumns(u: UserJson) {
  const primaryEmail =
    u.email_addresses.find((e) => e.id === u.primary_email_address_id) ?? u.email_addresses[0];
  const primaryPhone = u.phone_numbers.find((p) => p.id === u.primary_phone_number_id) ?? u.phone_numbers[0];
  return {
    id: u.id,
    doc: JSON.stringify(u),
    created_at: u.created_at,
    updated_at: u.updated_at,
    last_active_at: u.last_active_at,
    last_sign_in_at: u.last_sign_in_at,
    first_name: u.first_name,
    last_name: u.last_name,
    username: u.username,
    email_address: primaryEmail?.email_address ?? null,
    phone_number: primaryPhone?.phone_number ?? null,
    external_id: u.external_id,
    banned: u.banned ? 1 : 0,
    // Newline-separated so a match never spans two identifiers; names space-joined so "ada lovelace" finds Ada.
    s_emails: u.email_addresses.map((e) => lower(e.email_address)).join('\n'),
    s_phones: u.phone_numbers.map((p) => lower(p.phone_number)).join('\n'),
    s_username: lower(u.username),
    s_name: [u.first_name, u.last_name]
      .filter((v): v is string => !!v)
      .join(' ')
      .toLowerCase(),
  };
}
