import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '@/lib/db';
import type { ApprovalRequestTable } from '@/lib/db/schema';
import { toDate, toDateOrNull, toDbTime } from '@/lib/db/values';
import type { NewJob } from '@/lib/jobs';
import type { StaffActor } from '@/lib/vocabulary';
import type { ApprovalMode, ApprovalSummary, ApprovalView } from './types';

/** The job exactly as previewed: created as it is once approved, under the requester's name. */
export type StoredJob = Omit<NewJob, 'idempotencyKey' | 'actor'>;

export interface NewApproval {
  requestKey: string;
  mode: ApprovalMode;
  requester: StaffActor;
  reason: string;
  reasonCode?: string | null;
  ticket?: string | null;
  emergencyReason?: string | null;
  summary: ApprovalSummary;
  job: StoredJob;
  ttlHours: number;
}

export type Refusal = 'not_found' | 'own_request' | 'not_yours' | 'expired' | 'decided';

type Row = Selectable<ApprovalRequestTable>;

function parse<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

const EMPTY_SUMMARY: ApprovalSummary = {
  kind: 'users',
  users: 0,
  sessions: null,
  action: 'sign_out',
  steps: [],
  why: [],
  userIds: [],
};

function toView(r: Row): ApprovalView {
  return {
    id: r.id,
    mode: r.mode,
    state: r.state,
    requester: { staffId: r.requester_staff_id, email: r.requester_email, role: r.requester_role },
    reason: r.reason,
    reasonCode: r.reason_code,
    ticket: r.ticket,
    emergencyReason: r.emergency_reason,
    summary: parse(r.summary, EMPTY_SUMMARY),
    createdAt: toDate(r.created_at).getTime(),
    expiresAt: toDate(r.expires_at).getTime(),
    decidedBy:
      r.decided_by_staff_id && r.decided_by_email
        ? { staffId: r.decided_by_staff_id, email: r.decided_by_email }
        : null,
    decidedAt: toDateOrNull(r.decided_at)?.getTime() ?? null,
    decisionReason: r.decision_reason,
    jobId: r.job_id,
  };
}

