import 'server-only';
import type { ColumnType, Generated } from 'kysely';

/**
 * Times are written as ISO-8601 UTC strings on both engines (PostgreSQL casts them into `timestamptz`, SQLite
 * stores them as TEXT, where that fixed format also sorts and compares correctly). PostgreSQL reads them back as
 * Date, SQLite as string: `toDate()` in ./values turns either into a Date.
 */
export type DbTime = ColumnType<Date | string, string, string>;

export interface StaffTable {
  id: string;
  email: string;
  role: string;
  password_hash: string | null;
  source: string;
  /** 0 or 1 on both engines (SQLite has no boolean type). */
  disabled: number;
  session_version: number;
  created_at: DbTime;
  updated_at: DbTime;
  last_sign_in_at: DbTime | null;
}

export interface SignInAttemptTable {
  id: string;
  email: string;
  ip: string;
  at: DbTime;
}

export type AuditRowKind = 'intent' | 'outcome' | 'event';

export interface AuditLogTable {
  seq: Generated<number | string>;
  id: string;
  kind: AuditRowKind;
  /** Outcome rows only: the intent they resolve (unique: an intent has at most one outcome). */
  intent_id: string | null;
  at: DbTime;
  /** Intent rows: the console instance that wrote them, to tell "still running" from "crashed". */
  instance_id: string | null;
  action: string;
  outcome: string;
  actor_staff_id: string | null;
  actor_email: string;
  actor_role: string | null;
  session_id: string | null;
  user_id: string | null;
  client_id: string | null;
  /** JSON object. */
  details: string;
  ip: string | null;
  user_agent: string | null;
  code: string | null;
  trace_id: string | null;
  /** Outcome rows: 1 when a staff member set it by reconciliation (the row's actor is then that staff member). */
  reconciled: number;
}

export interface ConsoleInstanceTable {
  id: string;
  started_at: DbTime;
}

export type JobKind = 'sessions' | 'users' | 'client' | 'user_except';
export type JobState = 'queued' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

export interface RevocationJobTable {
  id: string;
  idempotency_key: string;
  kind: JobKind;
  state: JobState;
  /** JSON: what the job covers (user ids, a client id, the kept session). */
  scope: string;
  reason: string;
  created_by_staff_id: string;
  created_by_email: string;
  created_by_role: string;
  created_at: DbTime;
  started_at: DbTime | null;
  finished_at: DbTime | null;
  updated_at: DbTime;
  error: string | null;
}

export interface RevocationJobItemTable {
  id: Generated<number | string>;
  job_id: string;
  kind: 'session' | 'user' | 'client';
  target: string;
  user_id: string | null;
  state: 'pending' | 'claimed' | 'done';
  outcome: string | null;
  lease_owner: string | null;
  lease_until: DbTime | null;
  attempt_at: DbTime | null;
  attempts: Generated<number>;
  intent_id: string | null;
  trace_id: string | null;
  code: string | null;
  finished_at: DbTime | null;
}

export interface Database {
  revocation_jobs: RevocationJobTable;
  revocation_job_items: RevocationJobItemTable;
  staff: StaffTable;
  sign_in_attempts: SignInAttemptTable;
  audit_log: AuditLogTable;
  console_instances: ConsoleInstanceTable;
}
