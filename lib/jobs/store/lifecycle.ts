import 'server-only';
import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import { engineOf, type Db } from '@/lib/db';
import type { Database } from '@/lib/db/schema';
import { toCount, toDbTime } from '@/lib/db/values';
import { mayRunJob, permissionForItems } from '@/lib/jobs/policy';
import {
  ACTIVE_JOB_STATES,
  MAX_ACTIVE_JOBS_PER_MEMBER,
  MAX_QUEUED_ITEMS_PER_MEMBER,
  type JobAction,
  type JobKind,
  type JobPermission,
  type JobScope,
  type JobState,
  type JobNotice,
} from '@/lib/jobs/types';
import { auditLog } from '@/lib/audit';
import { intentById, settleIntent } from '@/lib/actions/audited';
import { insertItems } from './claims';
import type { JobActor } from './reads';

export interface NewJob {
  idempotencyKey: string;
  kind: JobKind;
  scope: JobScope;
  reason: string;
  reasonCode?: string | null;
  ticket?: string | null;
  /** Who to tell once the job exists (kept with an approval request until it is approved). */
  notice?: JobNotice | null;
  actor: JobActor;
  permission?: JobPermission;
  sessions: { sessionId: string; userId: string | null }[];
  expand: { kind: 'user' | 'client'; target: string }[];
  action?: JobAction;
  /** Items acted on, in order: a user and the step done to them (target: the user, or the step for one user). */
  steps?: { target: string; userId: string; step: string }[];
}

export class JobKeyConflictError extends Error {
  constructor() {
    super('That idempotency key belongs to another staff member.');
    this.name = 'JobKeyConflictError';
  }
}

export class JobCapError extends Error {
  constructor(
    readonly what: 'jobs' | 'items',
    readonly limit: number,
  ) {
    super(`Too many ${what} under way (limit ${limit}).`);
    this.name = 'JobCapError';
  }
}

type JobAsJ = ExpressionBuilder<Database & { j: Database['revocation_jobs'] }, 'j'>;

const noItemLeft = (eb: JobAsJ) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('revocation_job_items as i')
        .select('i.id')
        .whereRef('i.job_id', '=', 'j.id')
        .where('i.state', '!=', 'done'),
    ),
  );

type Exec = Pick<Db, 'selectFrom' | 'updateTable'>;

