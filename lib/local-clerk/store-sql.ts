// A request's values are always bound as parameters, never spliced into SQL.
import type { SessionStatus } from './types';

export const SCHEMA_VERSION = '1';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_active_at INTEGER,
  last_sign_in_at INTEGER,
  first_name TEXT,
  last_name TEXT,
  username TEXT,
  email_address TEXT,
  phone_number TEXT,
  external_id TEXT,
  banned INTEGER NOT NULL,
  s_emails TEXT NOT NULL,
  s_phones TEXT NOT NULL,
  s_username TEXT NOT NULL,
  s_name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_created ON users (created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS user_identifiers (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (kind, value, user_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS clients (
  id TEXT PRIMARY KEY,
  sign_in_id TEXT,
  sign_up_id TEXT,
  last_authentication_strategy TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  status TEXT NOT NULL,
  actor TEXT,
  last_active_organization_id TEXT,
  last_active_at INTEGER NOT NULL,
  activity_id TEXT,
  is_mobile INTEGER,
  device_type TEXT,
  browser_name TEXT,
  browser_version TEXT,
  ip_address TEXT,
  city TEXT,
  country TEXT,
  expire_at INTEGER NOT NULL,
  abandon_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  tasks TEXT
);
-- Every session list is "by user or by client, optionally by status, newest first": each index serves one shape
-- with no sort step.
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS sessions_user_status ON sessions (user_id, status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS sessions_client ON sessions (client_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS sessions_client_status ON sessions (client_id, status, created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS jwt_templates (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  claims TEXT NOT NULL,
  lifetime INTEGER NOT NULL,
  allowed_clock_skew INTEGER NOT NULL,
  custom_signing_key INTEGER NOT NULL,
  signing_algorithm TEXT NOT NULL,
  signing_key TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jwt_templates_created ON jwt_templates (created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  doc TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  revoked INTEGER NOT NULL,
  expiration INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS api_keys_subject ON api_keys (subject, created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS trusted_devices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  doc TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS trusted_devices_user ON trusted_devices (user_id, created_at DESC, id DESC);
`;

export interface SessionFilter {
  userId?: string;
  clientId?: string;
  status?: SessionStatus;
}

export const USER_ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email_address',
  'web3wallet',
  'first_name',
  'last_name',
  'phone_number',
  'username',
  'last_active_at',
  'last_sign_in_at',
] as const;
export type UserOrderField = (typeof USER_ORDER_FIELDS)[number];

export const ORDER_COLUMN: Record<UserOrderField, string> = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  email_address: 'email_address COLLATE NOCASE',
  // No user has a web3 wallet in the emulator: the order degenerates to the id tiebreak.
  web3wallet: 'NULL',
  first_name: 'first_name COLLATE NOCASE',
  last_name: 'last_name COLLATE NOCASE',
  phone_number: 'phone_number',
  username: 'username COLLATE NOCASE',
  last_active_at: 'last_active_at',
  last_sign_in_at: 'last_sign_in_at',
};

export interface UserFilter {
  query?: string;
  emailAddresses?: string[];
  phoneNumbers?: string[];
  usernames?: string[];
  externalIds?: string[];
  userIdsIn?: string[];
  userIdsOut?: string[];
  banned?: boolean;
  emailAddressQuery?: string;
  phoneNumberQuery?: string;
  usernameQuery?: string;
  nameQuery?: string;
  createdAtBefore?: number;
  createdAtAfter?: number;
  lastActiveAtBefore?: number;
  lastActiveAtAfter?: number;
  lastSignInAtBefore?: number;
  lastSignInAtAfter?: number;
}

export interface UserOrder {
  field: UserOrderField;
  direction: 'asc' | 'desc';
}

export function sessionListQuery(filter: SessionFilter, columns = '*'): { sql: string; params: unknown[] } {
  const { where, params } = sessionWhere(filter);
  return {
    sql: `SELECT ${columns} FROM sessions ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    params,
  };
}

export function sessionWhere(f: SessionFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.userId !== undefined) {
    clauses.push('user_id = ?');
    params.push(f.userId);
  }
  if (f.clientId !== undefined) {
    clauses.push('client_id = ?');
    params.push(f.clientId);
  }
  if (f.status !== undefined) {
    clauses.push('status = ?');
    params.push(f.status);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function userWhere(f: UserFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  const identifiers = (kind: string, values: string[]) =>
    add(
      `id IN (SELECT user_id FROM user_identifiers WHERE kind = '${kind}' AND value IN (SELECT value FROM json_each(?)))`,
      JSON.stringify(values),
    );

  if (f.query) {
    const q = f.query.toLowerCase();
    add(
      '(instr(lower(id), ?) > 0 OR instr(s_emails, ?) > 0 OR instr(s_phones, ?) > 0 OR instr(s_username, ?) > 0 OR instr(s_name, ?) > 0)',
      q,
      q,
      q,
      q,
      q,
    );
  }
  if (f.emailAddresses)
    identifiers(
      'email',
      f.emailAddresses.map((e) => e.toLowerCase()),
    );
  if (f.phoneNumbers) identifiers('phone', f.phoneNumbers);
  if (f.usernames)
    add('lower(username) IN (SELECT lower(value) FROM json_each(?))', JSON.stringify(f.usernames));
  if (f.externalIds) add('external_id IN (SELECT value FROM json_each(?))', JSON.stringify(f.externalIds));
  if (f.userIdsIn) add('id IN (SELECT value FROM json_each(?))', JSON.stringify(f.userIdsIn));
  if (f.userIdsOut) add('id NOT IN (SELECT value FROM json_each(?))', JSON.stringify(f.userIdsOut));
  if (f.banned !== undefined) add('banned = ?', f.banned ? 1 : 0);
  if (f.emailAddressQuery) add('instr(s_emails, ?) > 0', f.emailAddressQuery.toLowerCase());
  if (f.phoneNumberQuery) add('instr(s_phones, ?) > 0', f.phoneNumberQuery.toLowerCase());
  if (f.usernameQuery) add('instr(s_username, ?) > 0', f.usernameQuery.toLowerCase());
  if (f.nameQuery) add('instr(s_name, ?) > 0', f.nameQuery.toLowerCase());
  if (f.createdAtBefore !== undefined) add('created_at < ?', f.createdAtBefore);
  if (f.createdAtAfter !== undefined) add('created_at > ?', f.createdAtAfter);
  if (f.lastActiveAtBefore !== undefined) add('last_active_at < ?', f.lastActiveAtBefore);
  if (f.lastActiveAtAfter !== undefined) add('last_active_at > ?', f.lastActiveAtAfter);
  if (f.lastSignInAtBefore !== undefined) add('last_sign_in_at < ?', f.lastSignInAtBefore);
  if (f.lastSignInAtAfter !== undefined) add('last_sign_in_at > ?', f.lastSignInAtAfter);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
