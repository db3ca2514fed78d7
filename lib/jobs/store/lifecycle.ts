import 'server-only';
import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '@/lib/db';
import type { Database } from '@/lib/db/schema';
import { toDbTime } from '@/lib/db/values';
import type { JobKind, JobScope, JobState } from '@/lib/jobs/types';
import { insertItems } from './claims';
import type { JobActor } from './reads';

export interface NewJob {
  idempotencyKey: string;
  kind: JobKind;
  scope: JobScope;
  reason: string;
  actor: JobActor;
  /** Sessions to revoke as they are, and users / clients whose active sessions the runner looks up. */
  sessions: { sessionId: string; userId: string | null }[];
  expand: { kind: 'user' | 'client'; target: string }[];
}

export class JobKeyConflictError extends Error {
  constructor() {
    super('That idempotency key belongs to another staff member.');
    this.name = 'JobKeyConflictError';
  }
}

type JobAsJ = ExpressionBuilder<Database & { j: Database['revocation_jobs'] }, 'j'>;

/** None of job `j`'s items is left to do. */
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

/** A job's own row: created with its items, then moved from state to state by one conditional update each. */
export function jobLifecycle(db: Db, now: () => Date) {
  async function findByKey(key: string) {
    return db
      .selectFrom('revocation_jobs')
      .select(['id', 'created_by_staff_id'])
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  /**
   * Moves a job from one of `from` to `to`; false when it was in none of them (someone else moved it first).
   * Cancelling also settles every item not yet claimed as "not attempted".
   */
  async function transition(id: string, from: readonly JobState[], to: JobState): Promise<boolean> {
    const at = toDbTime(now());
    return db.transaction().execute(async (tx) => {
      const res = await tx
        .updateTable('revocation_jobs')
        .set({
          state: to,
          updated_at: at,
          ...(to === 'cancelled' || to === 'failed' ? { finished_at: at } : {}),
        })
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      if (to === 'cancelled' || to === 'failed') {
        await tx
          .updateTable('revocation_job_items')
          .set({
            state: 'done',
            outcome: 'not_attempted',
            finished_at: at,
            lease_owner: null,
            lease_until: null,
          })
          .where('job_id', '=', id)
          .where('state', '=', 'pending')
          .execute();
      }
      return true;
    });
  }

  return {
    /**
     * Creates the job and its items in one transaction. The same idempotency key from the same staff member
     * returns the job made the first time (`created: false`) instead of a second one.
     */
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
          await tx
            .insertInto('revocation_jobs')
            .values({
              id,
              idempotency_key: j.idempotencyKey,
              kind: j.kind,
              state: 'queued',
              scope: JSON.stringify(j.scope),
              reason: j.reason,
              created_by_staff_id: j.actor.staffId,
              created_by_email: j.actor.email,
              created_by_role: j.actor.role,
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
          ]);
        });
      } catch (e) {
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

    async fail(id: string, error: string): Promise<boolean> {
      await db.updateTable('revocation_jobs').set({ error }).where('id', '=', id).execute();
      return transition(id, ['queued', 'running', 'paused'], 'failed');
    },

    /** queued → running, with its start time; true only for the caller that made the move. */
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

    /** running → done once no item is left; true only for the one caller that ends it. */
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

    /** Jobs still marked running or queued although none of their items is left: the ones to end now. */
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
