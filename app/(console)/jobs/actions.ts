'use server';

import { randomUUID } from 'node:crypto';
import { staffAction, type ActionContext } from '@/lib/actions/staff-action';
import { fail, ok, type ActionResult, can, plural } from '@/lib/vocabulary';
import { confirmStepUp } from '@/lib/auth/step-up';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import {
  cancelMemberJobsInput,
  createJobInput,
  dryRunJobInput,
  dryRunSecureAccountInput,
  jobIdInput,
  startSecureAccountInput,
  type JobTarget,
} from '@/lib/jobs/inputs';
import type { SecureDryRun } from '@/lib/account/preview';
import { canTakeStep, STEP_INFO } from '@/lib/account/steps';
import { openSecurePlan, secureDryRun } from '@/lib/jobs/secure-account';
import {
  dryRun,
  jobItems,
  notOwnedMessage,
  sessionsNotOwnedBy,
  stepUpFor,
  verifyPlan,
} from '@/lib/jobs/plan';
import {
  actionRefused,
  ADOPT_REFUSED,
  confirmationForAction,
  incidentPolicy,
  jobPolicy,
  secureAccountPolicy,
  mayAdoptJob,
  mayRunJob,
  maySteerJob,
  SEVERAL_USERS_MESSAGE,
  severalUsersUpFront,
  STEER_REFUSED,
  tooManySessions,
} from '@/lib/jobs/policy';
import type { AccountAction } from '@/lib/jobs/types';
import {
  jobStore,
  JobCapError,
  JobKeyConflictError,
  wakeJobRunner,
  type JobState,
  type JobView,
} from '@/lib/jobs';

function capMessage(e: JobCapError): string {
  return e.what === 'jobs'
    ? `You already have ${e.limit} jobs under way: wait for one to finish or cancel one.`
    : `This job would take your jobs under way past ${e.limit.toLocaleString('en-US')} sessions still to revoke: wait for one to finish or cancel one.`;
}

export const dryRunJobAction = staffAction(
  { name: 'job.dry_run', access: 'sessions:revoke', schema: dryRunJobInput },
  async ({ target }, ctx) => {
    if (severalUsersUpFront(target) && !can(ctx.staff.role, 'jobs:incident'))
      return fail('forbidden', SEVERAL_USERS_MESSAGE);
    const run = await dryRun(target, ctx.staff.id);
    const policy = jobPolicy(target, run);
    if (!mayRunJob(ctx.staff.role, policy.permission)) return fail('forbidden', SEVERAL_USERS_MESSAGE);
    const tooMany = tooManySessions(run);
    if (tooMany) return fail('invalid_input', tooMany);
    return ok(`${plural(run.sessions, 'session')} of ${plural(run.users, 'user')}.`, {
      ...run,
      stepUp: stepUpFor(ctx.staff, policy.stepUp),
    });
  },
);

