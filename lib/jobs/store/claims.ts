import 'server-only';
import { sql } from 'kysely';
import { engineOf, type Db } from '@/lib/db';
import { toDateOrNull, toDbTime } from '@/lib/db/values';
import type { ItemOutcome } from '@/lib/jobs/types';

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

export type NewItem = { kind: ClaimedItem['kind']; target: string; user_id: string | null };

const INSERT_CHUNK = 400;

/** Adds pending items to a job (over `exec`, a transaction or the database); ones already in it are left as they are. */
export async function insertItems(exec: Db, jobId: string, items: NewItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    await exec
      .insertInto('revocation_job_items')
      .values(
        items.slice(i, i + INSERT_CHUNK).map((it) => ({ ...it, job_id: jobId, state: 'pending' as const })),
      )
      .onConflict((oc) => oc.columns(['job_id', 'kind', 'target']).doNothing())
      .execute();
  }
}

/**
 * Who holds which item: claims under a lease, the attempt mark before a revoke goes out, settlement. Every
 * statement is conditional on the lease, so a holder that lost its item to another instance changes nothing.
 */
export function itemClaims(db: Db, now: () => Date) {
  const engine = engineOf(db);

  return {
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
      await insertItems(
        db,
        jobId,
        sessions.map((s) => ({ kind: 'session', target: s.sessionId, user_id: s.userId })),
      );
    },
  };
}
