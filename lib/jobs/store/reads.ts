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
  type JobAction,
  type JobItemView,
  type JobKind,
  type JobScope,
  type JobPermission,
  type JobState,
  type JobView,
  type PausedReason,
} from '@/lib/jobs/types';
import { mayRunJob } from '@/lib/jobs/policy';

export interface JobActor {
  staffId: string;
  email: string;
  role: string;
}

export interface JobRow {
  id: string;
  kind: JobKind;
  state: JobState;
  scope: JobScope;
  reason: string;
  reasonCode: string | null;
  ticket: string | null;
  actor: JobActor;
  createdBy: JobActor;
  permission: JobPermission;
  action: JobAction | null;
  pausedReason: PausedReason | null;
  runAs: JobActor | null;
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

function parseDetail(json: string | null): Record<string, number> | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, number>) : null;
  } catch {
    return null;
  }
}

function isOutcome(v: string | null): v is ItemOutcome {
  return v !== null && (ITEM_OUTCOMES as readonly string[]).includes(v);
}

function toRow(r: JobTableRow): JobRow {
  const createdBy = { staffId: r.created_by_staff_id, email: r.created_by_email, role: r.created_by_role };
  const runAs = r.run_as_staff_id
    ? { staffId: r.run_as_staff_id, email: r.run_as_email ?? '', role: r.run_as_role ?? '' }
    : null;
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    scope: parseScope(r.scope),
    reason: r.reason,
    reasonCode: r.reason_code ?? null,
    ticket: r.ticket ?? null,
    actor: runAs ?? createdBy,
    createdBy,
    permission: r.permission as JobPermission,
    action: (r.action as JobAction | null) ?? null,
    pausedReason:
      r.paused_reason === 'by_staff' || r.paused_reason === 'owner_lost_access' ? r.paused_reason : null,
    runAs,
  };
}

function toView(r: JobTableRow, c: Counts): JobView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { actor, ...row } = toRow(r);
  return {
    ...row,
    createdAt: toDate(r.created_at).getTime(),
    startedAt: toDateOrNull(r.started_at)?.getTime() ?? null,
    finishedAt: toDateOrNull(r.finished_at)?.getTime() ?? null,
    error: r.error,
    total: c.total,
    expanding: c.expanding,
    counts: c.counts,
  };
}