export function approvalStore(db: Db, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());

  async function row(id: string): Promise<Row | undefined> {
    return db.selectFrom('approval_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  // Why a conditional write matched nothing, read after it: the write itself is the decision.
  async function refusal(id: string, by?: string): Promise<Refusal> {
    const r = await row(id);
    if (!r) return 'not_found';
    if (r.state !== 'waiting') return 'decided';
    if (toDate(r.expires_at).getTime() <= now().getTime()) return 'expired';
    return by !== undefined && r.requester_staff_id === by ? 'own_request' : 'not_yours';
  }

  return {
    /** One row per request key: a retried request returns the first. */
    async create(a: NewApproval & { jobId?: string }): Promise<{ id: string; created: boolean }> {
      const prior = await db
        .selectFrom('approval_requests')
        .select(['id', 'requester_staff_id'])
        .where('request_key', '=', a.requestKey)
        .executeTakeFirst();
      if (prior && prior.requester_staff_id === a.requester.staffId) return { id: prior.id, created: false };
      if (prior) throw new Error('That request key belongs to another staff member.');
      const id = randomUUID();
      const at = now();
      await db
        .insertInto('approval_requests')
        .values({
          id,
          request_key: a.requestKey,
          mode: a.mode,
          state: a.mode === 'break_glass' ? 'executed' : 'waiting',
          requester_staff_id: a.requester.staffId,
          requester_email: a.requester.email,
          requester_role: a.requester.role,
          reason: a.reason,
          reason_code: a.reasonCode ?? null,
          ticket: a.ticket ?? null,
          emergency_reason: a.emergencyReason ?? null,
          summary: JSON.stringify(a.summary),
          job: JSON.stringify(a.job),
          created_at: toDbTime(at),
          expires_at: toDbTime(new Date(at.getTime() + a.ttlHours * 3_600_000)),
          decided_by_staff_id: null,
          decided_by_email: null,
          decided_at: a.mode === 'break_glass' ? toDbTime(at) : null,
          decision_reason: null,
          job_id: a.jobId ?? null,
        })
        .execute();
      return { id, created: true };
    },

    async get(id: string): Promise<ApprovalView | null> {
      const r = await row(id);
      return r ? toView(r) : null;
    },

    async jobOf(id: string): Promise<StoredJob | null> {
      const r = await row(id);
      return r ? parse<StoredJob | null>(r.job, null) : null;
    },

    async byJob(jobId: string): Promise<ApprovalView | null> {
      const r = await db
        .selectFrom('approval_requests')
        .selectAll()
        .where('job_id', '=', jobId)
        .executeTakeFirst();
      return r ? toView(r) : null;
    },

    // One statement decides: another admin, still waiting, not expired. Two approvers, or an approval racing a
    // cancel or the expiry, cannot both win.
    async approve(id: string, by: StaffActor): Promise<true | Refusal> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('approval_requests')
        .set({
          state: 'approved',
          decided_by_staff_id: by.staffId,
          decided_by_email: by.email,
          decided_at: at,
        })
        .where('id', '=', id)
        .where('state', '=', 'waiting')
        .where('mode', '=', 'request')
        .where('requester_staff_id', '!=', by.staffId)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1 ? true : refusal(id, by.staffId);
    },

    /** An approval whose job was never created (a crash, or the requester's job cap): the approver may finish it. */
    async pendingStart(id: string, by: string): Promise<boolean> {
      const r = await row(id);
      return Boolean(r && r.state === 'approved' && !r.job_id && r.decided_by_staff_id === by);
    },

    async executed(id: string, jobId: string): Promise<boolean> {
      const res = await db
        .updateTable('approval_requests')
        .set({ state: 'executed', job_id: jobId })
        .where('id', '=', id)
        .where('state', '=', 'approved')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /** The job could not be created (the requester's caps): back to waiting, so it can be approved later. */
    async reopen(id: string): Promise<void> {
      await db
        .updateTable('approval_requests')
        .set({ state: 'waiting', decided_by_staff_id: null, decided_by_email: null, decided_at: null })
        .where('id', '=', id)
        .where('state', '=', 'approved')
        .where('job_id', 'is', null)
        .execute();
    },

    async decline(id: string, by: StaffActor, reason: string): Promise<true | Refusal> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('approval_requests')
        .set({
          state: 'declined',
          decided_by_staff_id: by.staffId,
          decided_by_email: by.email,
          decided_at: at,
          decision_reason: reason,
        })
        .where('id', '=', id)
        .where('state', '=', 'waiting')
        .where('requester_staff_id', '!=', by.staffId)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1 ? true : refusal(id, by.staffId);
    },

    async cancel(id: string, by: StaffActor): Promise<true | Refusal> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('approval_requests')
        .set({
          state: 'cancelled',
          decided_by_staff_id: by.staffId,
          decided_by_email: by.email,
          decided_at: at,
        })
        .where('id', '=', id)
        .where('state', '=', 'waiting')
        .where('requester_staff_id', '=', by.staffId)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) return true;
      const why = await refusal(id);
      return why === 'not_yours' ? 'not_yours' : why;
    },

    /** Marks waiting requests past their expiry; each is returned to exactly one caller, for its audit row. */
    async expireDue(): Promise<ApprovalView[]> {
      const at = toDbTime(now());
      const rows = await db
        .updateTable('approval_requests')
        .set({ state: 'expired', decided_at: at })
        .where('state', '=', 'waiting')
        .where('expires_at', '<=', at)
        .returningAll()
        .execute();
      return rows.map(toView);
    },

    async waiting(opts: { limit?: number } = {}): Promise<ApprovalView[]> {
      const rows = await db
        .selectFrom('approval_requests')
        .selectAll()
        .where('state', '=', 'waiting')
        .where('expires_at', '>', toDbTime(now()))
        .orderBy('created_at', 'desc')
        .limit(opts.limit ?? 50)
        .execute();
      return rows.map(toView);
    },

    async recent(opts: { requester?: string; limit?: number } = {}): Promise<ApprovalView[]> {
      let q = db.selectFrom('approval_requests').selectAll();
      if (opts.requester) q = q.where('requester_staff_id', '=', opts.requester);
      const rows = await q
        .orderBy('created_at', 'desc')
        .limit(opts.limit ?? 20)
        .execute();
      return rows.map(toView);
    },
  };
}

export type ApprovalStore = ReturnType<typeof approvalStore>;
