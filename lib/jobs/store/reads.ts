import 'server-only';
import { sql, type Selectable } from 'kysely';
import type { Db } from '@/lib/db';
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

/** A job as the runner needs it: who started it, why, and whether it may still run. */
export interface JobRow {
  id: string;
  kind: JobKind;
  state: JobState;
  scope: JobScope;
  reason: string;
  actor: JobActor;
}

type JobTableRow = Selectable<RevocationJobTable>;
type Counts = { counts: JobView['counts']; total: number; expanding: number };

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

function toRow(r: JobTableRow): JobRow {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    scope: parseScope(r.scope),
    reason: r.reason,
    actor: { staffId: r.created_by_staff_id, email: r.created_by_email, role: r.created_by_role },
  };
}

function toView(r: JobTableRow, c: Counts): JobView {
  const { actor, ...row } = toRow(r);
  return {
    ...row,
    createdBy: actor,
    createdAt: toDate(r.created_at).getTime(),
    startedAt: toDateOrNull(r.started_at)?.getTime() ?? null,
    finishedAt: toDateOrNull(r.finished_at)?.getTime() ?? null,
    error: r.error,
    total: c.total,
    expanding: c.expanding,
    counts: c.counts,
  };
}

/** What the jobs pages, their GET routes and the runner's audit read: jobs with their item counts, and items. */
export function jobReads(db: Db, now: () => Date) {
  async function countsOf(jobIds: string[]) {
    const out = new Map<string, Counts>();
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

  async function views(rows: JobTableRow[]): Promise<JobView[]> {
    const counts = await countsOf(rows.map((r) => r.id));
    return rows.map((r) => toView(r, counts.get(r.id)!));
  }

  return {
    async get(id: string): Promise<JobView | null> {
      const row = await db.selectFrom('revocation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? ((await views([row]))[0] ?? null) : null;
    },

    async row(id: string): Promise<JobRow | null> {
      const r = await db.selectFrom('revocation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : null;
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

    /** How many jobs are in one of `states`. */
    async countInStates(states: readonly JobState[]): Promise<number> {
      const r = await db
        .selectFrom('revocation_jobs')
        .select(sql<number>`count(*)`.as('n'))
        .where('state', 'in', [...states])
        .executeTakeFirst();
      return toCount(r?.n);
    },

    /** Items a runner holds under a lease that has not run out: revokes that may still be in flight. */
    async inFlight(jobId: string): Promise<number> {
      const r = await db
        .selectFrom('revocation_job_items')
        .select(sql<number>`count(*)`.as('n'))
        .where('job_id', '=', jobId)
        .where('state', '=', 'claimed')
        .where('lease_until', '>', toDbTime(now()))
        .executeTakeFirst();
      return toCount(r?.n);
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
  };
}
