import 'server-only';
import type { ActionContext } from '@/lib/actions/staff-action';
import type { AuditReport } from '@/lib/actions/audited';
import { auditLog, type AuditTarget } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { jobStore, JobCapError, wakeJobRunner } from '@/lib/jobs';
import { mayRunJob } from '@/lib/jobs/policy';
import { tellUser } from '@/lib/notify/tell-user';
import { can, fail, ok, reasonDetails, type ActionResult, type Role } from '@/lib/vocabulary';
import { approvalStore, type Refusal } from './store';
import type { ApprovalView } from './types';

export { approvalStore, type ApprovalStore, type NewApproval, type StoredJob } from './store';

const SYSTEM = { staffId: null, email: 'console', role: null } as const;

export function targetOf(a: Pick<ApprovalView, 'summary'>): AuditTarget {
  return a.summary.userIds.length === 1 ? { userId: a.summary.userIds[0] } : {};
}

// Expiry is lazy: whoever reads or acts after the deadline flips the rows, and each flip is audited once.
export async function expireDueApprovals(db: Db): Promise<void> {
  const expired = await approvalStore(db).expireDue();
  const audit = auditLog(db);
  for (const a of expired)
    await audit.record({
      actor: SYSTEM,
      action: 'approval.expire',
      target: targetOf(a),
      details: { approvalId: a.id, requester: a.requester.email, reason: a.reason },
      ctx: { ip: null, userAgent: null },
      outcome: 'succeeded',
    });
}

export const REFUSALS: Record<Refusal, ActionResult<never>> = {
  not_found: fail('not_found', 'No approval request has that id.'),
  own_request: fail(
    'forbidden',
    'You cannot approve or decline your own request: another administrator must.',
  ),
  not_yours: fail('forbidden', 'Only the member who asked can cancel this request.'),
  expired: fail('invalid_input', 'This request has expired: it can no longer run. Start the job again.'),
  decided: fail('invalid_input', 'This request was already decided.'),
};

export async function requesterMayRun(db: Db, a: ApprovalView, permission: string): Promise<boolean> {
  const r = await db
    .selectFrom('staff')
    .select(['role', 'disabled'])
    .where('id', '=', a.requester.staffId)
    .executeTakeFirst();
  return Boolean(r && Number(r.disabled) === 0 && mayRunJob(r.role as Role, permission));
}

/** Creates an approved request's job, once (its key is the request's id), under the requester's name. */
export async function startApprovedJob(
  db: Db,
  ctx: ActionContext,
  a: ApprovalView,
  report: (r: AuditReport) => void,
): Promise<ActionResult<{ jobId: string }>> {
  const approvals = approvalStore(db);
  const stored = await approvals.jobOf(a.id);
  if (!stored) return fail('unknown', 'This request cannot be read.');
  const requester = { ...a.requester, role: a.requester.role as Role };
  let job;
  try {
    job = await jobStore(db).create({ ...stored, idempotencyKey: `approval:${a.id}`, actor: requester });
  } catch (e) {
    if (!(e instanceof JobCapError)) throw e;
    await approvals.reopen(a.id);
    report({ code: `cap_${e.what}` });
    return fail(
      'invalid_input',
      `${a.requester.email} has too many jobs under way: the request stays waiting until one finishes.`,
    );
  }
  const told =
    job.created && stored.notice && a.reasonCode
      ? await tellUser({ ...stored.notice, reasonCode: a.reasonCode, actor: requester })
      : null;
  if (job.created)
    await auditLog(db).record({
      actor: requester,
      action: 'job.start',
      target: targetOf(a),
      details: {
        reason: a.reason,
        kind: stored.kind,
        ...(stored.action && stored.action !== 'secure_account' ? { action: stored.action } : {}),
        ...(stored.scope.steps ? { steps: stored.scope.steps } : {}),
        count: a.summary.sessions,
        users: a.summary.users,
        permission: stored.permission,
        jobId: job.id,
        ...reasonDetails(a),
        approvalId: a.id,
        approvedBy: ctx.staff.email,
        approvedById: ctx.staff.id,
        ...(told ?? {}),
      },
      ctx: ctx.request,
      outcome: 'succeeded',
    });
  await approvals.executed(a.id, job.id);
  report({ details: { jobId: job.id } });
  wakeJobRunner();
  return ok('Approved: the job is running.', { jobId: job.id });
}

/** The requests a member sees: every waiting one for an admin, and their own in any state. */
export async function listApprovals(db: Db, viewer: { id: string; role: Role }, limit = 20) {
  await expireDueApprovals(db);
  const store = approvalStore(db);
  const admin = can(viewer.role, 'approvals:decide');
  const [waiting, recent, mine] = await Promise.all([
    admin ? store.waiting({ limit }) : Promise.resolve([]),
    admin ? store.recent({ limit }) : Promise.resolve([]),
    store.recent({ requester: viewer.id, limit }),
  ]);
  return { admin, waiting, recent, mine };
}
