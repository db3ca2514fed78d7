import type { Permission } from '@/lib/vocabulary';

export const JOB_STATES = ['queued', 'running', 'paused', 'cancelled', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'running', 'paused'];
export const RUNNING_JOB_STATES: readonly JobState[] = ['queued', 'running'];

export const JOB_KINDS = ['sessions', 'users', 'client', 'user_except'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const ITEM_OUTCOMES = [
  'revoked',
  'already_inactive',
  'done',
  'already',
  'refused',
  'not_found',
  'failed',
  'not_attempted',
] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export const ITEM_OUTCOME_LABELS: Record<ItemOutcome | 'pending', string> = {
  revoked: 'Revoked',
  already_inactive: 'Already inactive',
  done: 'Done',
  already: 'Already so',
  refused: 'Refused by Clerk',
  not_found: 'Not found',
  failed: 'Failed',
  not_attempted: 'Not attempted',
  pending: 'Pending',
};

// What a job does to each user: revoke sessions (null, as before), an incident containment, or securing one account.
export const INCIDENT_ACTIONS = ['sign_out', 'password_compromised', 'lock', 'ban'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];
export type AccountAction = Exclude<IncidentAction, 'sign_out'>;
export type JobAction = AccountAction | 'secure_account';

export const INCIDENT_ACTION_LABELS: Record<IncidentAction, string> = {
  sign_out: 'Sign out everywhere',
  password_compromised: 'Mark compromised: reset at the next sign-in',
  lock: 'Lock the accounts',
  ban: 'Ban the users',
};

export const JOB_STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  cancelled: 'Cancelled',
  done: 'Done',
  failed: 'Failed',
};

export interface JobScope {
  sessionIds?: string[];
  userIds?: string[];
  clientId?: string;
  keepSessionId?: string;
  steps?: string[];
}

export type OutcomeCounts = Record<ItemOutcome | 'pending', number>;

/** Every permission the acting member must hold, space-separated (`jobs:incident account:ban`). */
export type JobPermission = Permission | `${Permission} ${string}`;

export type PausedReason = 'by_staff' | 'owner_lost_access';

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  scope: JobScope;
  reason: string;
  reasonCode: string | null;
  ticket: string | null;
  createdBy: { staffId: string; email: string; role: string };
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  total: number;
  expanding: number;
  counts: OutcomeCounts;
  permission: JobPermission;
  action: JobAction | null;
  pausedReason: PausedReason | null;
  runAs: { staffId: string; email: string; role: string } | null;
  owners?: { count: number; first: string[] };
}

export interface JobItemView {
  id: number;
  sessionId: string;
  userId: string | null;
  step: string | null;
  message: string | null;
  detail: Record<string, number> | null;
  outcome: ItemOutcome | 'pending';
  attempts: number;
  traceId: string | null;
  code: string | null;
  finishedAt: number | null;
}

export const MAX_JOB_SESSIONS = 100_000;
export const MAX_INCIDENT_LINES = 10_000;
export const MAX_INCIDENT_BYTES = 2 * 1024 * 1024;
/** A header only the console's own fetch sets: a cross-site form cannot, and a cross-site fetch must ask first. */
export const CONSOLE_FETCH_HEADER = 'x-console-fetch';
export const MAX_ACTIVE_JOBS_PER_MEMBER = 5;
export const MAX_QUEUED_ITEMS_PER_MEMBER = 20_000;
export const MAX_JOB_USERS = 10_000;
export const TYPED_CONFIRM_THRESHOLD = 50;

export function needsTypedConfirmation(sessions: number, users: number): boolean {
  return sessions > TYPED_CONFIRM_THRESHOLD || users > 1;
}

// Counting costs one bulk-lane session list per user (10,000 users: ~500 s); above this the job counts as it expands.
export const INCIDENT_COUNT_MAX_USERS = 200;

export interface PlanCounts {
  sessions: number | null;
  users: number;
}

export function confirmationFor(counts: PlanCounts): { count: number; what: 'sessions' | 'users' } | null {
  if (counts.sessions === null) return { count: counts.users, what: 'users' };
  return needsTypedConfirmation(counts.sessions, counts.users)
    ? { count: counts.sessions, what: 'sessions' }
    : null;
}

export function emptyCounts(): OutcomeCounts {
  return Object.fromEntries([...ITEM_OUTCOMES, 'pending'].map((o) => [o, 0])) as OutcomeCounts;
}

export function isFinished(state: JobState): boolean {
  return state === 'cancelled' || state === 'done' || state === 'failed';
}

/** "Tell the user" on a job: one user, the member's (possibly edited) words, sent once the job exists. */
export interface JobNotice {
  kind: 'bulk' | 'secure';
  userId: string;
  message: string;
}
