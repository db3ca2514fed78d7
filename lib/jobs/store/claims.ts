import 'server-only';
import { sql } from 'kysely';
import { engineOf, type Db } from '@/lib/db';
import { toCount, toDateOrNull, toDbTime } from '@/lib/db/values';
import { MAX_JOB_SESSIONS, type ItemOutcome } from '@/lib/jobs/types';
import { permissionsLacking } from '@/lib/jobs/policy';

export interface ClaimedItem {
  id: number;
  jobId: string;
  kind: 'session' | 'user' | 'client';
  target: string;
  userId: string | null;
  attempts: number;
  attemptAt: Date | null;
  intentId: string | null;
  cursor: string | null;
  step: string | null;
}

export type NewItem = {
  kind: ClaimedItem['kind'];
  target: string;
  user_id: string | null;
  hold_for?: number | null;
  step?: string | null;
};

export interface ItemSettled {
  outcome: ItemOutcome | 'expanded';
  traceId?: string | null;
  code?: string | null;
  message?: string | null;
  detail?: Record<string, number> | null;
}

export type PageSaved = 'saved' | 'not_running' | 'job_cap' | 'second_owner';

// Checked by the database when the statement runs, never from a cache: a member who lost access stops at once.
function actingMemberMayRun(j: string) {
  const ref = (c: string) => sql.ref(`${j}.${c}`);
  const padded = sql`(' ' || ${ref('permission')} || ' ')`;
  const mayHold = permissionsLacking().map(({ role, lacks }) =>
    lacks.length
      ? sql`(s.role = ${sql.lit(role)} and ${sql.join(
          lacks.map((p) => sql`${padded} not like ${sql.lit(`% ${p} %`)}`),
          sql` and `,
        )})`
      : sql`s.role = ${sql.lit(role)}`,
  );
  return sql`exists (select 1 from staff s
    where s.id = coalesce(${ref('run_as_staff_id')}, ${ref('created_by_staff_id')}) and s.disabled = 0
      and (case when ${ref('run_as_staff_id')} is null then ${ref('created_by_session_version')}
                else ${ref('run_as_session_version')} end is null
           or s.session_version = case when ${ref('run_as_staff_id')} is null
                then ${ref('created_by_session_version')} else ${ref('run_as_session_version')} end)
      and (${sql.join(mayHold, sql` or `)}))`;
}

const INSERT_CHUNK = 400;

export async function insertItems(exec: Db, jobId: string, items: NewItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    await exec
      .insertInto('revocation_job_items')
      .values(
        items.slice(i, i + INSERT_CHUNK).map((it) => ({
          ...it,
          hold_for: it.hold_for ?? null,
          step: it.step ?? null,
          job_id: jobId,
          state: 'pending' as const,
        })),
      )
      .onConflict((oc) => oc.columns(['job_id', 'kind', 'target']).doNothing())
      .execute();
  }
}