export function jobLifecycle(db: Db, now: () => Date) {
  async function findByKey(key: string) {
    return db
      .selectFrom('revocation_jobs')
      .select(['id', 'created_by_staff_id'])
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  async function staffRow(exec: Exec, staffId: string) {
    return exec
      .selectFrom('staff')
      .select(['role', 'disabled', 'session_version'])
      .where('id', '=', staffId)
      .executeTakeFirst();
  }

  // Ending a job makes every unsent item "not attempted"; pausing gives claimed-but-unsent items back.
  async function move(
    id: string,
    from: readonly JobState[],
    to: JobState,
    pausedReason: 'by_staff' | 'owner_lost_access' | null,
  ): Promise<boolean> {
    const at = toDbTime(now());
    const ends = to === 'cancelled' || to === 'failed';
    const openIntents = await db.transaction().execute(async (tx) => {
      const res = await tx
        .updateTable('revocation_jobs')
        .set({
          state: to,
          updated_at: at,
          paused_reason: to === 'paused' ? pausedReason : null,
          ...(ends ? { finished_at: at } : {}),
        })
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      const unsent = (eb: ExpressionBuilder<Database, 'revocation_job_items'>) =>
        eb.or([
          eb('state', '=', 'pending'),
          eb.and([eb('state', '=', 'claimed'), eb('attempt_at', 'is', null)]),
        ]);
      if (ends) {
        const intents = await tx
          .selectFrom('revocation_job_items')
          .select('intent_id')
          .where('job_id', '=', id)
          .where(unsent)
          .where('intent_id', 'is not', null)
          .execute();
        await tx
          .updateTable('revocation_job_items')
          .set({
            state: 'done',
            outcome: 'not_attempted',
            finished_at: at,
            lease_owner: null,
            lease_until: null,
            hold_for: null,
          })
          .where('job_id', '=', id)
          .where(unsent)
          .execute();
        return intents.map((r) => r.intent_id!);
      }
      if (to === 'paused') {
        await tx
          .updateTable('revocation_job_items')
          .set({ state: 'pending', lease_owner: null, lease_until: null })
          .where('job_id', '=', id)
          .where('state', '=', 'claimed')
          .where('attempt_at', 'is', null)
          .execute();
      }
      return [];
    });
    if (openIntents === null) return false;
    // An item that met a 429 keeps its one intent open for the retry; it will not be sent now, and says so.
    const audit = auditLog(db, { now });
    for (const intentId of openIntents) {
      await settleIntent(intentById(audit, intentId), {
        outcome: 'failed',
        code: 'not_attempted',
        details: { jobId: id, jobState: to },
      }).catch(() => {});
    }
    return true;
  }

  const transition = (id: string, from: readonly JobState[], to: JobState) =>
    move(id, from, to, to === 'paused' ? 'by_staff' : null);

  return {
    // The same idempotency key from the same member returns the first job; a later "sign out everywhere" pauses it.
    async create(j: NewJob): Promise<{ id: string; created: boolean }> {
      const prior = await findByKey(j.idempotencyKey);
      if (prior) {
        if (prior.created_by_staff_id !== j.actor.staffId) throw new JobKeyConflictError();
        return { id: prior.id, created: false };
      }
      const id = randomUUID();
      const at = toDbTime(now());
      try {
        await db.transaction().execute(async (tx) => {
          // Two jobs of one member created at once must not both slip under the caps.
          if (engineOf(db) === 'postgres')
            await sql`select pg_advisory_xact_lock(hashtext(${`jobs:${j.actor.staffId}`}))`.execute(tx);
          const active = await tx
            .selectFrom('revocation_jobs')
            .select(['id'])
            .where((eb) =>
              eb.or([
                eb('created_by_staff_id', '=', j.actor.staffId),
                eb('run_as_staff_id', '=', j.actor.staffId),
              ]),
            )
            .where('state', 'in', [...ACTIVE_JOB_STATES])
            .execute();
          if (active.length >= MAX_ACTIVE_JOBS_PER_MEMBER)
            throw new JobCapError('jobs', MAX_ACTIVE_JOBS_PER_MEMBER);
          const queued = active.length
            ? await tx
                .selectFrom('revocation_job_items')
                .select(sql<number>`count(*)`.as('n'))
                .where(
                  'job_id',
                  'in',
                  active.map((a) => a.id),
                )
                .where('state', '!=', 'done')
                .executeTakeFirst()
            : undefined;
          const adding = j.sessions.length + j.expand.length + (j.steps?.length ?? 0);
          if (toCount(queued?.n) + adding > MAX_QUEUED_ITEMS_PER_MEMBER)
            throw new JobCapError('items', MAX_QUEUED_ITEMS_PER_MEMBER);
          const staff = await staffRow(tx, j.actor.staffId);
          await tx
            .insertInto('revocation_jobs')
            .values({
              id,
              idempotency_key: j.idempotencyKey,
              kind: j.kind,
              state: 'queued',
              scope: JSON.stringify(j.scope),
              reason: j.reason,
              reason_code: j.reasonCode ?? null,
              ticket: j.ticket ?? null,
              created_by_staff_id: j.actor.staffId,
              created_by_email: j.actor.email,
              created_by_role: j.actor.role,
              created_by_session_version: staff ? Number(staff.session_version) : null,
              permission: j.permission ?? permissionForItems(j),
              action: j.action ?? null,
              created_at: at,
              updated_at: at,
              started_at: null,
              finished_at: null,
              error: null,
            })
            .execute();
          await insertItems(tx, id, [
            ...j.expand.map((e) => ({ kind: e.kind, target: e.target, user_id: null })),
            ...j.sessions.map((s) => ({ kind: 'session' as const, target: s.sessionId, user_id: s.userId })),
            ...(j.steps ?? []).map((s) => ({
              kind: 'user' as const,
              target: s.target,
              user_id: s.userId,
              step: s.step,
            })),
          ]);
        });
      } catch (e) {
        if (e instanceof JobCapError) throw e;
        // Two requests with one key at the same moment: the unique index let one through.
        const winner = await findByKey(j.idempotencyKey).catch(() => undefined);
        if (winner && winner.created_by_staff_id === j.actor.staffId)
          return { id: winner.id, created: false };
        if (winner) throw new JobKeyConflictError();
        throw e;
      }
      return { id, created: true };
    },

    transition,

    async pauseLostAccess(id: string): Promise<boolean> {
      return move(id, ['queued', 'running'], 'paused', 'owner_lost_access');
    },

    // Runs under the actor's current session_version, so a later sign-out-everywhere of theirs pauses it.
    async adopt(jobId: string, actor: JobActor): Promise<boolean> {
      const staff = await staffRow(db, actor.staffId);
      const job = await db
        .selectFrom('revocation_jobs')
        .select('permission')
        .where('id', '=', jobId)
        .executeTakeFirst();
      if (!staff || !job || Number(staff.disabled) !== 0) return false;
      if (!mayRunJob(staff.role, job.permission)) return false;
      const res = await db
        .updateTable('revocation_jobs')
        .set({
          run_as_staff_id: actor.staffId,
          run_as_email: actor.email,
          run_as_role: staff.role,
          run_as_session_version: Number(staff.session_version),
          updated_at: toDbTime(now()),
        })
        .where('id', '=', jobId)
        .where('state', '=', 'paused')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      // Open intents name the member who lost access; revokes sent from here get intents naming the new actor.
      const open = await db
        .selectFrom('revocation_job_items')
        .select(['id', 'intent_id'])
        .where('job_id', '=', jobId)
        .where('state', '=', 'pending')
        .where('intent_id', 'is not', null)
        .execute();
      const audit = auditLog(db, { now });
      for (const item of open) {
        const cleared = await db
          .updateTable('revocation_job_items')
          .set({ intent_id: null })
          .where('id', '=', item.id)
          .where('state', '=', 'pending')
          .where('intent_id', '=', item.intent_id)
          .executeTakeFirst();
        if (Number(cleared.numUpdatedRows) !== 1) continue;
        await settleIntent(intentById(audit, item.intent_id!), {
          outcome: 'failed',
          code: 'not_attempted',
          details: { jobId, adoptedBy: actor.email },
        }).catch(() => {});
      }
      return true;
    },

    async cancelAllOf(staffId: string, _by: JobActor): Promise<string[]> {
      const rows = await db
        .selectFrom('revocation_jobs')
        .select('id')
        .where((eb) => eb.or([eb('created_by_staff_id', '=', staffId), eb('run_as_staff_id', '=', staffId)]))
        .where('state', 'in', [...ACTIVE_JOB_STATES])
        .execute();
      const cancelled: string[] = [];
      for (const r of rows) if (await transition(r.id, ACTIVE_JOB_STATES, 'cancelled')) cancelled.push(r.id);
      return cancelled;
    },

    async fail(id: string, error: string): Promise<boolean> {
      await db.updateTable('revocation_jobs').set({ error }).where('id', '=', id).execute();
      return transition(id, ['queued', 'running', 'paused'], 'failed');
    },

    async note(id: string, error: string): Promise<void> {
      await db.updateTable('revocation_jobs').set({ error }).where('id', '=', id).execute();
    },
    async markRunning(id: string): Promise<boolean> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('revocation_jobs')
        .set({ state: 'running', started_at: at, updated_at: at })
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async finishIfDone(id: string): Promise<boolean> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('revocation_jobs as j')
        .set({ state: 'done', finished_at: at, updated_at: at })
        .where('j.id', '=', id)
        .where('j.state', 'in', ['running', 'queued'])
        .where(noItemLeft)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async finishedButOpen(): Promise<string[]> {
      const rows = await db
        .selectFrom('revocation_jobs as j')
        .select('j.id')
        .where('j.state', 'in', ['running', 'queued'])
        .where(noItemLeft)
        .limit(20)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
