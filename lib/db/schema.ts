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

export interface RiskReviewTable {
  session_id: string;
  kind: string;
  fingerprint: string;
  user_id: string;
  note: string;
  reviewed_by_staff_id: string;
  reviewed_by_email: string;
  reviewed_at: DbTime;
}

export interface RiskWatchlistTable {
  id: string;
  /** JSON: the watchlist and the scan's cursor (lib/risk/watchlist.ts). */
  state: string;
  refreshed_at: DbTime | null;
  lease_owner: string | null;
  lease_until: DbTime | null;
}

export interface Database {
  staff: StaffTable;
  sign_in_attempts: SignInAttemptTable;
  audit_log: AuditLogTable;
  console_instances: ConsoleInstanceTable;
  risk_reviews: RiskReviewTable;
  risk_watchlist: RiskWatchlistTable;
}
