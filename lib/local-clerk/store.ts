// The embedded API's SQLite store (better-sqlite3, WAL). All statements are prepared once; list queries with
// optional filters are prepared per filter shape and cached.
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { clerkError } from './errors';
import {
  LOCKOUT_UNTIL,
  lockEnd,
  parseStoredUser,
  PASSWORD_COMPROMISED,
  rowToSession,
  rowToTemplate,
  toUserJson,
  SESSION_JSON_SQL,
  rowToUser,
  sessionToRow,
  templateToRow,
  toClientJson,
  userSearchColumns,
  type ClientRow,
  type JwtTemplateRow,
  type SessionRow,
  type StoredUser,
  type UserRow,
} from './serialize';
import { ensurePrivateDbFile } from './private-files';
import {
  ORDER_COLUMN,
  SCHEMA,
  SCHEMA_VERSION,
  sessionListQuery,
  sessionWhere,
  userWhere,
  type SessionFilter,
  type UserFilter,
  type UserOrder,
} from './store-sql';
import type {
  ApiKeyJson,
  ClientJson,
  JwtTemplateJson,
  SessionJson,
  TrustedDeviceJson,
  UserJson,
} from './types';

export {
  sessionListQuery,
  USER_ORDER_FIELDS,
  type SessionFilter,
  type UserFilter,
  type UserOrder,
  type UserOrderField,
} from './store-sql';

/** What Clerk's user lockout uses when the instance sets no duration (@clerk/backend: "by default 1 hour"). */
export const DEFAULT_LOCKOUT_SECONDS = 3600;
/** The attempts a freshly unlocked user has again (the seed's instance allows 100). */
export const VERIFICATION_ATTEMPTS = 100;

export type AccountChange =
  | { ok: true; user: UserJson }
  | { ok: false; reason: 'not_found' | 'no_password'; userId: string };

export interface ApiKeyPage {
  data: ApiKeyJson[];
  total_count: number;
}

export interface ApiKeyFilter {
  subject: string;
  type: string;
  includeInvalid: boolean;
  query?: string;
}

export type RevokeResult =
  | { ok: true; session: SessionJson }
  | { ok: false; reason: 'not_found' | 'not_active' };

