import 'server-only';
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { engineOf, type Db } from '@/lib/db';
import type { RevocationJobTable } from '@/lib/db/schema';
import { toCount, toDate, toDateOrNull, toDbTime } from '@/lib/db/values';
import {
  ACTIVE_JOB_STATES,
  emptyCounts,
  ITEM_OUTCOMES,
  type ItemOutcome,
  type JobItemView,
  type JobKind,
  type JobScope,
  type JobState,
  type JobView,
} from '@/lib/jobs/types';

export interface JobActor {
  staffId: string;
  email: string;
  role: string;
}

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

export interface ClaimedItem {
  id: number;
  jobId: string;
  kind: 'session' | 'user' | 'client';
  target: string;
  userId: string | null;
  attempts: number;
  /** Set when a previous holder may have sent the revoke: the item must be settled by reading the session back. */
  attemptAt: Date | null;
  intentId: string | null;
}

export interface JobRow {
  id: string;
  kind: JobKind;
  state: JobState;
  scope: JobScope;
  reason: string;
  actor: JobActor;
}

const INSERT_CHUNK = 400;

type JobTableRow = Selectable<RevocationJobTable>;

function parseScope(json: string): JobScope {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' ? (v as JobScope) : {};
  } catch {
    return {};
  }
}

function isOutcome(v: string | null): v is ItemOutcome {
  return v !== null && (ITEM_OUTCOMES as readonly string[]).includes(v);
}

/**
 * The durable side of revocation jobs. Every state change is one conditional statement, so that several
 * console processes sharing the database agree on who holds an item and on when a job ends.
 */
