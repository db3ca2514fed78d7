'use server';

import { staffAction, type ActionContext } from '@/lib/actions/staff-action';
import { fail, ok } from '@/lib/actions/action-state';
import { can } from '@/lib/auth/roles';
import { getDb } from '@/lib/db';
import { createJobInput, dryRunJobInput, jobIdInput, resolveIncidentInput } from '@/lib/jobs/inputs';
import { dryRun, jobItems, resolveIncident, verifyPlan } from '@/lib/jobs/plan';
import { confirmationFor } from '@/lib/jobs/types';
import { plural } from '@/lib/plural';
import { jobStore, JobKeyConflictError, wakeJobRunner, type JobState } from '@/lib/jobs';

/** How many sessions of how many users a job would revoke, before it is started. */
export const dryRunJobAction = staffAction(
  { name: 'job.dry_run', access: 'sessions:revoke', schema: dryRunJobInput },
  async ({ target }, ctx) => {
    if (target.kind === 'users' && target.userIds.length > 1 && !can(ctx.staff.role, 'jobs:incident'))
      return fail('forbidden', 'Only an administrator can start a job over several users.');
    const run = await dryRun(target, ctx.staff.id);
    return ok(`${plural(run.sessions, 'session')} of ${plural(run.users, 'user')}.`, run);
  },
);

/**
 * Starts a revocation job. Above 50 sessions or with more than one user, the count typed by the person must be
 * the one the (signed) dry run showed: the sessions, or the users of an incident list too long to count first. A repeated idempotency key returns the job the first request created.
 */
export const createJobAction = staffAction(
  { name: 'job.start', access: 'sessions:revoke', schema: createJobInput },
  async ({ target, reason, idempotencyKey, plan, confirmCount }, ctx) => {
    const { staff } = ctx;
    if (target.kind === 'users' && target.userIds.length > 1 && !can(staff.role, 'jobs:incident'))
      return fail('forbidden', 'Only an administrator can start a job over several users.');
    const store = jobStore(await getDb());
    const counts = verifyPlan(plan, target, staff.id);
    if (!counts)
      return fail('invalid_input', 'The preview is out of date: close this dialog and open it again.');
    const confirm = confirmationFor(counts);
    if (confirm && confirmCount !== confirm.count) {
      return fail('invalid_input', `Type the number of ${confirm.what} to confirm.`, {
        fieldErrors: { confirmCount: [`Type ${confirm.count} to confirm.`] },
      });
    }
    const items = jobItems(target);
    return ctx.audited(
      'job.start',
      {
        userId:
          target.kind === 'user_except' || (target.kind === 'sessions' && target.userId)
            ? (target.userId ?? null)
            : null,
        clientId: target.kind === 'client' ? target.clientId : null,
        sessionId: target.kind === 'user_except' ? target.keepSessionId : null,
      },
      { reason, kind: target.kind, count: counts.sessions, users: counts.users, idempotencyKey },
      async (report) => {
        let job;
        try {
          job = await store.create({
            idempotencyKey,
            reason,
            actor: { staffId: staff.id, email: staff.email, role: staff.role },
            ...items,
          });
        } catch (e) {
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
  // Support staff steer their own jobs; an administrator any job.
  if (staff.role !== 'admin' && job.createdBy.staffId !== staff.id)
    return fail('forbidden', 'Only the person who started this job, or an administrator, can change it.');
  return ctx.audited(action, {}, { jobId, reason: job.reason, from: job.state }, async (report) => {
    if (!(await store.transition(jobId, from, to))) {
      report({ code: 'wrong_state' });
      return fail(
        'invalid_input',
        `This job is ${(await store.get(jobId))?.state ?? job.state}: it cannot be changed that way.`,
      );
    }
    report({ details: { to } });
    if (to === 'running') wakeJobRunner();
    return ok(`Job ${to}.`, { jobId, state: to });
  });
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

/** The incident form: which pasted emails and ids are users (and how many sessions they hold), which are not. */
export const resolveIncidentAction = staffAction(
  { name: 'job.resolve_incident', access: 'jobs:incident', schema: resolveIncidentInput },
  async ({ text }, ctx) => {
    const r = await resolveIncident(text, ctx.staff.id);
    return ok(`${r.found.length} found, ${r.notFound.length} not found.`, r);
  },
);