/** From a signed dry run whose hash covers all it does; chosen ids are proven the user's by one list call. */
export const createJobAction = staffAction(
  {
    name: 'job.start',
    access: 'sessions:revoke',
    schema: createJobInput,
    idempotent: { omit: ['password'] },
  },
  async ({ target, reason, plan, confirmCount, password, action = 'sign_out' }, ctx) => {
    const { staff } = ctx;
    if (severalUsersUpFront(target) && !can(staff.role, 'jobs:incident'))
      return fail('forbidden', SEVERAL_USERS_MESSAGE);
    const counts = verifyPlan(plan, target, staff.id);
    if (!counts)
      return fail('invalid_input', 'The preview is out of date: close this dialog and open it again.');
    if (action !== 'sign_out' && (!counts.incident || target.kind !== 'users'))
      return fail('invalid_input', 'Only an incident list can lock, ban or flag passwords.');
    const policy = incidentPolicy(action, jobPolicy(target, counts, counts.incident));
    if (!mayRunJob(staff.role, policy.permission))
      return fail('forbidden', action === 'sign_out' ? SEVERAL_USERS_MESSAGE : actionRefused(action));
    const tooMany = tooManySessions(counts);
    if (tooMany) return fail('invalid_input', tooMany);
    const confirm = confirmationForAction(action, counts);
    if (confirm && confirmCount !== confirm.count) {
      return fail('invalid_input', `Type the number of ${confirm.what} to confirm.`, {
        fieldErrors: { confirmCount: [`Type ${confirm.count} to confirm.`] },
      });
    }
    const auditTarget = {
      userId:
        target.kind === 'user_except' || (target.kind === 'sessions' && target.userId)
          ? (target.userId ?? null)
          : null,
      clientId: target.kind === 'client' ? target.clientId : null,
      sessionId: target.kind === 'user_except' ? target.keepSessionId : null,
    };
    if (policy.stepUp) {
      const refused = await confirmStepUp(staff, password, {
        action: 'job.start',
        target: auditTarget,
        request: ctx.request,
        details: { kind: target.kind, count: counts.sessions, users: counts.users, action },
      });
      if (refused) return refused;
    }
    if (target.kind === 'sessions' && target.userId) {
      const ids = [...new Set(target.sessionIds)];
      const notOwned = await sessionsNotOwnedBy(target.userId, ids);
      if (notOwned) return fail('invalid_input', notOwnedMessage(notOwned, ids.length));
    }
    const store = jobStore(await getDb());
    const items =
      action !== 'sign_out' && target.kind === 'users' ? accountItems(target, action) : jobItems(target);
    return ctx.audited(
      'job.start',
      auditTarget,
      {
        reason,
        kind: target.kind,
        ...(action === 'sign_out' ? {} : { action }),
        count: counts.sessions,
        users: counts.users,
        permission: policy.permission,
        stepUp: policy.stepUp,
      },
      async (report) => {
        let job;
        try {
          job = await store.create({
            idempotencyKey: ctx.requestKey ?? randomUUID(),
            reason,
            actor: { staffId: staff.id, email: staff.email, role: staff.role },
            permission: policy.permission,
            ...items,
          });
        } catch (e) {
          if (e instanceof JobCapError) {
            report({ code: `cap_${e.what}` });
            return fail('invalid_input', capMessage(e));
          }
          if (!(e instanceof JobKeyConflictError)) throw e;
          report({ code: 'idempotency_conflict' });
          return fail('invalid_input', 'Reload the page and try again.');
        }
        report({ details: { jobId: job.id, duplicate: !job.created } });
        wakeJobRunner();
        return ok(job.created ? 'Job started.' : 'This job was already started.', { jobId: job.id });
      },
      { errorCode: 'store_failed' },
    );
  },
);

function accountItems(target: Extract<JobTarget, { kind: 'users' }>, action: AccountAction) {
  const userIds = [...new Set(target.userIds)];
  return {
    kind: 'users' as const,
    scope: { userIds: userIds.slice(0, 20) },
    sessions: [],
    expand: [],
    action,
    steps: userIds.map((userId) => ({ target: userId, userId, step: action })),
  };
}

export const dryRunSecureAccountAction = staffAction(
  { name: 'job.secure_account_dry_run', access: 'account:sign_out', schema: dryRunSecureAccountInput },
  async ({ userId, steps }, ctx) => {
    const denied = steps.filter((s) => !canTakeStep(ctx.staff.role, s));
    if (denied.length)
      return fail(
        'forbidden',
        `Your role does not allow: ${denied.map((s) => STEP_INFO[s].label.toLowerCase()).join(', ')}.`,
      );
    const run = await secureDryRun(userId, steps, ctx.staff.id);
    return ok<SecureDryRun>('Preview ready.', { ...run, stepUp: stepUpFor(ctx.staff, true) });
  },
);

/** Always asks for the password again: it is a big action for one person. */
export const startSecureAccountAction = staffAction(
  {
    name: 'job.secure_account',
    access: 'account:sign_out',
    schema: startSecureAccountInput,
    idempotent: { omit: ['stepUpPassword'] },
  },
  async ({ plan, reason, stepUpPassword }, ctx) => {
    const { staff } = ctx;
    const opened = openSecurePlan(plan, staff.id);
    if (!opened)
      return fail('invalid_input', 'The preview is out of date: close this dialog and open it again.');
    const { userId, steps } = opened;
    const policy = secureAccountPolicy(steps);
    if (!mayRunJob(staff.role, policy.permission))
      return fail('forbidden', 'Your role does not allow every step of this preview.');
    const refused = await confirmStepUp(staff, stepUpPassword, {
      action: 'job.start',
      target: { userId },
      request: ctx.request,
      details: { kind: 'secure_account', steps },
    });
    if (refused) return refused;
    const store = jobStore(await getDb());
    return ctx.audited(
      'job.start',
      { userId },
      { reason, kind: 'secure_account', steps, permission: policy.permission, stepUp: true },
      async (report) => {
        let job;
        try {
          job = await store.create({
            idempotencyKey: ctx.requestKey ?? randomUUID(),
            reason,
            actor: { staffId: staff.id, email: staff.email, role: staff.role },
            permission: policy.permission,
            kind: 'users',
            scope: { userIds: [userId], steps },
            sessions: [],
            expand: [],
            action: 'secure_account',
            steps: steps.map((step) => ({ target: step, userId, step })),
          });
        } catch (e) {
          if (e instanceof JobCapError) {
            report({ code: `cap_${e.what}` });
            return fail('invalid_input', capMessage(e));
          }
          if (!(e instanceof JobKeyConflictError)) throw e;
          report({ code: 'idempotency_conflict' });
          return fail('invalid_input', 'Reload the page and try again.');
        }
        report({ details: { jobId: job.id } });
        wakeJobRunner();
        return ok('Securing the account: follow each step on the job page.', { jobId: job.id });
      },
      { errorCode: 'store_failed' },
    );
  },
);