export function jobStore(db: Db, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());
  const engine = engineOf(db);

  async function findByKey(key: string) {
    return db
      .selectFrom('revocation_jobs')
      .select(['id', 'created_by_staff_id'])
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  async function countsOf(jobIds: string[]) {
    const out = new Map<string, { counts: JobView['counts']; total: number; expanding: number }>();
    for (const id of jobIds) out.set(id, { counts: emptyCounts(), total: 0, expanding: 0 });
    if (!jobIds.length) return out;
    const rows = await db
      .selectFrom('revocation_job_items')
      .select(['job_id', 'kind', 'outcome', 'state', sql<number>`count(*)`.as('n')])
      .where('job_id', 'in', jobIds)
      .groupBy(['job_id', 'kind', 'outcome', 'state'])
      .execute();
    for (const r of rows) {
      const entry = out.get(r.job_id)!;
      const n = toCount(r.n);
      if (r.kind !== 'session') {
        if (r.state !== 'done') entry.expanding += n;
        continue;
      }
      entry.total += n;
      if (r.state === 'done' && isOutcome(r.outcome)) entry.counts[r.outcome] += n;
      else entry.counts.pending += n;
    }
    return out;
  }

  function toView(
    r: JobTableRow,
    c: { counts: JobView['counts']; total: number; expanding: number },
  ): JobView {
    return {
      id: r.id,
      kind: r.kind,
      state: r.state,
      scope: parseScope(r.scope),
      reason: r.reason,
      createdBy: { staffId: r.created_by_staff_id, email: r.created_by_email, role: r.created_by_role },
      createdAt: toDate(r.created_at).getTime(),
      startedAt: toDateOrNull(r.started_at)?.getTime() ?? null,
      finishedAt: toDateOrNull(r.finished_at)?.getTime() ?? null,
      error: r.error,
      total: c.total,
      expanding: c.expanding,
      counts: c.counts,
    };
  }

  async function views(rows: JobTableRow[]): Promise<JobView[]> {
    const counts = await countsOf(rows.map((r) => r.id));
    return rows.map((r) => toView(r, counts.get(r.id)!));
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
          const items = [
            ...j.expand.map((e) => ({ kind: e.kind, target: e.target, user_id: null })),
            ...j.sessions.map((s) => ({ kind: 'session' as const, target: s.sessionId, user_id: s.userId })),
          ];
          for (let i = 0; i < items.length; i += INSERT_CHUNK) {
            await tx
              .insertInto('revocation_job_items')
              .values(
                items
                  .slice(i, i + INSERT_CHUNK)
                  .map((it) => ({ ...it, job_id: id, state: 'pending' as const })),
              )
              .onConflict((oc) => oc.columns(['job_id', 'kind', 'target']).doNothing())
              .execute();
          }
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

    async get(id: string): Promise<JobView | null> {
      const row = await db.selectFrom('revocation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? ((await views([row]))[0] ?? null) : null;
    },

    async row(id: string): Promise<JobRow | null> {
      const r = await db.selectFrom('revocation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return null;
      return {
        id: r.id,
        kind: r.kind,
        state: r.state,
        scope: parseScope(r.scope),
        reason: r.reason,
        actor: { staffId: r.created_by_staff_id, email: r.created_by_email, role: r.created_by_role },
      };
    },

    /** Newest first, with the ones still under way (queued, running, paused) ahead of the finished ones. */
    async list(limit = 100): Promise<JobView[]> {
      const rows = await db
        .selectFrom('revocation_jobs')
        .selectAll()
        .orderBy(sql`case when state in ('queued', 'running', 'paused') then 0 else 1 end`)
        .orderBy('created_at', 'desc')
        .limit(Math.min(Math.max(limit, 1), 500))
        .execute();
      return views(rows);
    },

    async listActive(): Promise<JobView[]> {
      const rows = await db
        .selectFrom('revocation_jobs')
        .selectAll()
        .where('state', 'in', [...ACTIVE_JOB_STATES])
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return views(rows);
    },

    async items(
      jobId: string,
      f: { outcome?: ItemOutcome | 'pending'; limit: number; offset: number },
    ): Promise<{ rows: JobItemView[]; total: number }> {
      let q = db.selectFrom('revocation_job_items').where('job_id', '=', jobId).where('kind', '=', 'session');
      if (f.outcome === 'pending') q = q.where('state', '!=', 'done');
      else if (f.outcome) q = q.where('state', '=', 'done').where('outcome', '=', f.outcome);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('id')
          .limit(Math.min(Math.max(f.limit, 1), 100_000))
          .offset(Math.max(f.offset, 0))
          .execute(),
        q.select(sql<number>`count(*)`.as('n')).executeTakeFirst(),
      ]);
      return {
        total: toCount(total?.n),
        rows: rows.map((r) => ({
          id: Number(r.id),
          sessionId: r.target,
          userId: r.user_id,
          outcome: r.state === 'done' && isOutcome(r.outcome) ? r.outcome : 'pending',
          attempts: r.attempts,
          traceId: r.trace_id,
          code: r.code,
          finishedAt: toDateOrNull(r.finished_at)?.getTime() ?? null,
        })),
      };
    },

    /**
     * Moves a job from one of `from` to `to`; false when it was in none of them (someone else moved it first).
     * Cancelling also settles every item not yet claimed as "not attempted".
     */
    async transition(id: string, from: readonly JobState[], to: JobState): Promise<boolean> {
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
    },

    async fail(id: string, error: string): Promise<boolean> {
      await db.updateTable('revocation_jobs').set({ error }).where('id', '=', id).execute();
      return this.transition(id, ['queued', 'running', 'paused'], 'failed');
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
        .updateTable('revocation_jobs')
        .set({ state: 'done', finished_at: at, updated_at: at })
        .where('id', '=', id)
        .where('state', 'in', ['running', 'queued'])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('revocation_job_items')
                .select('id')
                .where('job_id', '=', id)
                .where('state', '!=', 'done'),
            ),
          ),
        )
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /** Jobs still marked running or queued although none of their items is left: the ones to end now. */
    async finishedButOpen(): Promise<string[]> {
      const rows = await db
        .selectFrom('revocation_jobs as j')
        .select('j.id')
        .where('j.state', 'in', ['running', 'queued'])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('revocation_job_items as i')
                .select('i.id')
                .whereRef('i.job_id', '=', 'j.id')
                .where('i.state', '!=', 'done'),
            ),
          ),
        )
        .limit(20)
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * Takes up to `limit` items for `owner` until now + leaseMs: pending ones, and claimed ones whose lease ran
     * out (their holder died or hung). PostgreSQL skips rows another instance is claiming at this moment
     * (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, taken up front by BEGIN IMMEDIATE.
     */
    async claim(owner: string, leaseMs: number, limit: number): Promise<ClaimedItem[]> {
      const t = now();
      const at = toDbTime(t);
      const until = toDbTime(new Date(t.getTime() + leaseMs));
      const claimable = (t: string) =>
        sql`(${sql.ref(`${t}.state`)} = 'pending' or (${sql.ref(`${t}.state`)} = 'claimed' and ${sql.ref(`${t}.lease_until`)} < ${at}))`;
      const pick = sql`select c.id from revocation_job_items c join revocation_jobs j on j.id = c.job_id
        where j.state in ('queued', 'running') and ${claimable('c')}
        order by j.created_at, c.id limit ${limit}`;
      type Raw = {
        id: number | string;
        job_id: string;
        kind: ClaimedItem['kind'];
        target: string;
        user_id: string | null;
        attempts: number;
        attempt_at: Date | string | null;
        intent_id: string | null;
      };
      const update = (inner: ReturnType<typeof sql>) => sql<Raw>`update revocation_job_items
        set state = 'claimed', lease_owner = ${owner}, lease_until = ${until}
        where id in (${inner}) and ${claimable('revocation_job_items')}
        returning id, job_id, kind, target, user_id, attempts, attempt_at, intent_id`;
      let rows: Raw[];
      if (engine === 'postgres') {
        // A CTE, not `id in (subquery)`: PostgreSQL may run such a subquery once per candidate row, and with
        // SKIP LOCKED each run can pick another row, claiming more than `limit`. A CTE runs once.
        rows = (
          await sql<Raw>`with picked as (${pick} for update of c skip locked)
            update revocation_job_items as t
            set state = 'claimed', lease_owner = ${owner}, lease_until = ${until}
            from picked where t.id = picked.id
            returning t.id, t.job_id, t.kind, t.target, t.user_id, t.attempts, t.attempt_at, t.intent_id`.execute(
            db,
          )
        ).rows;
      } else {
        rows = await db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          try {
            const r = (await update(pick).execute(conn)).rows;
            await sql`commit`.execute(conn);
            return r;
          } catch (e) {
            await sql`rollback`.execute(conn).catch(() => {});
            throw e;
          }
        });
      }
      return rows
        .map((r) => ({
          id: Number(r.id),
          jobId: r.job_id,
          kind: r.kind,
          target: r.target,
          userId: r.user_id,
          attempts: r.attempts,
          attemptAt: toDateOrNull(r.attempt_at),
          intentId: r.intent_id,
        }))
        .sort((a, b) => a.id - b.id);
    },

    /** Records that the revoke is about to go out; false when the lease is no longer ours (do not send it). */
    async markAttempt(itemId: number, owner: string, intentId: string): Promise<boolean> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('revocation_job_items')
        .set((eb) => ({ attempt_at: at, intent_id: intentId, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', itemId)
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', owner)
        .where('lease_until', '>', at)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /** Settles an item held by `owner`; false when another holder took it over meanwhile. */
    async finish(
      itemId: number,
      owner: string,
      r: { outcome: ItemOutcome | 'expanded'; traceId?: string | null; code?: string | null },
    ): Promise<boolean> {
      const res = await db
        .updateTable('revocation_job_items')
        .set({
          state: 'done',
          outcome: r.outcome,
          trace_id: r.traceId ?? null,
          code: r.code ?? null,
          finished_at: toDbTime(now()),
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', itemId)
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /**
     * Gives an item back. `sent: false` (the call was refused before reaching Clerk: a spent budget, a 429)
     * also forgets the attempt (and does not count it), so the next holder revokes without reading back first.
     */
    async release(itemId: number, owner: string, o: { sent: boolean }): Promise<void> {
      await db
        .updateTable('revocation_job_items')
        .set((eb) => ({
          state: o.sent ? 'claimed' : 'pending',
          lease_until: o.sent ? toDbTime(new Date(0)) : null,
          lease_owner: o.sent ? owner : null,
          ...(o.sent
            ? {}
            : {
                attempt_at: null,
                intent_id: null,
                attempts: sql<number>`case when ${eb.ref('attempts')} > 0 then ${eb.ref('attempts')} - 1 else 0 end`,
              }),
        }))
        .where('id', '=', itemId)
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', owner)
        .execute();
    },

    async countFailedAttempt(itemId: number): Promise<void> {
      await db
        .updateTable('revocation_job_items')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', itemId)
        .execute();
    },

    /** The sessions a user or client item expanded into; ones already in the job are left as they are. */
    async addSessions(
      jobId: string,
      sessions: { sessionId: string; userId: string | null }[],
    ): Promise<void> {
      for (let i = 0; i < sessions.length; i += INSERT_CHUNK) {
        await db
          .insertInto('revocation_job_items')
          .values(
            sessions.slice(i, i + INSERT_CHUNK).map((s) => ({
              job_id: jobId,
              kind: 'session' as const,
              target: s.sessionId,
              user_id: s.userId,
              state: 'pending' as const,
            })),
          )
          .onConflict((oc) => oc.columns(['job_id', 'kind', 'target']).doNothing())
          .execute();
      }
    },
  };
}

export type JobStore = ReturnType<typeof jobStore>;
