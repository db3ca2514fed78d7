import type { JobTarget } from '@/lib/jobs/inputs';
import { MAX_JOB_SESSIONS, TYPED_CONFIRM_THRESHOLD, type PlanCounts } from '@/lib/jobs/types';
import { plural } from '@/lib/vocabulary';

// Client-safe: who may start a job from a (signed) dry run, and whether it asks for the password again.

export type JobStepUp = { kind: 'password' } | { kind: 'sso'; fresh: boolean } | null;

export type JobPermission = 'sessions:revoke' | 'jobs:incident';

export interface JobPolicy {
  permission: JobPermission;
  stepUp: boolean;
}

function ownersUnknown(t: JobTarget): boolean {
  return t.kind === 'sessions' && !t.userId;
}

function distinct(ids: readonly string[]): number {
  return new Set(ids).size;
}

export function severalUsersUpFront(t: JobTarget): boolean {
  return ownersUnknown(t) || (t.kind === 'users' && distinct(t.userIds) > 1);
}

// Several owners (or unknown ones) need the incident permission; several users or > 50 sessions need step-up.
export function jobPolicy(t: JobTarget, counts: PlanCounts, incident = false): JobPolicy {
  const several = severalUsersUpFront(t) || counts.users > 1;
  const unknownMany = ownersUnknown(t) && t.kind === 'sessions' && distinct(t.sessionIds) > 1;
  return {
    permission: several || incident ? 'jobs:incident' : 'sessions:revoke',
    stepUp:
      counts.sessions === null ||
      counts.sessions > TYPED_CONFIRM_THRESHOLD ||
      counts.users > 1 ||
      (t.kind === 'users' && distinct(t.userIds) > 1) ||
      unknownMany,
  };
}

export const SEVERAL_USERS_MESSAGE =
  'Only an administrator can start a job over several users (or over sessions of users not named).';

export function tooManySessions(counts: PlanCounts): string | null {
  return counts.sessions !== null && counts.sessions > MAX_JOB_SESSIONS
    ? `This job would revoke ${plural(counts.sessions, 'session')}: one job holds ${MAX_JOB_SESSIONS.toLocaleString('en-US')} at most. Split the list into smaller jobs.`
    : null;
}
