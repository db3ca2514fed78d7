'use server';

import { staffAction } from '@/lib/actions/staff-action';
import { confirmStepUp } from '@/lib/auth/step-up';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import {
  approvalStore,
  expireDueApprovals,
  REFUSALS,
  requesterMayRun,
  startApprovedJob,
  targetOf,
} from '@/lib/approvals';
import { approveRequestInput, cancelRequestInput, declineRequestInput } from '@/lib/approvals/inputs';
import { actorOf, fail, ok } from '@/lib/vocabulary';

function summaryDetails(a: { id: string; requester: { email: string }; reason: string }) {
  return { approvalId: a.id, requester: a.requester.email, reason: a.reason };
}

/** Another admin, step-up, in one conditional write; the job is then created once under the requester's name. */
export const approveRequestAction = staffAction(
  {
    name: 'approval.approve',
    access: 'approvals:decide',
    schema: approveRequestInput,
    idempotent: { omit: ['password'] },
  },
  async ({ approvalId, password }, ctx) => {
    const { staff } = ctx;
    const db = await getDb();
    await expireDueApprovals(db);
    const store = approvalStore(db);
    const request = await store.get(approvalId);
    if (!request || request.mode !== 'request') return REFUSALS.not_found;
    const target = targetOf(request);
    if (request.requester.staffId === staff.id) {
      await auditLog(db).record({
        actor: actorOf(staff),
        action: 'approval.approve',
        target,
        details: summaryDetails(request),
        ctx: ctx.request,
        outcome: 'denied',
        code: 'own_request',
      });
      return REFUSALS.own_request;
    }
    const resuming = await store.pendingStart(approvalId, staff.id);
    if (!resuming && request.state !== 'waiting')
      return request.state === 'expired' ? REFUSALS.expired : REFUSALS.decided;
    const refused = await confirmStepUp(staff, password, {
      action: 'approval.approve',
      target,
      request: ctx.request,
      details: { approvalId },
    });
    if (refused) return refused;
    const job = await store.jobOf(approvalId);
    if (!job || !(await requesterMayRun(db, request, job.permission ?? 'jobs:incident')))
      return fail(
        'forbidden',
        `${request.requester.email} no longer has the access this job needs: decline the request.`,
      );
    return ctx.audited(
      'approval.approve',
      target,
      { ...summaryDetails(request), why: request.summary.why },
      async (report) => {
        if (!resuming) {
          const won = await store.approve(approvalId, actorOf(staff));
          if (won !== true) {
            report({ code: won });
            return REFUSALS[won];
          }
        }
        return startApprovedJob(db, ctx, request, report);
      },
      { errorCode: 'store_failed' },
    );
  },
);

export const declineRequestAction = staffAction(
  { name: 'approval.decline', access: 'approvals:decide', schema: declineRequestInput },
  async ({ approvalId, reason }, ctx) => {
    const db = await getDb();
    await expireDueApprovals(db);
    const store = approvalStore(db);
    const request = await store.get(approvalId);
    if (!request || request.mode !== 'request') return REFUSALS.not_found;
    return ctx.audited(
      'approval.decline',
      targetOf(request),
      { ...summaryDetails(request), declineReason: reason },
      async (report) => {
        const done = await store.decline(approvalId, actorOf(ctx.staff), reason);
        if (done !== true) {
          report({ code: done });
          return REFUSALS[done];
        }
        return ok('Request declined: nothing was done.', { approvalId });
      },
    );
  },
);

export const cancelRequestAction = staffAction(
  { name: 'approval.cancel', access: 'sessions:revoke', schema: cancelRequestInput },
  async ({ approvalId }, ctx) => {
    const db = await getDb();
    await expireDueApprovals(db);
    const store = approvalStore(db);
    const request = await store.get(approvalId);
    if (!request || request.mode !== 'request') return REFUSALS.not_found;
    return ctx.audited('approval.cancel', targetOf(request), summaryDetails(request), async (report) => {
      const done = await store.cancel(approvalId, actorOf(ctx.staff));
      if (done !== true) {
        report({ code: done });
        return REFUSALS[done];
      }
      return ok('Request cancelled.', { approvalId });
    });
  },
);
