import 'server-only';
import { randomUUID } from 'node:crypto';
import type { ActionContext } from '@/lib/actions/staff-action';
import type { AuditDetails, AuditTarget } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { approvalMessage, MIN_EMERGENCY_REASON, type ApprovalNeed } from '@/lib/jobs/policy';
import { actorOf, can, fail, ok, reasonDetails, type ActionResult, type Role } from '@/lib/vocabulary';
import { approvalStore, type StoredJob } from './store';
import { getEnv } from '@/lib/env';
import type { ApprovalSummary, StartAnswer } from './types';

export interface StartJobPlan {
  target: AuditTarget;
  details: AuditDetails;
  job: StoredJob;
  started: (created: boolean) => string;
}

export function approvalNote(role: Role, need: ApprovalNeed) {
  return {
    approval: need.approval,
    approvalWhy: need.why,
    breakGlass: need.approval === 'required' && can(role, 'approvals:break_glass'),
  };
}

export type Extras = { reasonCode?: string | null; ticket?: string | null };

/** Above the deployer's thresholds: a request another admin approves, or (an admin, step-up) break-glass. */
export async function startOrAsk(
  ctx: ActionContext,
  need: ApprovalNeed,
  o: StartJobPlan & {
    start: (ctx: ActionContext, plan: StartJobPlan) => Promise<ActionResult<{ jobId: string }>>;
    extras: Extras;
    summary: Omit<ApprovalSummary, 'why'>;
    emergencyReason: string | undefined;
  },
): Promise<ActionResult<StartAnswer>> {
  const requestKey = ctx.requestKey ?? randomUUID();
  const approvals = approvalStore(await getDb());
  const row = {
    requestKey,
    requester: actorOf(ctx.staff),
    reason: o.job.reason,
    reasonCode: o.extras.reasonCode ?? null,
    ticket: o.extras.ticket ?? null,
    summary: { ...o.summary, why: need.why },
    job: o.job,
    ttlHours: getEnv().approvals.ttlHours,
  };
  if (need.approval === 'not_required') return o.start(ctx, o);
  if (o.emergencyReason === undefined)
    return ctx.audited(
      'approval.request',
      o.target,
      { ...o.details, ...reasonDetails(o.extras), why: need.why },
      async (report) => {
        const { id } = await approvals.create({ ...row, mode: 'request' });
        report({ details: { approvalId: id } });
        return ok<StartAnswer>(`${approvalMessage(need)} The request is waiting.`, { approvalId: id });
      },
      { errorCode: 'store_failed' },
    );
  const emergencyReason = o.emergencyReason;
  return ctx.audited(
    'job.break_glass',
    o.target,
    { ...o.details, emergencyReason, why: need.why, severity: 'high' },
    async (report) => {
      const started = await o.start(ctx, o);
      if (!started.ok) return started;
      const { jobId } = started.data;
      await approvals.create({
        ...row,
        requestKey: `break_glass:${requestKey}`,
        mode: 'break_glass',
        emergencyReason,
        jobId,
      });
      report({ details: { jobId } });
      return ok<StartAnswer>(
        'Started without a second admin (break-glass): this is flagged in the audit log.',
        {
          jobId,
        },
      );
    },
    { errorCode: 'store_failed' },
  );
}

export function breakGlassRefusal(
  role: Role,
  need: ApprovalNeed,
  breakGlass: boolean | undefined,
  emergencyReason: string | undefined,
): ActionResult<never> | null {
  if (!breakGlass || need.approval === 'not_required') return null;
  if (!can(role, 'approvals:break_glass'))
    return fail('forbidden', 'Only an administrator can act without a second admin.');
  if ((emergencyReason ?? '').length < MIN_EMERGENCY_REASON)
    return fail('invalid_input', 'State the emergency.', {
      fieldErrors: {
        emergencyReason: [`Describe the emergency (at least ${MIN_EMERGENCY_REASON} characters).`],
      },
    });
  return null;
}

export const extrasOf = (input: object): Extras => {
  const i = input as Record<string, unknown>;
  return {
    reasonCode: typeof i.reasonCode === 'string' ? i.reasonCode : null,
    ticket: typeof i.ticket === 'string' ? i.ticket : null,
  };
};
