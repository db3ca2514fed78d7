// Each change is one transaction with the read it depends on, so concurrent changes never lose an update.
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import {
  LOCKOUT_UNTIL,
  parseStoredUser,
  PASSWORD_COMPROMISED,
  toUserJson,
  type StoredUser,
  type UserRow,
} from './serialize';
import type { ApiKeyJson, TrustedDeviceJson, UserJson } from './types';

/** What Clerk's user lockout uses when the instance sets no duration (@clerk/backend: "by default 1 hour"). */
export const DEFAULT_LOCKOUT_SECONDS = 3600;
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

export class AccountStore {
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly cache = new Map<string, Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {
    this.s = prepareStatements(db);
  }

  /** All or none; each ban revokes the user's live sessions in the same transaction, so no session outlives it. */
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

  listTrustedDevices(userId: string): TrustedDeviceJson[] {
    return this.s.activeTrustedDevices.all(userId).map((d) => JSON.parse(d) as TrustedDeviceJson);
  }

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
    getUser: db.prepare<[string], UserRow>('SELECT id, doc FROM users WHERE id = ?'),
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
  };
}
