'use server';

import { randomUUID } from 'node:crypto';
import { staffAction, type ActionContext } from '@/lib/actions/staff-action';
import { actorOf, fail, ok, type ActionResult, can, plural, reasonDetails } from '@/lib/vocabulary';
import { confirmStepUp } from '@/lib/auth/step-up';
import { auditLog } from '@/lib/audit';
import { getEnv } from '@/lib/env';
import {
  approvalNote,
  breakGlassRefusal,
  extrasOf,
  startOrAsk,
  type StartJobPlan,
} from '@/lib/approvals/start';
import { getDb } from '@/lib/db';
import { jobNotice, tellUser } from '@/lib/notify/tell-user';
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
  approvalActionsOf,
  approvalFor,
  type ApprovalNote,
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
    const need = approvalFor(getEnv().approvals, { ...run, actions: approvalActionsOf({}) });
    return ok(`${plural(run.sessions, 'session')} of ${plural(run.users, 'user')}.`, {
      ...run,
      stepUp: stepUpFor(ctx.staff, policy.stepUp || need.approval === 'required'),
      ...approvalNote(ctx.staff.role, need),
    });
  },
);

/** The one create-then-map-errors block every job start goes through (and a break-glass start wraps). */
async function startJobFromPlan(
  ctx: ActionContext,
  o: StartJobPlan,
): Promise<ActionResult<{ jobId: string }>> {
  const store = jobStore(await getDb());
  return ctx.audited(
    'job.start',
    o.target,
    o.details,
    async (report) => {
      let job;
      try {
        job = await store.create({
          ...o.job,
          idempotencyKey: ctx.requestKey ?? randomUUID(),
          actor: actorOf(ctx.staff),
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
      const notice = job.created ? o.job.notice : null;
      if (notice && o.job.reasonCode) {
        const told = await tellUser({ ...notice, reasonCode: o.job.reasonCode, actor: actorOf(ctx.staff) });
        report({ details: told });
      }
      wakeJobRunner();
      return ok(o.started(job.created), { jobId: job.id });
    },
    { errorCode: 'store_failed' },
  );
}

/** From a signed dry run whose hash covers all it does; chosen ids are proven the user's by one list call. */
export const createJobAction = staffAction(
  {
    name: 'job.start',
    access: 'sessions:revoke',
    schema: createJobInput,
    idempotent: { omit: ['password'] },
  },
  async (input, ctx) => {
    const { target, reason, plan, confirmCount, password, action = 'sign_out' } = input;
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
    const need = approvalFor(getEnv().approvals, { ...counts, actions: approvalActionsOf({ action }) });
    const breakGlass = input.breakGlass === true && need.approval === 'required';
    const refusedGlass = breakGlassRefusal(staff.role, need, breakGlass, input.emergencyReason);
    if (refusedGlass) return refusedGlass;
    const auditTarget = {
      userId:
        target.kind === 'user_except' || (target.kind === 'sessions' && target.userId)
          ? (target.userId ?? null)
          : null,
      clientId: target.kind === 'client' ? target.clientId : null,
      sessionId: target.kind === 'user_except' ? target.keepSessionId : null,
    };
    if (policy.stepUp || breakGlass) {
      const refused = await confirmStepUp(staff, password, {
        action: breakGlass ? 'job.break_glass' : 'job.start',
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
    const items =
      action !== 'sign_out' && target.kind === 'users' ? accountItems(target, action) : jobItems(target);
    const userIds = target.kind === 'users' ? target.userIds : auditTarget.userId ? [auditTarget.userId] : [];
    return startOrAsk(ctx, need, {
      start: startJobFromPlan,
      target: auditTarget,
      details: {
        reason,
        ...extrasOf(input),
        kind: target.kind,
        ...(action === 'sign_out' ? {} : { action }),
        count: counts.sessions,
        users: counts.users,
        permission: policy.permission,
        stepUp: policy.stepUp || breakGlass,
      },
      job: {
        ...items,
        reason,
        ...extrasOf(input),
        notice: jobNotice(input, 'bulk', [...new Set(userIds)]),
        permission: policy.permission,
      },
      started: (created) => (created ? 'Job started.' : 'This job was already started.'),
      extras: extrasOf(input),
      summary: {
        kind: target.kind,
        users: counts.users,
        sessions: counts.sessions,
        action,
        steps: [],
        userIds: [...new Set(userIds)].slice(0, 20),
      },
      emergencyReason: breakGlass ? input.emergencyReason : undefined,
    });
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
    const need = approvalFor(getEnv().approvals, {
      users: 1,
      sessions: run.counts.sessions,
      actions: approvalActionsOf({ steps }),
    });
    return ok<SecureDryRun & ApprovalNote>('Preview ready.', {
      ...run,
      stepUp: stepUpFor(ctx.staff, true),
      ...approvalNote(ctx.staff.role, need),
    });
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
  async (input, ctx) => {
    const { plan, reason, stepUpPassword } = input;
    const { staff } = ctx;
    const opened = openSecurePlan(plan, staff.id);
    if (!opened)
      return fail('invalid_input', 'The preview is out of date: close this dialog and open it again.');
    const { userId, steps, sessions } = opened;
    const policy = secureAccountPolicy(steps);
    if (!mayRunJob(staff.role, policy.permission))
      return fail('forbidden', 'Your role does not allow every step of this preview.');
    const need = approvalFor(getEnv().approvals, {
      users: 1,
      sessions,
      actions: approvalActionsOf({ steps }),
    });
    const breakGlass = input.breakGlass === true && need.approval === 'required';
    const refusedGlass = breakGlassRefusal(staff.role, need, breakGlass, input.emergencyReason);
    if (refusedGlass) return refusedGlass;
    const refused = await confirmStepUp(staff, stepUpPassword, {
      action: breakGlass ? 'job.break_glass' : 'job.start',
      target: { userId },
      request: ctx.request,
      details: { kind: 'secure_account', steps },
    });
    if (refused) return refused;
    return startOrAsk(ctx, need, {
      start: startJobFromPlan,
      target: { userId },
      details: {
        reason,
        ...extrasOf(input),
        kind: 'secure_account',
        steps,
        permission: policy.permission,
        stepUp: true,
      },
      job: {
        reason,
        ...extrasOf(input),
        notice: jobNotice(input, 'secure', [userId]),
        permission: policy.permission,
        kind: 'users',
        scope: { userIds: [userId], steps },
        sessions: [],
        expand: [],
        action: 'secure_account',
        steps: steps.map((step) => ({ target: step, userId, step })),
      },
      started: () => 'Securing the account: follow each step on the job page.',
      extras: extrasOf(input),
      summary: {
        kind: 'secure_account',
        users: 1,
        sessions,
        action: 'secure_account',
        steps,
        userIds: [userId],
      },
      emergencyReason: breakGlass ? input.emergencyReason : undefined,
    });
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
      // Steering a job is part of the job's story: its rows count under the job's reason code and ticket.
      reason: job.reason,
      ...reasonDetails(job),
      from: job.state,
      ...(adopt ? { adopted: true, previousRunAs: runAsOf(job) } : {}),
    },
    async (report) => {
      if (adopt && !(await store.adopt(jobId, actorOf(staff)))) {
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
  async ({ staffId, reason, reasonCode, ticket }, ctx) => {
    const { staff } = ctx;
    const actor = actorOf(staff);
    const db = await getDb();
    const why = { reason, reasonCode, ticket };
    return ctx.audited('job.cancel', {}, { ...why, all: true, member: staffId }, async (report) => {
      const ids = await jobStore(db).cancelAllOf(staffId, actor);
      const audit = auditLog(db);
      for (const jobId of ids) {
        await audit.record({
          actor,
          action: 'job.cancel',
          target: {},
          details: { jobId, all: true, member: staffId, ...why },
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
