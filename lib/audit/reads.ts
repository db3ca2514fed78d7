import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db';
import { toCount, toDate, toDateOrNull, toDbTime } from '@/lib/db/values';
import { isRole } from '@/lib/vocabulary';
import type { AuditAction, AuditEntry, AuditListFilter, AuditOutcome, AuditTarget } from '@/lib/audit/types';
import { cleanTarget, parseDetails } from '@/lib/audit/sanitize';
import { denialParts } from '@/lib/audit/denials';
import { registerConsoleInstance, type ConsoleInstance } from '@/lib/audit/instances';

export const COUNT_BOUND = 10_000;
export const EXPORT_PAGE = 500;

export const DEFAULT_GRACE_MS = 2 * 60 * 1000;

export function auditReads(db: Db, o: { now: () => Date; graceMs: number; instance: ConsoleInstance }) {
  const { now, graceMs, instance } = o;

  function entries() {
    const cutoff = toDbTime(new Date(now().getTime() - graceMs));
    return db
      .selectFrom('audit_log as e')
      .leftJoin('audit_log as o', 'o.intent_id', 'e.id')
      .leftJoin('console_instances as i', 'i.id', 'e.instance_id')
      .leftJoin('audit_denials as d', 'd.audit_id', 'e.id')
      .where('e.kind', 'in', ['intent', 'event'])
      .select([
        'e.seq',
        'e.id',
        'e.kind',
        'e.at',
        'e.action',
        'e.actor_staff_id',
        'e.actor_email',
        'e.actor_role',
        'e.session_id',
        'e.user_id',
        'e.client_id',
        'e.details',
        'e.ip',
        'e.user_agent',
        'e.code',
        'e.trace_id',
        'e.reason_code',
        'e.ticket',
        'o.id as o_id',
        'o.at as o_at',
        'o.details as o_details',
        'o.code as o_code',
        'o.trace_id as o_trace_id',
        'o.reconciled as o_reconciled',
        'o.actor_staff_id as o_actor_staff_id',
        'o.actor_email as o_actor_email',
        'o.actor_role as o_actor_role',
        'd.hits as d_hits',
        'd.last_at as d_last_at',
        sql<AuditOutcome>`case
          when e.kind = 'event' then e.outcome
          when o.id is not null then o.outcome
          when e.at < ${cutoff} then 'unknown'
          when i.started_at is not null and e.at < i.started_at then 'unknown'
          else 'pending' end`.as('resolved_outcome'),
      ]);
  }

  type EntryRow = Awaited<ReturnType<ReturnType<typeof entries>['execute']>>[number];

  function toEntry(r: EntryRow): AuditEntry {
    const isIntent = r.kind === 'intent';
    const role = (v: string | null) => (isRole(v) ? v : null);
    return {
      id: r.id,
      at: toDate(r.at),
      resolvedAt: isIntent ? toDateOrNull(r.o_at) : toDate(r.at),
      actor: { staffId: r.actor_staff_id, email: r.actor_email, role: role(r.actor_role) },
      action: r.action as AuditAction,
      target: { sessionId: r.session_id, userId: r.user_id, clientId: r.client_id },
      details: {
        ...parseDetails(r.details),
        ...(isIntent ? parseDetails(r.o_details) : {}),
        ...(r.d_hits != null ? { count: toCount(r.d_hits), lastAt: toDate(r.d_last_at!).toISOString() } : {}),
      },
      ctx: { ip: r.ip, userAgent: r.user_agent },
      outcome: r.resolved_outcome,
      code: isIntent ? r.o_code : r.code,
      traceId: isIntent ? r.o_trace_id : r.trace_id,
      reconciledBy:
        isIntent && Number(r.o_reconciled) === 1
          ? { staffId: r.o_actor_staff_id, email: r.o_actor_email ?? 'unknown', role: role(r.o_actor_role) }
          : null,
    };
  }

  const register = () => registerConsoleInstance(db, instance).catch(() => {});

  async function withParts(rows: EntryRow[]): Promise<AuditEntry[]> {
    const entries = rows.map(toEntry);
    const folded = rows.filter((r) => r.d_hits != null).map((r) => r.id);
    if (!folded.length) return entries;
    const parts = await denialParts(db, folded);
    return entries.map((e) => {
      const p = parts.get(e.id);
      if (!p || !Object.keys(p).some(Boolean)) return e;
      return { ...e, details: { ...e.details, [e.action === 'auth.sign_in' ? 'byAccount' : 'byWhere']: p } };
    });
  }

  function filtered(f: Omit<AuditListFilter, 'limit' | 'offset'>) {
    let q = db.selectFrom(entries().as('r'));
    if (f.actor?.trim()) {
      const actor = f.actor.trim();
      q = q.where((eb) =>
        eb.or([eb('r.actor_email', '=', actor.toLowerCase()), eb('r.actor_staff_id', '=', actor)]),
      );
    }
    if (f.action) q = q.where('r.action', '=', f.action);
    if (f.reasonCode) q = q.where('r.reason_code', '=', f.reasonCode);
    if (f.ticket?.trim()) q = q.where('r.ticket', '=', f.ticket.trim());
    if (f.target?.trim()) {
      const t = f.target.trim();
      q = q.where((eb) =>
        eb.or([eb('r.session_id', '=', t), eb('r.user_id', '=', t), eb('r.client_id', '=', t)]),
      );
    }
    if (f.outcome) q = q.where('r.resolved_outcome', '=', f.outcome);
    if (f.from) q = q.where('r.at', '>=', toDbTime(f.from));
    if (f.to) q = q.where('r.at', '<=', toDbTime(f.to));
    return q;
  }

  return {
    /** `total` counts matches only up to a bound past this page, so the count never reads the whole log. */
    async list(
      f: AuditListFilter,
    ): Promise<{ rows: AuditEntry[]; total: number; totalIsLowerBound: boolean }> {
      await register();
      const limit = Math.min(Math.max(Math.trunc(f.limit) || 1, 1), 500);
      const offset = Math.max(Math.trunc(f.offset) || 0, 0);
      const q = filtered(f);
      const countBound = offset + Math.max(limit * 20, COUNT_BOUND);
      const [rows, count] = await Promise.all([
        q.selectAll().orderBy('r.at', 'desc').orderBy('r.seq', 'desc').limit(limit).offset(offset).execute(),
        db
          .selectFrom(
            q
              .select('r.seq')
              .limit(countBound + 1)
              .as('c'),
          )
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst(),
      ]);
      const n = toCount(count?.n);
      return {
        rows: await withParts(rows),
        total: Math.min(n, countBound),
        totalIsLowerBound: n > countBound,
      };
    },

    /** Keyset paging by `seq`: an index range scan per page; rows written meanwhile can't shift or repeat a page. */
    async exportPage(
      f: Omit<AuditListFilter, 'limit' | 'offset'> & { from: Date; to: Date },
      beforeSeq: number | null,
      limit = EXPORT_PAGE,
    ): Promise<{ rows: AuditEntry[]; lastSeq: number | null }> {
      await register();
      let q = filtered(f);
      if (beforeSeq !== null) q = q.where('r.seq', '<', beforeSeq);
      const rows = await q
        .selectAll()
        .orderBy('r.seq', 'desc')
        .limit(Math.min(Math.max(Math.trunc(limit) || 1, 1), EXPORT_PAGE))
        .execute();
      const last = rows.at(-1);
      return { rows: await withParts(rows), lastSeq: last ? Number(last.seq) : null };
    },

    async forTarget(t: AuditTarget, limit = 50): Promise<AuditEntry[]> {
      const ids = cleanTarget(t);
      if (!ids.sessionId && !ids.userId && !ids.clientId) return [];
      await register();
      const rows = await db
        .selectFrom(entries().as('r'))
        .selectAll()
        .where((eb) =>
          eb.or([
            ...(ids.sessionId ? [eb('r.session_id', '=', ids.sessionId)] : []),
            ...(ids.userId ? [eb('r.user_id', '=', ids.userId)] : []),
            ...(ids.clientId ? [eb('r.client_id', '=', ids.clientId)] : []),
          ]),
        )
        .orderBy('r.at', 'desc')
        .orderBy('r.seq', 'desc')
        .limit(Math.min(Math.max(Math.trunc(limit) || 1, 1), 500))
        .execute();
      return rows.map(toEntry);
    },

    async unresolved(): Promise<AuditEntry[]> {
      await register();
      const rows = await db
        .selectFrom(entries().as('r'))
        .selectAll()
        .where('r.kind', '=', 'intent')
        .where('r.o_id', 'is', null)
        .orderBy('r.at', 'desc')
        .orderBy('r.seq', 'desc')
        .limit(500)
        .execute();
      return rows.map(toEntry);
    },
  };
}
