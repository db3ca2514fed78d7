// Client-safe words of revocation jobs: the UI's filters and labels use the same lists as the store.

export const JOB_STATES = ['queued', 'running', 'paused', 'cancelled', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'running', 'paused'];
/** What the header's "N jobs running" counts (a paused job is under way but not running). */
export const RUNNING_JOB_STATES: readonly JobState[] = ['queued', 'running'];

export const JOB_KINDS = ['sessions', 'users', 'client', 'user_except'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** What happened to one session of a job. */
export const ITEM_OUTCOMES = ['revoked', 'already_inactive', 'not_found', 'failed', 'not_attempted'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export const ITEM_OUTCOME_LABELS: Record<ItemOutcome | 'pending', string> = {
  revoked: 'Revoked',
  already_inactive: 'Already inactive',
  not_found: 'Not found',
  failed: 'Failed',
  not_attempted: 'Not attempted',
  pending: 'Pending',
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
}

export type OutcomeCounts = Record<ItemOutcome | 'pending', number>;

/** The permission a job needs for as long as it runs: more than one owner (or an incident list) needs the second. */
export type JobPermission = 'sessions:revoke' | 'jobs:incident';
export const JOB_PERMISSIONS: readonly JobPermission[] = ['sessions:revoke', 'jobs:incident'];

/** Why a job is paused: a person paused it, or the runner did because its acting member lost access. */
export type PausedReason = 'by_staff' | 'owner_lost_access';

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  scope: JobScope;
  reason: string;
  createdBy: { staffId: string; email: string; role: string };
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  /** Sessions found so far (grows while users and clients are expanded) and users or clients still to expand. */
  total: number;
  expanding: number;
  counts: OutcomeCounts;
  permission: JobPermission;
  pausedReason: PausedReason | null;
  /** The member the job runs as when an administrator adopted it; null: it runs as its creator. */
  runAs: { staffId: string; email: string; role: string } | null;
  /** The distinct owners of its sessions as Clerk reports them (read for one job, not for lists). */
  owners?: { count: number; first: string[] };
}

export interface JobItemView {
  id: number;
  sessionId: string;
  userId: string | null;
  outcome: ItemOutcome | 'pending';
  attempts: number;
  traceId: string | null;
  code: string | null;
  finishedAt: number | null;
}

export const MAX_JOB_SESSIONS = 100_000;
export const MAX_INCIDENT_LINES = 10_000;
/** The incident list's own body limit (its route handler; server actions keep next.config.ts's 64 kB). */
export const MAX_INCIDENT_BYTES = 2 * 1024 * 1024;
/** A header only the console's own fetch sets: a cross-site form cannot, and a cross-site fetch must ask first. */
export const CONSOLE_FETCH_HEADER = 'x-console-fetch';
/** Jobs one member may have under way (queued, running or paused) at once. */
export const MAX_ACTIVE_JOBS_PER_MEMBER = 5;
/** Items not yet done across one member's jobs under way (a user or client still to expand counts as one). */
export const MAX_QUEUED_ITEMS_PER_MEMBER = 20_000;
export const MAX_JOB_USERS = 10_000;
/** Above this many sessions, or with more than one user, the person types the count to confirm. */
export const TYPED_CONFIRM_THRESHOLD = 50;

export function needsTypedConfirmation(sessions: number, users: number): boolean {
  return sessions > TYPED_CONFIRM_THRESHOLD || users > 1;
}

/**
 * An incident list of more users than this is not counted before the job: counting costs one session list per
 * user in the bulk lane (10,000 users: about 500 s at a production key's budget), while the job finds the same
 * sessions as it expands. The person then confirms the number of users instead.
 */
export const INCIDENT_COUNT_MAX_USERS = 200;

/** `sessions` is null for an incident list too long to count first (INCIDENT_COUNT_MAX_USERS). */
export interface PlanCounts {
  sessions: number | null;
  users: number;
}

/**
 * What the person types to start a job from `counts`: the sessions, or the users when they were not counted;
 * null when no typed confirmation is needed.
 */
export function confirmationFor(counts: PlanCounts): { count: number; what: 'sessions' | 'users' } | null {
  if (counts.sessions === null) return { count: counts.users, what: 'users' };
  return needsTypedConfirmation(counts.sessions, counts.users)
    ? { count: counts.sessions, what: 'sessions' }
    : null;
}

export function emptyCounts(): OutcomeCounts {
  return { revoked: 0, already_inactive: 0, not_found: 0, failed: 0, not_attempted: 0, pending: 0 };
}

export function isFinished(state: JobState): boolean {
  return state === 'cancelled' || state === 'done' || state === 'failed';
}