export function jobReads(db: Db, now: () => Date) {
  async function countsOf(jobIds: string[]) {
    const out = new Map<string, Counts>();
    for (const id of jobIds) out.set(id, { counts: emptyCounts(), total: 0, expanding: 0 });
    if (!jobIds.length) return out;
    // outcome is set exactly when done; a 'user' item with a step is work done, one without is still expanding.
    const rows = await db
      .selectFrom('revocation_job_items')
      .select([
        'job_id',
        'kind',
        'outcome',
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(case when step is null then 0 else 1 end)`.as('acted'),
      ])
      .where('job_id', 'in', jobIds)
      .groupBy(['job_id', 'kind', 'outcome'])
      .execute();
    for (const r of rows) {
      const entry = out.get(r.job_id)!;
      const acted = toCount(r.acted);
      const n = r.kind === 'session' ? toCount(r.n) : acted;
      if (r.kind !== 'session' && toCount(r.n) > acted && r.outcome === null)
        entry.expanding += toCount(r.n) - acted;
      if (n === 0) continue;
      entry.total += n;
      if (isOutcome(r.outcome)) entry.counts[r.outcome] += n;
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
      const view = row ? ((await views([row]))[0] ?? null) : null;
      if (!view) return null;
      const owners = await db
        .selectFrom('revocation_job_items')
        .select('user_id')
        .distinct()
        .where('job_id', '=', id)
        .where('kind', '=', 'session')
        .where('user_id', 'is not', null)
        .orderBy('user_id')
        .limit(21)
        .execute();
      const count =
        owners.length <= 20
          ? owners.length
          : toCount(
              (
                await db
                  .selectFrom('revocation_job_items')
                  .select(sql<number>`count(distinct user_id)`.as('n'))
                  .where('job_id', '=', id)
                  .where('kind', '=', 'session')
                  .executeTakeFirst()
              )?.n,
            );
      return { ...view, owners: { count, first: owners.slice(0, 20).map((o) => o.user_id!) } };
    },

    async row(id: string): Promise<JobRow | null> {
      const r = await db.selectFrom('revocation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : null;
    },

    // Read from the database, not cached: lostAccess when the acting member is disabled, signed out or demoted.
    async forRunner(id: string): Promise<(JobRow & { lostAccess: boolean }) | null> {
      const r = await db
        .selectFrom('revocation_jobs as j')
        .leftJoin('staff as s', (join) =>
          join.on(sql`s.id`, '=', sql`coalesce(j.run_as_staff_id, j.created_by_staff_id)`),
        )
        .selectAll('j')
        .select([
          's.id as s_id',
          's.role as s_role',
          's.disabled as s_disabled',
          's.session_version as s_version',
        ])
        .where('j.id', '=', id)
        .executeTakeFirst();
      if (!r) return null;
      const row = toRow(r);
      const version = r.run_as_staff_id ? r.run_as_session_version : r.created_by_session_version;
      const lostAccess =
        !r.s_id ||
        Number(r.s_disabled) !== 0 ||
        (version !== null && Number(r.s_version) !== Number(version)) ||
        !mayRunJob(r.s_role ?? '', row.permission);
      return { ...row, lostAccess };
    },

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

    async activeSummaries(
      limit = 10,
    ): Promise<
      { id: string; state: JobState; reason: string; createdByEmail: string; done: number; total: number }[]
    > {
      const rows = await db
        .selectFrom('revocation_jobs')
        .select(['id', 'state', 'reason', 'created_by_email'])
        .where('state', 'in', [...ACTIVE_JOB_STATES])
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      if (!rows.length) return [];
      const counts = await db
        .selectFrom('revocation_job_items')
        .select(['job_id', sql<number>`count(*)`.as('n'), sql<number>`count(outcome)`.as('d')])
        .where(
          'job_id',
          'in',
          rows.map((r) => r.id),
        )
        .where('kind', '=', 'session')
        .groupBy('job_id')
        .execute();
      const by = new Map(counts.map((c) => [c.job_id, c]));
      return rows.map((r) => ({
        id: r.id,
        state: r.state,
        reason: r.reason,
        createdByEmail: r.created_by_email,
        done: toCount(by.get(r.id)?.d),
        total: toCount(by.get(r.id)?.n),
      }));
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

    async countInStates(states: readonly JobState[]): Promise<number> {
      const r = await db
        .selectFrom('revocation_jobs')
        .select(sql<number>`count(*)`.as('n'))
        .where('state', 'in', [...states])
        .executeTakeFirst();
      return toCount(r?.n);
    },

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

    // Keyset pagination: each page is an index range, however deep.
    async items(
      jobId: string,
      f: { outcome?: ItemOutcome | 'pending'; limit: number; after?: number | null },
    ): Promise<{ rows: JobItemView[]; next: number | null }> {
      let q = db
        .selectFrom('revocation_job_items')
        .where('job_id', '=', jobId)
        .where((eb) => eb.or([eb('kind', '=', 'session'), eb('step', 'is not', null)]));
      if (f.outcome === 'pending') q = q.where('state', '!=', 'done');
      else if (f.outcome) q = q.where('state', '=', 'done').where('outcome', '=', f.outcome);
      if (f.after) q = q.where('id', '>', f.after);
      const limit = Math.min(Math.max(f.limit, 1), 5000);
      const rows = await q
        .selectAll()
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      return {
        next: rows.length > limit ? Number(page[page.length - 1]!.id) : null,
        rows: page.map((r) => ({
          id: Number(r.id),
          sessionId: r.target,
          userId: r.user_id,
          step: r.step,
          message: r.message,
          detail: parseDetail(r.detail),
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
