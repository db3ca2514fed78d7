import 'server-only';
import type { ColumnType, Generated } from 'kysely';

// Times: ISO-8601 UTC text on both engines (timestamptz in PostgreSQL; sorts as TEXT in SQLite); read via toDate().
export type DbTime = ColumnType<Date | string, string, string>;

export interface StaffTable {
  id: string;
  email: string;
  role: string;
  password_hash: string | null;
  source: string;
  disabled: number;
  session_version: number;
  created_at: DbTime;
  updated_at: DbTime;
  last_sign_in_at: DbTime | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

export interface AuthRateLimitTable {
  key: string;
  points: number;
  expire: number | string | null;
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
  intent_id: string | null;
  at: DbTime;
  /** Intent rows: the instance that wrote them, to tell "still running" from "crashed". */
  instance_id: string | null;
  action: string;
  outcome: string;
  actor_staff_id: string | null;
  actor_email: string;
  actor_role: string | null;
  session_id: string | null;
  user_id: string | null;
  client_id: string | null;
  details: string;
  ip: string | null;
  user_agent: string | null;
  code: string | null;
  trace_id: string | null;
  reconciled: number;
  reason_code: ColumnType<string | null, string | null | undefined, never>;
  ticket: ColumnType<string | null, string | null | undefined, never>;
}

export interface ConsoleInstanceTable {
  id: string;
  started_at: DbTime;
}

export interface ClerkBudgetTable {
  key: string;
  bucket: number | string;
  n: number | string;
}

export interface AuditDenialTable {
  audit_id: string;
  minute: string;
  action: string;
  code: string;
  ip: string;
  staff_id: string;
  /** bigint: pg returns it as a string. */
  hits: ColumnType<number | string, number, number>;
  last_at: DbTime;
}

export interface AuditDenialPartTable {
  audit_id: string;
  part: string;
  hits: ColumnType<number | string, number, number>;
}

export interface IdempotencyKeyTable {
  key: string;
  staff_id: string;
  action: string;
  /** SHA-256 of the validated input, secrets left out. */
  fingerprint: string;
  state: 'running' | 'done';
  /** JSON: the ActionResult a replay answers with (never a minted token). Null while running. */
  result: string | null;
  created_at: DbTime;
  completed_at: DbTime | null;
}

export type JobKind = 'sessions' | 'users' | 'client' | 'user_except';
export type JobState = 'queued' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

export interface RevocationJobTable {
  id: string;
  idempotency_key: string;
  kind: JobKind;
  state: JobState;
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
  permission: ColumnType<string, string | undefined, string>;
  created_by_session_version: number | null;
  paused_reason: string | null;
  run_as_staff_id: string | null;
  run_as_email: string | null;
  run_as_role: string | null;
  run_as_session_version: number | null;
  last_claimed_at: DbTime | null;
  action: ColumnType<string | null, string | null | undefined, string | null>;
  reason_code: ColumnType<string | null, string | null | undefined, never>;
  ticket: ColumnType<string | null, string | null | undefined, never>;
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
  cursor: string | null;
  hold_for: number | string | null;
  step: ColumnType<string | null, string | null | undefined, string | null>;
  message: ColumnType<string | null, string | null | undefined, string | null>;
  detail: ColumnType<string | null, string | null | undefined, string | null>;
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
  state: string;
  refreshed_at: DbTime | null;
  lease_owner: string | null;
  lease_until: DbTime | null;
}

/** bigint epoch milliseconds: pg returns them as strings. */
export type EpochMs = ColumnType<number | string, number, number>;

export type SessionIndexSource = 'webhook' | 'backfill';

export interface SessionIndexTable {
  session_id: string;
  user_id: string;
  client_id: string | null;
  status: string;
  created_at: EpochMs;
  /** Clerk's updated_at: a delivery older than the stored row is ignored. */
  updated_at: EpochMs;
  last_active_at: EpochMs | null;
  ended_at: EpochMs | null;
  expire_at: EpochMs | null;
  ip: string | null;
  /** 32 lowercase hex digits of the IPv6 form (IPv4 mapped): `ip_key BETWEEN lo AND hi` is a CIDR. */
  ip_key: string | null;
  city: string | null;
  country: string | null;
  device_type: string | null;
  browser_name: string | null;
  browser_version: string | null;
  is_mobile: number | null;
  actor: string | null;
  user_name: string | null;
  user_email: string | null;
  user_deleted: ColumnType<number, number | undefined, number>;
  source: SessionIndexSource;
  indexed_at: EpochMs;
}

export interface SessionIndexUserTable {
  user_id: string;
  user_name: string | null;
  user_email: string | null;
  deleted: number;
  updated_at: EpochMs;
}

export interface WebhookDeliveryTable {
  svix_id: string;
  event_type: string;
  received_at: EpochMs;
  /** The svix-timestamp it was signed with (ms): the same id signed again is a retry, the same signature a replay. */
  signed_at: EpochMs;
  applied: number;
}

export interface SessionIndexStateTable {
  key: string;
  value: string;
}

export interface LeaseTable {
  name: string;
  lease_owner: string | null;
  lease_until: DbTime | null;
}

/** Risk signals computed as sessions reach the index; a user's rows are replaced together. */
export interface SessionSignalTable {
  session_id: string;
  kind: string;
  user_id: string;
  severity: string;
  evidence: string;
  fingerprint: string;
  computed_at: EpochMs;
}

/** When each country, device and browser first appeared in a user's sessions: the baseline of new signals. */
export interface SessionIndexBaselineTable {
  user_id: string;
  kind: 'country' | 'device' | 'browser';
  value: string;
  first_created_at: EpochMs;
}

export interface AuditStreamCursorTable {
  receiver: string;
  kind: 'webhook' | 'ssf';
  /** bigint: pg returns it as a string. */
  cursor: ColumnType<number | string, number, number>;
  generation: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_until: DbTime | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: DbTime | null;
  last_success_at: DbTime | null;
  last_error: string | null;
  last_error_at: DbTime | null;
  delivered: ColumnType<number | string, number | undefined, number>;
  updated_at: DbTime;
}

export type UserNoticeState = 'queued' | 'sending' | 'sent' | 'failed';

export interface UserNoticeTable {
  id: string;
  created_at: DbTime;
  user_id: string;
  session_id: string | null;
  email: string;
  kind: string;
  reason_code: string;
  subject: string;
  body_text: string;
  body_html: string;
  actor_staff_id: string | null;
  actor_email: string;
  actor_role: string | null;
  state: UserNoticeState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: DbTime;
  lease_owner: string | null;
  lease_until: DbTime | null;
  sent_at: DbTime | null;
  last_error: string | null;
  message_id: string | null;
}

export interface CaughtMailTable {
  id: string;
  received_at: DbTime;
  notice_id: string | null;
  mail_from: string;
  rcpt_to: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  message_id: string | null;
}

export type ApprovalState = 'waiting' | 'approved' | 'declined' | 'expired' | 'cancelled' | 'executed';

export interface ApprovalRequestTable {
  id: string;
  request_key: string;
  mode: 'request' | 'break_glass';
  state: ApprovalState;
  requester_staff_id: string;
  requester_email: string;
  requester_role: string;
  reason: string;
  reason_code: string | null;
  ticket: string | null;
  emergency_reason: string | null;
  /** JSON: what the dry run showed (users, sessions, action, steps, why). */
  summary: string;
  /** JSON: the job exactly as it will be created (kind, scope, items, permission). */
  job: string;
  created_at: DbTime;
  expires_at: DbTime;
  decided_by_staff_id: string | null;
  decided_by_email: string | null;
  decided_at: DbTime | null;
  decision_reason: string | null;
  job_id: string | null;
}

export interface Database {
  revocation_jobs: RevocationJobTable;
  revocation_job_items: RevocationJobItemTable;
  staff: StaffTable;
  sign_in_attempts: SignInAttemptTable;
  audit_log: AuditLogTable;
  console_instances: ConsoleInstanceTable;
  clerk_budget: ClerkBudgetTable;
  auth_rate_limits: AuthRateLimitTable;
  audit_denials: AuditDenialTable;
  audit_denial_parts: AuditDenialPartTable;
  idempotency_keys: IdempotencyKeyTable;
  risk_reviews: RiskReviewTable;
  risk_watchlist: RiskWatchlistTable;
  session_index: SessionIndexTable;
  session_index_users: SessionIndexUserTable;
  webhook_deliveries: WebhookDeliveryTable;
  session_index_state: SessionIndexStateTable;
  session_signals: SessionSignalTable;
  session_index_baseline: SessionIndexBaselineTable;
  audit_stream_cursors: AuditStreamCursorTable;
  user_notices: UserNoticeTable;
  caught_mail: CaughtMailTable;
  approval_requests: ApprovalRequestTable;
  leases: LeaseTable;
}