export class LocalClerkStore {
  readonly db: Database.Database;
  private readonly cache = new Map<string, Statement>();
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(file: string) {
    ensurePrivateDbFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    this.s = prepareStatements(this.db);
    if (!this.getMeta('schema_version')) this.setMeta('schema_version', SCHEMA_VERSION);
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  getMeta(key: string): string | undefined {
    return this.s.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  /** Writes `value` unless the key exists; returns the stored value (first writer wins across processes). */
  setMetaIfAbsent(key: string, value: string): string {
    return this.transaction(() => {
      this.s.insertMetaIfAbsent.run(key, value);
      return this.getMeta(key) as string;
    });
  }

  // ---- writes used by the seed and POST /v1/sessions

  insertUser(u: UserJson): void {
    this.s.insertUser.run(userSearchColumns(u));
    for (const e of u.email_addresses)
      this.s.insertIdentifier.run('email', e.email_address.toLowerCase(), u.id);
    for (const p of u.phone_numbers) this.s.insertIdentifier.run('phone', p.phone_number, u.id);
  }

  insertClient(c: ClientRow): void {
    this.s.insertClient.run(c);
  }

  insertSession(s: SessionJson): void {
    this.s.insertSession.run(sessionToRow(s));
  }

  insertTemplate(t: JwtTemplateJson, signingKey: string | null = null): void {
    this.s.insertTemplate.run(templateToRow(t, signingKey));
  }

  /**
   * A new session on a new client, and the user's sign-in times, in one transaction. The user's account state is
   * read in the same transaction, so a ban or lock racing this sign-in either refuses it or revokes what it made:
   * a banned user gets 403 user_banned, a locked one 403 user_locked, and one whose password is flagged as
   * compromised gets the session `pending` with a reset-password task (set on `session` itself, which the caller
   * returns).
   */
  createSession(client: ClientRow, session: SessionJson): void {
    this.transaction(() => {
      const row = this.s.getUser.get(session.user_id);
      if (!row) throw new Error('user vanished');
      const stored = parseStoredUser(row);
      if (stored.banned) throw clerkError.userBanned();
      const end = lockEnd(stored, session.created_at);
      if (end !== undefined)
        throw clerkError.userLocked(end === null ? null : Math.ceil((end - session.created_at) / 1000));
      if (stored[PASSWORD_COMPROMISED]) {
        session.status = 'pending';
        session.tasks = [{ key: 'reset-password' }];
      }
      const user = stored;
      user.last_sign_in_at = session.created_at;
      user.last_active_at = session.last_active_at;
      user.updated_at = session.created_at;
      this.s.updateUser.run({
        id: user.id,
        doc: JSON.stringify(user),
        updated_at: user.updated_at,
        last_active_at: user.last_active_at,
        last_sign_in_at: user.last_sign_in_at,
      });
      this.s.insertClient.run(client);
      this.s.insertSession.run(sessionToRow(session));
    });
  }

  // ---- account security: bans, locks, compromised passwords, MFA

  /**
   * Bans every user of `ids` or none: one unknown id fails the whole call. Each ban revokes the user's live
   * sessions in the same transaction, so no session outlives it.
   */
  banUsers(ids: string[], now: number): { ok: true; users: UserJson[] } | { ok: false; missing: string } {
    return this.setBanned(ids, true, now);
  }

  unbanUsers(ids: string[], now: number): { ok: true; users: UserJson[] } | { ok: false; missing: string } {
    return this.setBanned(ids, false, now);
  }

  private setBanned(ids: string[], banned: boolean, now: number) {
    return this.transaction(() => {
      const users: StoredUser[] = [];
      for (const id of ids) {
        const row = this.s.getUser.get(id);
        if (!row) return { ok: false as const, missing: id };
        users.push(parseStoredUser(row));
      }
      const seen = new Set<string>();
      const out: UserJson[] = [];
      for (const u of users) {
        if (seen.has(u.id)) continue;
        seen.add(u.id);
        if (banned) this.s.revokeUserSessions.run(now, u.id);
        if (u.banned !== banned) {
          u.banned = banned;
          u.updated_at = now;
          this.writeUser(u);
        }
        out.push(toUserJson(u, now));
      }
      return { ok: true as const, users: out };
    });
  }

  lockUser(id: string, now: number, seconds: number = DEFAULT_LOCKOUT_SECONDS): AccountChange {
    return this.changeUser(id, now, (u) => {
      u.locked = true;
      u[LOCKOUT_UNTIL] = now + seconds * 1000;
      u.lockout_expires_in_seconds = seconds;
    });
  }

  unlockUser(id: string, now: number): AccountChange {
    return this.changeUser(id, now, (u) => {
      u.locked = false;
      delete u[LOCKOUT_UNTIL];
      u.lockout_expires_in_seconds = null;
      if (u.verification_attempts_remaining !== null)
        u.verification_attempts_remaining = VERIFICATION_ATTEMPTS;
    });
  }

  /** Flags the password; with `revokeAllSessions` every live session of the user is revoked too. */
  setPasswordCompromised(id: string, now: number, revokeAllSessions: boolean): AccountChange {
    return this.changeUser(id, now, (u) => {
      if (!u.password_enabled) return 'no_password';
      u[PASSWORD_COMPROMISED] = true;
      if (revokeAllSessions) this.s.revokeUserSessions.run(now, u.id);
    });
  }

  unsetPasswordCompromised(id: string, now: number): AccountChange {
    return this.changeUser(id, now, (u) => {
      if (!u.password_enabled) return 'no_password';
      delete u[PASSWORD_COMPROMISED];
    });
  }

  /** Turns off every second factor (TOTP, backup codes, SMS codes); `mfa_disabled_at` only moves if one was on. */
  disableMfa(id: string, now: number): AccountChange {
    return this.changeUser(id, now, (u) => {
      const wasOn =
        u.two_factor_enabled ||
        u.totp_enabled ||
        u.backup_code_enabled ||
        u.phone_numbers.some((p) => p.reserved_for_second_factor);
      if (!wasOn) return 'unchanged';
      u.two_factor_enabled = false;
      u.totp_enabled = false;
      u.backup_code_enabled = false;
      for (const p of u.phone_numbers) {
        p.reserved_for_second_factor = false;
        p.default_second_factor = false;
        p.backup_codes = null;
      }
      u.mfa_disabled_at = now;
    });
  }

  private changeUser(
    id: string,
    now: number,
    change: (u: StoredUser) => 'no_password' | 'unchanged' | void,
  ): AccountChange {
    return this.transaction(() => {
      const row = this.s.getUser.get(id);
      if (!row) return { ok: false, reason: 'not_found', userId: id };
      const u = parseStoredUser(row);
      const outcome = change(u);
      if (outcome === 'no_password') return { ok: false, reason: 'no_password', userId: id };
      if (outcome !== 'unchanged') {
        u.updated_at = now;
        this.writeUser(u);
      }
      return { ok: true, user: toUserJson(u, now) };
    });
  }

  private writeUser(u: StoredUser): void {
    this.s.writeUserState.run({
      id: u.id,
      doc: JSON.stringify(u),
      updated_at: u.updated_at,
      banned: u.banned ? 1 : 0,
    });
  }

  // ---- API keys and trusted devices

  insertApiKey(key: ApiKeyJson, secretSha256: string): void {
    this.s.insertApiKey.run({
      id: key.id,
      subject: key.subject,
      doc: JSON.stringify(key),
      secret_sha256: secretSha256,
      revoked: key.revoked ? 1 : 0,
      expiration: key.expiration,
      created_at: key.created_at,
    });
  }

  listApiKeys(f: ApiKeyFilter, limit: number, offset: number, now: number): ApiKeyPage {
    const clauses = ['subject = ?', "json_extract(doc, '$.type') = ?"];
    const params: unknown[] = [f.subject, f.type];
    if (!f.includeInvalid) {
      clauses.push('revoked = 0 AND (expiration IS NULL OR expiration > ?)');
      params.push(now);
    }
    if (f.query) {
      clauses.push("instr(lower(json_extract(doc, '$.name')), ?) > 0");
      params.push(f.query.toLowerCase());
    }
    const where = `WHERE ${clauses.join(' AND ')}`;
    const docs = this.prepared<string>(
      `SELECT doc FROM api_keys ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    )
      .pluck()
      .all(...params, limit, offset);
    const total =
      this.prepared<{ n: number }>(`SELECT COUNT(*) AS n FROM api_keys ${where}`).get(...params)?.n ?? 0;
    return { data: docs.map((d) => apiKeyAt(d, now)), total_count: total };
  }

  getApiKey(id: string, now: number): ApiKeyJson | undefined {
    const doc = this.s.getApiKey.get(id);
    return doc === undefined ? undefined : apiKeyAt(doc, now);
  }

  /** Revoking a revoked key changes nothing and answers the key as it is (its first reason stays). */
  revokeApiKey(id: string, reason: string | null, now: number): ApiKeyJson | undefined {
    return this.transaction(() => {
      const doc = this.s.getApiKey.get(id);
      if (doc === undefined) return undefined;
      const key = JSON.parse(doc) as ApiKeyJson;
      if (!key.revoked) {
        key.revoked = true;
        key.revocation_reason = reason;
        key.updated_at = now;
        this.s.reviseApiKey.run(JSON.stringify(key), id);
      }
      return withExpired(key, now);
    });
  }

  insertTrustedDevice(userId: string, d: TrustedDeviceJson): void {
    this.s.insertTrustedDevice.run(d.id, userId, JSON.stringify(d), d.status, d.created_at);
  }

  /** The user's active trusted devices, newest first (revoked ones are not listed, as on Clerk). */
  listTrustedDevices(userId: string): TrustedDeviceJson[] {
    return this.s.activeTrustedDevices.all(userId).map((d) => JSON.parse(d) as TrustedDeviceJson);
  }

  /** Undefined when the user has no such active device. */
  revokeTrustedDevice(userId: string, id: string, now: number): TrustedDeviceJson | undefined {
    return this.transaction(() => {
      const doc = this.s.activeTrustedDevice.get(id, userId);
      if (doc === undefined) return undefined;
      const d = JSON.parse(doc) as TrustedDeviceJson;
      d.status = 'revoked';
      d.revoked_at = now;
      d.updated_at = now;
      this.s.reviseTrustedDevice.run(JSON.stringify(d), id);
      return d;
    });
  }

  revokeSession(id: string, now: number): RevokeResult {
    const row = this.s.revokeSession.get(now, id);
    if (row) return { ok: true, session: rowToSession(row) };
    return { ok: false, reason: this.s.getSession.get(id) ? 'not_active' : 'not_found' };
  }

  // ---- reads

  isSeeded(): boolean {
    return this.getMeta('seeded_at') !== undefined;
  }

  getSession(id: string): SessionJson | undefined {
    const row = this.s.getSession.get(id);
    return row && rowToSession(row);
  }

  listSessions(filter: SessionFilter, limit: number, offset: number): SessionJson[] {
    const { sql, params } = sessionListQuery(filter);
    return this.prepared<SessionRow>(sql)
      .all(...params, limit, offset)
      .map(rowToSession);
  }

  /** The same page as `listSessions`, as the JSON text of the array. */
  listSessionsJson(filter: SessionFilter, limit: number, offset: number): string {
    const { sql, params } = sessionListQuery(filter, SESSION_JSON_SQL);
    const docs = this.prepared<string>(sql)
      .pluck()
      .all(...params, limit, offset);
    return `[${docs.join(',')}]`;
  }

  countSessions(filter: SessionFilter): number {
    const { where, params } = sessionWhere(filter);
    return this.prepared<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions ${where}`).get(...params)?.n ?? 0;
  }

  getUser(id: string): UserJson | undefined {
    const row = this.s.getUser.get(id);
    return row && rowToUser(row);
  }

  listUsers(filter: UserFilter, order: UserOrder, limit: number, offset: number): UserJson[] {
    const { where, params } = userWhere(filter);
    const dir = order.direction === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT id, doc FROM users ${where} ORDER BY ${ORDER_COLUMN[order.field]} ${dir} NULLS LAST, id ${dir} LIMIT ? OFFSET ?`;
    return this.prepared<UserRow>(sql)
      .all(...params, limit, offset)
      .map((r) => rowToUser(r));
  }

  countUsers(filter: UserFilter): number {
    const { where, params } = userWhere(filter);
    return this.prepared<{ n: number }>(`SELECT COUNT(*) AS n FROM users ${where}`).get(...params)?.n ?? 0;
  }

  getClient(id: string): ClientJson | undefined {
    const row = this.s.getClient.get(id);
    return row && toClientJson(row, this.s.clientSessions.all(id).map(rowToSession));
  }

  listTemplates(limit: number, offset: number): JwtTemplateJson[] {
    return this.s.listTemplates.all(limit, offset).map(rowToTemplate);
  }

  countTemplates(): number {
    return this.s.countTemplates.get()?.n ?? 0;
  }

  getTemplateById(id: string): JwtTemplateJson | undefined {
    const row = this.s.templateById.get(id);
    return row && rowToTemplate(row);
  }

  /** The template and, for a custom-signing-key template, its secret (never part of the wire shape). */
  getTemplateByName(name: string): { template: JwtTemplateJson; signingKey: string | null } | undefined {
    const row = this.s.templateByName.get(name);
    return row && { template: rowToTemplate(row), signingKey: row.signing_key };
  }

  private prepared<R>(sql: string): Statement<unknown[], R> {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt as Statement<unknown[], R>;
  }
}

function withExpired(key: ApiKeyJson, now: number): ApiKeyJson {
  return { ...key, expired: key.expiration !== null && key.expiration <= now };
}

const apiKeyAt = (doc: string, now: number): ApiKeyJson => withExpired(JSON.parse(doc) as ApiKeyJson, now);

function prepareStatements(db: Database.Database) {
  return {
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    insertMetaIfAbsent: db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
    insertUser: db.prepare(
      `INSERT INTO users (id, doc, created_at, updated_at, last_active_at, last_sign_in_at, first_name, last_name, username,
         email_address, phone_number, external_id, banned, s_emails, s_phones, s_username, s_name)
       VALUES (@id, @doc, @created_at, @updated_at, @last_active_at, @last_sign_in_at, @first_name, @last_name, @username,
         @email_address, @phone_number, @external_id, @banned, @s_emails, @s_phones, @s_username, @s_name)`,
    ),
    updateUser: db.prepare(
      `UPDATE users SET doc = @doc, updated_at = @updated_at, last_active_at = @last_active_at, last_sign_in_at = @last_sign_in_at
       WHERE id = @id`,
    ),
    writeUserState: db.prepare(
      'UPDATE users SET doc = @doc, updated_at = @updated_at, banned = @banned WHERE id = @id',
    ),
    revokeUserSessions: db.prepare<[number, string]>(
      `UPDATE sessions SET status = 'revoked', updated_at = ? WHERE user_id = ? AND status IN ('active', 'pending')`,
    ),
    insertApiKey: db.prepare(
      `INSERT INTO api_keys (id, subject, doc, secret_sha256, revoked, expiration, created_at)
       VALUES (@id, @subject, @doc, @secret_sha256, @revoked, @expiration, @created_at)`,
    ),
    getApiKey: db.prepare<[string], string>('SELECT doc FROM api_keys WHERE id = ?').pluck(),
    reviseApiKey: db.prepare<[string, string]>('UPDATE api_keys SET doc = ?, revoked = 1 WHERE id = ?'),
    insertTrustedDevice: db.prepare<[string, string, string, string, number]>(
      'INSERT INTO trusted_devices (id, user_id, doc, status, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    activeTrustedDevices: db
      .prepare<
        [string],
        string
      >(`SELECT doc FROM trusted_devices WHERE user_id = ? AND status = 'active' ORDER BY created_at DESC, id DESC`)
      .pluck(),
    activeTrustedDevice: db
      .prepare<
        [string, string],
        string
      >(`SELECT doc FROM trusted_devices WHERE id = ? AND user_id = ? AND status = 'active'`)
      .pluck(),
    reviseTrustedDevice: db.prepare<[string, string]>(
      `UPDATE trusted_devices SET doc = ?, status = 'revoked' WHERE id = ?`,
    ),
    insertIdentifier: db.prepare(
      'INSERT OR IGNORE INTO user_identifiers (kind, value, user_id) VALUES (?, ?, ?)',
    ),
    getUser: db.prepare<[string], UserRow>('SELECT id, doc FROM users WHERE id = ?'),
    insertClient: db.prepare(
      `INSERT INTO clients (id, sign_in_id, sign_up_id, last_authentication_strategy, created_at, updated_at)
       VALUES (@id, @sign_in_id, @sign_up_id, @last_authentication_strategy, @created_at, @updated_at)`,
    ),
    getClient: db.prepare<[string], ClientRow>('SELECT * FROM clients WHERE id = ?'),
    insertSession: db.prepare(
      `INSERT INTO sessions (id, user_id, client_id, status, actor, last_active_organization_id, last_active_at, activity_id,
         is_mobile, device_type, browser_name, browser_version, ip_address, city, country, expire_at, abandon_at,
         created_at, updated_at, tasks)
       VALUES (@id, @user_id, @client_id, @status, @actor, @last_active_organization_id, @last_active_at, @activity_id,
         @is_mobile, @device_type, @browser_name, @browser_version, @ip_address, @city, @country, @expire_at, @abandon_at,
         @created_at, @updated_at, @tasks)`,
    ),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    // One conditional statement: of two concurrent revokes (even from two processes) exactly one changes the row.
    revokeSession: db.prepare<[number, string], SessionRow>(
      `UPDATE sessions SET status = 'revoked', updated_at = ? WHERE id = ? AND status IN ('active', 'pending') RETURNING *`,
    ),
    clientSessions: db.prepare<[string], SessionRow>(
      'SELECT * FROM sessions WHERE client_id = ? ORDER BY created_at DESC, id DESC',
    ),
    insertTemplate: db.prepare(
      `INSERT INTO jwt_templates (id, name, claims, lifetime, allowed_clock_skew, custom_signing_key, signing_algorithm,
         signing_key, created_at, updated_at)
       VALUES (@id, @name, @claims, @lifetime, @allowed_clock_skew, @custom_signing_key, @signing_algorithm, @signing_key,
         @created_at, @updated_at)`,
    ),
    listTemplates: db.prepare<[number, number], JwtTemplateRow>(
      'SELECT * FROM jwt_templates ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
    ),
    countTemplates: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM jwt_templates'),
    templateById: db.prepare<[string], JwtTemplateRow>('SELECT * FROM jwt_templates WHERE id = ?'),
    templateByName: db.prepare<[string], JwtTemplateRow>('SELECT * FROM jwt_templates WHERE name = ?'),
  };
}
