import { STEP_INFO, type SecureStep } from '@/lib/account/steps';
import type { JobTarget } from '@/lib/jobs/inputs';
import {
  confirmationFor,
  MAX_JOB_SESSIONS,
  TYPED_CONFIRM_THRESHOLD,
  type AccountAction,
  type IncidentAction,
  type JobPermission,
  type PlanCounts,
} from '@/lib/jobs/types';
import {
  can,
  plural,
  PERMISSIONS,
  ROLES,
  type ApprovalAction,
  type ApprovalRules,
  type Permission,
  type Role,
} from '@/lib/vocabulary';

// Client-safe: who may start, run and steer which job, and whether it asks for the password again.

export type JobStepUp = { kind: 'password' } | { kind: 'sso'; fresh: boolean } | null;

export interface JobPolicy {
  permission: JobPermission;
  stepUp: boolean;
}

export const ACTION_PERMISSION: Record<AccountAction, Permission> = {
  password_compromised: 'account:password_compromised',
  lock: 'account:lock',
  ban: 'account:ban',
};

export function jobPermission(perms: readonly Permission[]): JobPermission {
  return [...new Set(perms)].sort().join(' ') as JobPermission;
}

export function permissionsOf(p: string): Permission[] {
  return p.split(' ').filter(Boolean) as Permission[];
}

export function mayRunJob(role: string, p: string): boolean {
  return permissionsOf(p).every((x) => can(role as Role, x));
}

export function isIncidentJob(p: string): boolean {
  return permissionsOf(p).includes('jobs:incident');
}

/** For each role, the permissions it lacks: the store checks a job's permission against these in SQL. */
export function permissionsLacking(): { role: Role; lacks: Permission[] }[] {
  const all = [...new Set(ROLES.flatMap((r) => PERMISSIONS[r]))];
  return ROLES.map((role) => ({ role, lacks: all.filter((p) => !can(role, p)) }));
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

// Containing accounts is never a small thing: the action's own permission on top, and always the password again.
export function incidentPolicy(action: IncidentAction, base: JobPolicy): JobPolicy {
  if (action === 'sign_out') return base;
  return { permission: jobPermission(['jobs:incident', ACTION_PERMISSION[action]]), stepUp: true };
}

export function secureAccountPolicy(steps: readonly SecureStep[]): JobPolicy {
  return { permission: jobPermission(steps.flatMap((s) => STEP_INFO[s].permissions)), stepUp: true };
}

export function confirmationForAction(
  action: IncidentAction,
  counts: PlanCounts,
): { count: number; what: 'sessions' | 'users' } | null {
  if (action === 'sign_out') return confirmationFor(counts);
  return counts.users > 1 ? { count: counts.users, what: 'users' } : null;
}

export function maySteerJob(staff: { id: string; role: Role }, job: { createdBy: { staffId: string } }) {
  return can(staff.role, 'sessions:revoke') && (staff.role === 'admin' || job.createdBy.staffId === staff.id);
}

// A job paused because the member it runs as lost access starts again only under an administrator.
export function mayAdoptJob(role: Role): boolean {
  return role === 'admin';
}

export const SEVERAL_USERS_MESSAGE =
  'Only an administrator can start a job over several users (or over sessions of users not named).';
export const STEER_REFUSED = 'Only the person who started this job, or an administrator, can change it.';
export const ADOPT_REFUSED =
  'This job was paused because the member it runs as lost access: only an administrator can resume it.';

export function actionRefused(action: IncidentAction): string {
  return `Your role does not allow this: ${action === 'sign_out' ? 'signing out' : action.replace('_', ' ')} a list of users needs an administrator.`;
}

export function tooManySessions(counts: PlanCounts): string | null {
  return counts.sessions !== null && counts.sessions > MAX_JOB_SESSIONS
    ? `This job would revoke ${plural(counts.sessions, 'session')}: one job holds ${MAX_JOB_SESSIONS.toLocaleString('en-US')} at most. Split the list into smaller jobs.`
    : null;
}

// A job over chosen sessions names its owners; the store decides the permission when the caller does not.
export function permissionForItems(j: {
  sessions: { userId: string | null }[];
  expand: unknown[];
}): JobPermission {
  const owners = new Set(j.sessions.map((s) => s.userId));
  const several = owners.size > 1 || owners.has(null) || j.expand.length > 1;
  return several || (j.expand.length === 1 && owners.size > 0) ? 'jobs:incident' : 'sessions:revoke';
}

export { APPROVAL_ACTION_NAMES, type ApprovalAction, type ApprovalRules } from '@/lib/vocabulary';

const STEP_APPROVAL: Record<SecureStep, ApprovalAction> = {
  ban: 'ban',
  lock: 'lock',
  password_compromised: 'password_compromised',
  reset_mfa: 'mfa_reset',
  revoke_api_keys: 'api_keys',
  revoke_trusted_devices: 'trusted_devices',
  sign_out_all: 'sign_out',
};

const APPROVAL_ACTION_LABEL: Record<ApprovalAction, string> = {
  ban: 'a ban',
  lock: 'a lock',
  password_compromised: 'marking passwords compromised',
  mfa_reset: 'an MFA reset',
  api_keys: 'revoking API keys',
  trusted_devices: 'revoking trusted devices',
  sign_out: 'signing out',
};

export function approvalActionsOf(job: { action?: IncidentAction; steps?: readonly SecureStep[] }) {
  return job.steps ? job.steps.map((s) => STEP_APPROVAL[s]) : [job.action ?? 'sign_out'];
}

export interface ApprovalNeed {
  approval: 'required' | 'not_required';
  why: string[];
}

// "More than N": a job over exactly the threshold goes ahead; an uncounted list is judged by its users.
export function approvalFor(
  rules: ApprovalRules,
  job: { users: number; sessions: number | null; actions: readonly ApprovalAction[] },
): ApprovalNeed {
  if (!rules.enabled) return { approval: 'not_required', why: [] };
  const why: string[] = [];
  if (job.users > rules.minUsers) why.push(`more than ${plural(rules.minUsers, 'user')}`);
  if (job.sessions !== null && job.sessions > rules.minSessions)
    why.push(`more than ${plural(rules.minSessions, 'session')}`);
  for (const a of new Set(job.actions))
    if (rules.actions.includes(a)) why.push(`${APPROVAL_ACTION_LABEL[a]} always needs one`);
  return { approval: why.length ? 'required' : 'not_required', why };
}

export function approvalMessage(need: ApprovalNeed): string {
  return `This needs a second administrator's approval: ${need.why.join('; ')}.`;
}

export const MIN_EMERGENCY_REASON = 10;

/** What a dry run tells the form: whether a second admin must approve, why, and whether this member may act alone. */
export interface ApprovalNote {
  approval: ApprovalNeed['approval'];
  approvalWhy: string[];
  breakGlass: boolean;
}
