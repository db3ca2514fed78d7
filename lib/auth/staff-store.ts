import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '@/lib/db';
import type { StaffTable } from '@/lib/db/schema';
import { toDate, toDateOrNull, toDbTime } from '@/lib/db/values';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '@/lib/auth/passwords';
import { isRole, type Role } from '@/lib/vocabulary';

export type StaffSource = 'password' | 'oidc';

export interface StaffMember {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  sessionVersion: number;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt: Date | null;
  source: StaffSource;
  hasPassword: boolean;
}

export type StaffStoreErrorCode =
  | 'duplicate'
  | 'not_found'
  | 'invalid_email'
  | 'invalid_role'
  | 'weak_password';

export class StaffStoreError extends Error {
  constructor(
    readonly code: StaffStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StaffStoreError';
  }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkedEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !EMAIL.test(normalized)) {
    throw new StaffStoreError('invalid_email', 'That is not a valid email address.');
  }
  return normalized;
}

function checkedRole(role: string): Role {
  if (!isRole(role)) throw new StaffStoreError('invalid_role', 'The role must be viewer, support or admin.');
  return role;
}

async function checkedHash(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new StaffStoreError('weak_password', problem);
  return hashPassword(password);
}

function toMember(row: Selectable<StaffTable>): StaffMember {
  return {
    id: row.id,
    email: row.email,
    // The column has a CHECK constraint; a role this code does not know would still get the least privilege.
    role: isRole(row.role) ? row.role : 'viewer',
    disabled: Number(row.disabled) !== 0,
    sessionVersion: Number(row.session_version),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    lastSignInAt: toDateOrNull(row.last_sign_in_at),
    source: row.source === 'oidc' ? 'oidc' : 'password',
    hasPassword: row.password_hash !== null,
  };
}

// Compared against when an account is unknown or has no password, so that "no such account" costs as much as
// "wrong password" and sign-in timing reveals nothing. Made once per process, from a random password.
let dummyHash: Promise<string> | null = null;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}

export interface StaffStoreOptions {
  now?: () => Date;
}

export function staffStore(db: Db, opts: StaffStoreOptions = {}) {
  const now = opts.now ?? (() => new Date());

  async function rowByEmail(email: string) {
    return db.selectFrom('staff').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  }

  async function update(
    id: string,
    changes: Omit<Updateable<StaffTable>, 'id' | 'session_version'>,
    bumpVersion = false,
  ): Promise<StaffMember> {
    const row = await db
      .updateTable('staff')
      .set((eb) => ({
        ...changes,
        updated_at: toDbTime(now()),
        ...(bumpVersion ? { session_version: eb('session_version', '+', 1) } : {}),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new StaffStoreError('not_found', 'No staff member has that id.');
    return toMember(row);
  }

  return {
    async add(input: {
      email: string;
      role: Role;
      password?: string;
      source?: StaffSource;
    }): Promise<StaffMember> {
      const email = checkedEmail(input.email);
      const role = checkedRole(input.role);
      const passwordHash = input.password !== undefined ? await checkedHash(input.password) : null;
      const at = toDbTime(now());
      const row = await db
        .insertInto('staff')
        .values({
          id: randomUUID(),
          email,
          role,
          password_hash: passwordHash,
          source: input.source ?? 'password',
          disabled: 0,
          session_version: 0,
          created_at: at,
          updated_at: at,
          last_sign_in_at: null,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row)
        throw new StaffStoreError('duplicate', `A staff member with the email ${email} already exists.`);
      return toMember(row);
    },

    /** An email already used by another staff member is refused, never merged; safe when two instances race. */
    async signInOidc(input: {
      issuer: string;
      subject: string;
      email: string;
      role: Role;
    }): Promise<{ ok: true; member: StaffMember; created: boolean } | { ok: false; code: 'email_in_use' }> {
      const bound = () =>
        db
          .selectFrom('staff')
          .selectAll()
          .where('oidc_issuer', '=', input.issuer)
          .where('oidc_subject', '=', input.subject)
          .executeTakeFirst();
      const existing = await bound();
      if (existing) return { ok: true, member: toMember(existing), created: false };
      const at = toDbTime(now());
      const row = await db
        .insertInto('staff')
        .values({
          id: randomUUID(),
          email: checkedEmail(input.email),
          role: checkedRole(input.role),
          password_hash: null,
          source: 'oidc',
          disabled: 0,
          session_version: 0,
          created_at: at,
          updated_at: at,
          last_sign_in_at: null,
          oidc_issuer: input.issuer,
          oidc_subject: input.subject,
        })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return { ok: true, member: toMember(row), created: true };
      const raced = await bound();
      return raced
        ? { ok: true, member: toMember(raced), created: false }
        : { ok: false, code: 'email_in_use' };
    },

    async findByOidc(issuer: string, subject: string): Promise<StaffMember | null> {
      const row = await db
        .selectFrom('staff')
        .selectAll()
        .where('oidc_issuer', '=', issuer)
        .where('oidc_subject', '=', subject)
        .executeTakeFirst();
      return row ? toMember(row) : null;
    },

    async findByEmail(email: string): Promise<StaffMember | null> {
      const row = await rowByEmail(email);
      return row ? toMember(row) : null;
    },

    async findById(id: string): Promise<StaffMember | null> {
      const row = await db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMember(row) : null;
    },

    async list(): Promise<StaffMember[]> {
      const rows = await db.selectFrom('staff').selectAll().orderBy('email').execute();
      return rows.map(toMember);
    },

    async checkPassword(email: string, password: string): Promise<StaffMember | null> {
      const row = await rowByEmail(email);
      const ok = await verifyPassword(row?.password_hash ?? (await getDummyHash()), password);
      if (!row || !row.password_hash || !ok) return null;
      const member = toMember(row);
      if (member.disabled) return null;
      if (needsRehash(row.password_hash)) {
        await db
          .updateTable('staff')
          .set({ password_hash: await hashPassword(password) })
          .where('id', '=', row.id)
          .execute();
      }
      return member;
    },

    /** Also ends every console session: a reset usually follows a suspicion. */
    async setPassword(id: string, password: string): Promise<StaffMember> {
      return update(id, { password_hash: await checkedHash(password) }, true);
    },

    async setRole(id: string, role: Role): Promise<StaffMember> {
      return update(id, { role: checkedRole(role) });
    },

    /** Also ends every console session, so a re-enable does not revive old cookies. */
    async setDisabled(id: string, disabled: boolean): Promise<StaffMember> {
      return update(id, { disabled: disabled ? 1 : 0 }, disabled);
    },

    async signOutEverywhere(id: string): Promise<StaffMember> {
      return update(id, {}, true);
    },

    async recordSignIn(id: string): Promise<void> {
      await db
        .updateTable('staff')
        .set({ last_sign_in_at: toDbTime(now()) })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type StaffStore = ReturnType<typeof staffStore>;