// Every statement is conditional on the lease, so a holder that lost its item to another instance changes nothing.
export function itemClaims(db: Db, now: () => Date) {
  const engine = engineOf(db);

  type Ready = (t: string) => ReturnType<typeof sql>;
  // PostgreSQL: FOR UPDATE SKIP LOCKED skips rows another instance is claiming; SQLite: BEGIN IMMEDIATE, one writer.
  async function claimWhere(
    owner: string,
    leaseMs: number,
    pickOf: (ready: Ready) => ReturnType<typeof sql>,
  ): Promise<ClaimedItem[]> {
    const t = now();
    const at = toDbTime(t);
    const until = toDbTime(new Date(t.getTime() + leaseMs));
    const claimable = (t: string) =>
      sql`(${sql.ref(`${t}.state`)} = 'pending' or (${sql.ref(`${t}.state`)} = 'claimed' and ${sql.ref(`${t}.lease_until`)} < ${at}))`;
    // A step of a secure_account job (its target is the step) waits until every step before it is done.
    const ready: Ready = (t) => sql`${claimable(t)} and ${sql.ref(`${t}.hold_for`)} is null
      and (${sql.ref(`${t}.step`)} is null or ${sql.ref(`${t}.target`)} <> ${sql.ref(`${t}.step`)}
        or not exists (select 1 from revocation_job_items p
          where p.job_id = ${sql.ref(`${t}.job_id`)} and p.id < ${sql.ref(`${t}.id`)} and p.state <> 'done'))`;
    const pick = pickOf(ready);
    type Raw = {
      id: number | string;
      job_id: string;
      kind: ClaimedItem['kind'];
      target: string;
      user_id: string | null;
      attempts: number;
      attempt_at: Date | string | null;
      intent_id: string | null;
      cursor: string | null;
      step: string | null;
    };
    let rows: Raw[];
    if (engine === 'postgres') {
      // A CTE, not `id in (subquery)`: with SKIP LOCKED, PostgreSQL may rerun a subquery per row, claiming > `limit`.
      rows = (
        await sql<Raw>`with picked as (${pick} for update of c skip locked)
          update revocation_job_items as t
          set state = 'claimed', lease_owner = ${owner}, lease_until = ${until}
          from picked where t.id = picked.id
          returning t.id, t.job_id, t.kind, t.target, t.user_id, t.attempts, t.attempt_at, t.intent_id, t.cursor, t.step`.execute(
          db,
        )
      ).rows;
    } else {
      rows = await db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const r = (
            await sql<Raw>`update revocation_job_items
              set state = 'claimed', lease_owner = ${owner}, lease_until = ${until}
              where id in (${pick}) and ${claimable('revocation_job_items')}
              returning id, job_id, kind, target, user_id, attempts, attempt_at, intent_id, cursor, step`.execute(
              conn,
            )
          ).rows;
          await sql`commit`.execute(conn);
          return r;
        } catch (e) {
          await sql`rollback`.execute(conn).catch(() => {});
          throw e;
        }
      });
    }
    const claimed = rows
      .map((r) => ({
        id: Number(r.id),
        jobId: r.job_id,
        kind: r.kind,
        target: r.target,
        userId: r.user_id,
        attempts: r.attempts,
        attemptAt: toDateOrNull(r.attempt_at),
        intentId: r.intent_id,
        cursor: r.cursor,
        step: r.step,
      }))
      .sort((a, b) => a.id - b.id);
    if (claimed.length) {
      await db
        .updateTable('revocation_jobs')
        .set({ last_claimed_at: at })
        .where('id', 'in', [...new Set(claimed.map((c) => c.jobId))])
        .execute();
    }
    return claimed;
  }

  return {
    // PostgreSQL: FOR UPDATE SKIP LOCKED skips rows another instance is claiming; SQLite: BEGIN IMMEDIATE, one writer.
    async claim(owner: string, leaseMs: number, limit: number): Promise<ClaimedItem[]> {
      // Round-robin, least recently served job first (incident jobs ahead): a small urgent job waits one turn at most.
      const nextJob = (ready: Ready) => sql`select j.id from revocation_jobs j
        where j.state in ('queued', 'running')
          and exists (select 1 from revocation_job_items c where c.job_id = j.id and ${ready('c')})
        order by case when (' ' || j.permission || ' ') like '% jobs:incident %' and coalesce(j.run_as_role, j.created_by_role) = 'admin' then 0 else 1 end,
          j.last_claimed_at is not null, j.last_claimed_at, j.created_at, j.id
        limit 1`;
      return claimWhere(
        owner,
        leaseMs,
        (ready) => sql`select c.id from revocation_job_items c
        where c.job_id = (${nextJob(ready)}) and ${ready('c')}
        order by c.id limit ${limit}`,
      );
    },

    // More items of one job doing one step, so a batch (50 users per ban) goes out in one request.
    async claimBatch(
      jobId: string,
      step: string,
      owner: string,
      leaseMs: number,
      limit: number,
    ): Promise<ClaimedItem[]> {
      if (limit <= 0) return [];
      return claimWhere(
        owner,
        leaseMs,
        (ready) => sql`select c.id from revocation_job_items c
        where c.job_id = ${jobId} and c.step = ${step} and c.attempt_at is null and ${ready('c')}
        order by c.id limit ${limit}`,
      );
    },

    // One statement, so a cancel or pause committed before it is always seen and the revoke is not sent.
    async markAttempt(itemId: number, owner: string, intentId: string): Promise<boolean> {
      const at = toDbTime(now());
      const res = await db
        .updateTable('revocation_job_items')
        .set((eb) => ({ attempt_at: at, intent_id: intentId, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', itemId)
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', owner)
        .where('lease_until', '>', at)
        .where(
          sql<boolean>`exists (select 1 from revocation_jobs j where j.id = revocation_job_items.job_id
            and j.state = 'running' and ${actingMemberMayRun('j')})`,
        )
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async setOwner(itemId: number, owner: string, userId: string | null): Promise<void> {
      await db
        .updateTable('revocation_job_items')
        .set({ user_id: userId })
        .where('id', '=', itemId)
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', owner)
        .execute();
    },

    async keepIntent(itemId: number, intentId: string): Promise<boolean> {
      const res = await db
        .updateTable('revocation_job_items')
        .set({ intent_id: intentId })
        .where('id', '=', itemId)
        .where('state', '=', 'pending')
        .where('intent_id', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async hasOtherOwner(jobId: string, userId: string): Promise<boolean> {
      const r = await db
        .selectFrom('revocation_job_items')
        .select('id')
        .where('job_id', '=', jobId)
        .where('kind', '=', 'session')
        .where('user_id', 'is not', null)
        .where('user_id', '!=', userId)
        .limit(1)
        .executeTakeFirst();
      return Boolean(r);
    },

    async finish(itemId: number, owner: string, r: ItemSettled): Promise<boolean> {
      const res = await db
        .updateTable('revocation_job_items')
        .set({
          state: 'done',
          outcome: r.outcome,
          trace_id: r.traceId ?? null,
          code: r.code ?? null,
          message: r.message ?? null,
          detail: r.detail ? JSON.stringify(r.detail) : null,
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

    // `sent: false` (refused before reaching Clerk) forgets the attempt, so the next holder need not read back.
    async release(itemId: number, owner: string, o: { sent: boolean; keepIntent?: boolean }): Promise<void> {
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
                // A retry after a 429 is the same revoke: it keeps its one audit intent, open until the end.
                ...(o.keepIntent ? {} : { intent_id: null }),
                attempts: sql<number>`case when ${eb.ref('attempts')} > 0 then ${eb.ref('attempts')} - 1 else 0 end`,
              }),
        }))
        .where('id', '=', itemId)
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', owner)
        .execute();
    },

    async setCursor(itemId: number, owner: string, cursor: string): Promise<void> {
      await db
        .updateTable('revocation_job_items')
        .set({ cursor })
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

    // One transaction that re-checks the job is running first: a cancel or pause that got in first wins.
    async savePage(
      item: { id: number; jobId: string },
      owner: string,
      sessions: { sessionId: string; userId: string | null }[],
      o: { cursor: string | null; hold: boolean; singleOwner: boolean; cap?: number },
    ): Promise<PageSaved> {
      return db.transaction().execute(async (tx) => {
        const job = await tx
          .updateTable('revocation_jobs')
          .set({ updated_at: toDbTime(now()) })
          .where('id', '=', item.jobId)
          .where('state', '=', 'running')
          .executeTakeFirst();
        if (Number(job.numUpdatedRows) !== 1) return 'not_running';
        const held = await tx
          .updateTable('revocation_job_items')
          .set({ cursor: o.cursor })
          .where('id', '=', item.id)
          .where('state', '=', 'claimed')
          .where('lease_owner', '=', owner)
          .executeTakeFirst();
        if (Number(held.numUpdatedRows) !== 1) return 'not_running';
        if (o.singleOwner) {
          const owners = new Set(sessions.map((s) => s.userId).filter((u): u is string => u !== null));
          if (owners.size > 1) return 'second_owner';
          const [only] = owners;
          if (only) {
            const other = await tx
              .selectFrom('revocation_job_items')
              .select('id')
              .where('job_id', '=', item.jobId)
              .where('kind', '=', 'session')
              .where('user_id', 'is not', null)
              .where('user_id', '!=', only)
              .limit(1)
              .executeTakeFirst();
            if (other) return 'second_owner';
          }
        }
        const have = toCount(
          (
            await tx
              .selectFrom('revocation_job_items')
              .select(sql<number>`count(*)`.as('n'))
              .where('job_id', '=', item.jobId)
              .where('kind', '=', 'session')
              .executeTakeFirst()
          )?.n,
        );
        const room = Math.max(0, (o.cap ?? MAX_JOB_SESSIONS) - have);
        const hold = o.hold && o.cursor !== null ? item.id : null;
        await insertItems(
          tx,
          item.jobId,
          sessions.slice(0, room).map((s) => ({
            kind: 'session',
            target: s.sessionId,
            user_id: s.userId,
            hold_for: hold,
          })),
        );
        if (o.cursor === null || sessions.length > room) await unhold(tx, item);
        return sessions.length > room ? 'job_cap' : 'saved';
      });
    },

    unhold: (item: { id: number; jobId: string }) => unhold(db, item),
  };
}

async function unhold(exec: Db, item: { id: number; jobId: string }): Promise<void> {
  await exec
    .updateTable('revocation_job_items')
    .set({ hold_for: null })
    .where('job_id', '=', item.jobId)
    .where('hold_for', '=', item.id)
    .execute();
}
