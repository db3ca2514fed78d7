import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { clerkError } from './errors';
import {
  lockEnd,
  parseStoredUser,
  PASSWORD_COMPROMISED,
  rowToSession,
  rowToTemplate,
  SESSION_JSON_SQL,
  rowToUser,
  sessionToRow,
  templateToRow,
  toClientJson,
  userSearchColumns,
  type ClientRow,
  type JwtTemplateRow,
  type SessionRow,
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
import { AccountStore } from './store-account';
import { OUTBOX_SCHEMA } from './webhook-outbox';
import type { ClientJson, JwtTemplateJson, SessionJson, UserJson } from './types';

export {
  sessionListQuery,
  USER_ORDER_FIELDS,
  type SessionFilter,
  type UserFilter,
  type UserOrder,
  type UserOrderField,
} from './store-sql';

export {
  DEFAULT_LOCKOUT_SECONDS,
  type AccountChange,
  type AccountStore,
  type ApiKeyFilter,
  type ApiKeyPage,
} from './store-account';

export type RevokeResult =
  | { ok: true; session: SessionJson }
  | { ok: false; reason: 'not_found' | 'not_active' };

export class LocalClerkStore {
  readonly db: Database.Database;
  private readonly cache = new Map<string, Statement>();
  private readonly s: ReturnType<typeof prepareStatements>;
  readonly account: AccountStore;

  constructor(file: string) {
    ensurePrivateDbFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    this.db.exec(OUTBOX_SCHEMA);
    this.s = prepareStatements(this.db);
    this.account = new AccountStore(this.db, (fn) => this.transaction(fn));
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

  /** Account state is read in the same transaction, so a racing ban or lock refuses it or revokes what it made. */
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

  revokeSession(id: string, now: number): RevokeResult {
    const row = this.s.revokeSession.get(now, id);
    if (row) return { ok: true, session: rowToSession(row) };
    return { ok: false, reason: this.s.getSession.get(id) ? 'not_active' : 'not_found' };
  }

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