async function moveJob(
  ctx: ActionContext,
  jobId: string,
  action: 'job.pause' | 'job.resume' | 'job.cancel',
  from: readonly JobState[],
  to: JobState,
) {
  const { staff } = ctx;
  const store = jobStore(await getDb());
  const job = await store.get(jobId);
  if (!job) return fail('not_found', 'No job has that id.');
  if (!maySteerJob(staff, job)) return fail('forbidden', STEER_REFUSED);
  const adopt = to === 'running' && job.pausedReason === 'owner_lost_access';
  if (adopt && !mayAdoptJob(staff.role)) return fail('forbidden', ADOPT_REFUSED);
  return ctx.audited(
    action,
    {},
    {
      jobId,
      reason: job.reason,
      from: job.state,
      ...(adopt ? { adopted: true, previousRunAs: runAsOf(job) } : {}),
    },
    async (report) => {
      if (adopt && !(await store.adopt(jobId, { staffId: staff.id, email: staff.email, role: staff.role }))) {
        report({ code: 'wrong_state' });
        return wrongState(jobId, job);
      }
      if (!(await store.transition(jobId, from, to))) {
        report({ code: 'wrong_state' });
        return wrongState(jobId, job);
      }
      report({ details: { to } });
      if (to === 'running') wakeJobRunner();
      return ok(adopt ? 'Job resumed: it now runs as you.' : `Job ${to}.`, { jobId, state: to });
    },
  );
}

function runAsOf(job: JobView): string {
  return job.runAs?.email ?? job.createdBy.email;
}

async function wrongState(jobId: string, job: JobView): Promise<ActionResult<never>> {
  const store = jobStore(await getDb());
  return fail(
    'invalid_input',
    `This job is ${(await store.get(jobId))?.state ?? job.state}: it cannot be changed that way.`,
  );
}

export const pauseJobAction = staffAction(
  { name: 'job.pause', access: 'sessions:revoke', schema: jobIdInput },
  ({ jobId }, ctx) => moveJob(ctx, jobId, 'job.pause', ['queued', 'running'], 'paused'),
);

export const resumeJobAction = staffAction(
  { name: 'job.resume', access: 'sessions:revoke', schema: jobIdInput },
  ({ jobId }, ctx) => moveJob(ctx, jobId, 'job.resume', ['paused'], 'running'),
);

export const cancelJobAction = staffAction(
  { name: 'job.cancel', access: 'sessions:revoke', schema: jobIdInput },
  ({ jobId }, ctx) => moveJob(ctx, jobId, 'job.cancel', ['queued', 'running', 'paused'], 'cancelled'),
);

export const cancelMemberJobsAction = staffAction(
  { name: 'job.cancel_all', access: 'staff:manage', schema: cancelMemberJobsInput },
  async ({ staffId, reason }, ctx) => {
    const { staff } = ctx;
    const actor = { staffId: staff.id, email: staff.email, role: staff.role };
    const db = await getDb();
    return ctx.audited('job.cancel', {}, { reason, all: true, member: staffId }, async (report) => {
      const ids = await jobStore(db).cancelAllOf(staffId, actor);
      const audit = auditLog(db);
      for (const jobId of ids) {
        await audit.record({
          actor,
          action: 'job.cancel',
          target: {},
          details: { jobId, all: true, member: staffId, reason },
          ctx: ctx.request,
          outcome: 'succeeded',
        });
      }
      report({ details: { cancelled: ids.length } });
      return ok(
        ids.length ? `${plural(ids.length, 'job')} cancelled.` : 'This member has no job under way.',
        { cancelled: ids.length },
      );
    });
  },
);
