import 'server-only';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import type { Db } from '@/lib/db';
import type { AuditLogTable } from '@/lib/db/schema';
import { toCount, toDate, toDateOrNull, toDbTime } from '@/lib/db/values';
import { isRole } from '@/lib/auth/roles';
import { log } from '@/lib/log';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  type AuditIntent,
  type AuditListFilter,
  type AuditOutcome,
  type AuditRequestContext,
  type AuditTarget,
} from '@/lib/audit/types';
import {
  cleanActor,
  cleanContext,
  cleanDetails,
  cleanString,
  cleanTarget,
  detailsToJson,
  LIMITS,
  parseDetails,
} from '@/lib/audit/sanitize';
import {
  DENIAL_CODES,
  denialParts,
  foldDenial,
  type DenialAction,
  type DenialCode,
} from '@/lib/audit/denials';

export * from '@/lib/audit/types';
export { auditCsvHeader, auditCsvRecords, auditToCsv } from '@/lib/audit/csv';

/** The intent could not be written: the caller must refuse the action (nothing unaudited reaches Clerk). */
export class AuditUnavailableError extends Error {
  constructor(message = 'The audit log is unavailable.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditUnavailableError';
  }
}

export class AuditResolveError extends Error {
  constructor(readonly reason: 'not_found' | 'already_resolved') {
    super(reason === 'not_found' ? 'No pending action has that id.' : 'That action already has an outcome.');
    this.name = 'AuditResolveError';
  }
}

/** The audit page counts matches up to this many past its page, then says "more than". */
export const COUNT_BOUND = 10_000;
/** Rows per page of a CSV export (one query each). */
export const EXPORT_PAGE = 500;

/** How long an intent without an outcome reads as "pending" before it reads as "unknown". */
export const DEFAULT_GRACE_MS = 2 * 60 * 1000;

export interface ConsoleInstance {
  /** Stable across restarts of the same instance (CONSOLE_INSTANCE_ID, else the host name). */
  id: string;
  startedAt: Date;
}

/** This process, as the audit log knows it. */
export const PROCESS_INSTANCE: ConsoleInstance = Object.freeze({
  id: (process.env.CONSOLE_INSTANCE_ID?.trim() || os.hostname() || 'console').slice(0, 128),
  startedAt: new Date(Math.floor(performance.timeOrigin)),
});

const registrations = new WeakMap<Db, Map<string, Promise<void>>>();

/**
 * Records that `instance` (re)started at `startedAt`. Intents it wrote before that, still without an outcome,
 * were cut off by a crash or restart and read as "unknown" at once instead of after the grace period. Only moves
 * forward, so an older process cannot make a newer one's intents look crashed. Once per process and database.
 */
export function registerConsoleInstance(db: Db, instance: ConsoleInstance = PROCESS_INSTANCE): Promise<void> {
  let perDb = registrations.get(db);
  if (!perDb) registrations.set(db, (perDb = new Map()));
  const key = `${instance.id}@${instance.startedAt.getTime()}`;
  let done = perDb.get(key);
  if (!done) {
    const startedAt = toDbTime(instance.startedAt);
    done = db
      .insertInto('console_instances')
      .values({ id: instance.id, started_at: startedAt })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ started_at: startedAt })
          .where('console_instances.started_at', '<', startedAt),
      )
      .execute()
      .then(() => undefined);
    perDb.set(key, done);
    done.catch(() => perDb.delete(key));
  }
  return done;
}

export interface AuditLogOptions {
  now?: () => Date;
  graceMs?: number;
  instance?: ConsoleInstance;
}

type Row = Insertable<AuditLogTable>;

function isAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

function baseRow(
  kind: Row['kind'],
  at: Date,
  a: {
    actor: AuditActor;
    action: AuditAction;
    target?: AuditTarget;
    details?: AuditDetails;
    ctx?: AuditRequestContext;
  },
): Row {
  const actor = cleanActor(a.actor);
  const target = cleanTarget(a.target);
  const ctx = cleanContext(a.ctx);
  return {
    id: randomUUID(),
    kind,
    intent_id: null,
    at: toDbTime(at),
    instance_id: null,
    action: a.action,
    outcome: 'pending',
    actor_staff_id: actor.staffId,
    actor_email: actor.email,
    actor_role: actor.role,
    session_id: target.sessionId,
    user_id: target.userId,
    client_id: target.clientId,
    details: detailsToJson(cleanDetails(a.details)),
    ip: ctx.ip,
    user_agent: ctx.userAgent,
    code: null,
    trace_id: null,
    reconciled: 0,
  };
}

/**
 * The append-only audit log. Rows are only ever inserted (the database refuses UPDATE and DELETE): a privileged
 * action writes an intent row BEFORE its upstream call and an outcome row, linked by the intent's id, after it.
 * An intent with no outcome reads as "pending" for a grace period, then as "unknown" (its process crashed or
 * lost the answer); so does one written before its instance last restarted.
 */
export function auditLog(db: Db, opts: AuditLogOptions = {}) {
  const now = opts.now ?? (() => new Date());
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const instance = opts.instance ?? PROCESS_INSTANCE;

  async function outcomeExists(intentId: string): Promise<boolean> {
    const row = await db
      .selectFrom('audit_log')
      .select('id')
      .where('intent_id', '=', intentId)
      .executeTakeFirst();
    return Boolean(row);
  }

  type IntentSnapshot = { id: string; action: AuditAction; actor: AuditActor; target: Required<AuditTarget> };

  /** Inserts the outcome row; 'already_resolved' when the intent has one (the unique index decides races). */
  async function writeOutcome(
    intent: IntentSnapshot,
    outcome: 'succeeded' | 'failed' | 'unknown',
    extra: {
      code?: string | null;
      traceId?: string | null;
      details?: AuditDetails;
      reconciledBy?: AuditActor;
    },
  ): Promise<void> {
    const row = baseRow('outcome', now(), {
      actor: extra.reconciledBy ?? intent.actor,
      action: intent.action,
      target: intent.target,
      details: extra.details,
    });
    row.intent_id = intent.id;
    row.outcome = outcome;
    row.code = cleanString(extra.code, LIMITS.code);
    row.trace_id = cleanString(extra.traceId, LIMITS.traceId);
    row.reconciled = extra.reconciledBy ? 1 : 0;
    try {
      await db.insertInto('audit_log').values(row).execute();
    } catch (e) {
      if (await outcomeExists(intent.id).catch(() => false)) throw new AuditResolveError('already_resolved');
      throw e;
    }
  }

  function intentHandle(intent: IntentSnapshot): AuditIntent {
    // Called after the upstream call: the action has happened (or not) whatever we manage to write now, so a
    // failed write is logged, not thrown. The intent then reads as "unknown" and shows up for reconciliation.
    const settle = async (
      outcome: 'succeeded' | 'failed' | 'unknown',
      extra: { code?: string | null; traceId?: string | null; details?: AuditDetails },
    ) => {
      try {
        await writeOutcome(intent, outcome, extra);
      } catch (e) {
        if (e instanceof AuditResolveError && outcome !== 'unknown') {
          // Someone reconciled it first. The late, real answer is still a fact worth keeping: as its own row.
          try {
            await insertEvent({
              actor: intent.actor,
              action: intent.action,
              target: intent.target,
              details: { ...extra.details, lateOutcomeOf: intent.id },
              ctx: { ip: null, userAgent: null },
              outcome,
              code: extra.code ?? null,
              traceId: extra.traceId ?? null,
            });
            return;
          } catch (e2) {
            e = e2;
          }
        }
        if (!(e instanceof AuditResolveError)) {
          log.error(
            {
              intentId: intent.id,
              action: intent.action,
              outcome,
              err: e instanceof Error ? e.name : typeof e,
            },
            'audit outcome not written',
          );
        }
      }
    };
    return {
      id: intent.id,
      succeeded: (extra = {}) => settle('succeeded', extra),
      failed: (code, extra = {}) => settle('failed', { ...extra, code }),
      unknown: (extra = {}) => settle('unknown', extra),
    };
  }

  async function insertEvent(a: {
    actor: AuditActor;
    action: AuditAction;
    target: AuditTarget;
    details: AuditDetails;
    ctx: AuditRequestContext;
    outcome: 'succeeded' | 'failed' | 'denied';
    code?: string | null;
    traceId?: string | null;
  }): Promise<void> {
    const row = baseRow('event', now(), a);
    row.outcome = a.outcome;
    row.code = cleanString(a.code, LIMITS.code);
    row.trace_id = cleanString(a.traceId, LIMITS.traceId);
    await db.insertInto('audit_log').values(row).execute();
  }

  /** Intents and one-shot events, each with its outcome resolved (pending / unknown computed here). */
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
        // A folded denial: how many refusals this row stands for, read from the counter at this moment.
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

  /** Folded denials also say how many refusals each entry point gave (`byWhere`). */
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
    /** Writes the intent row. Throws AuditUnavailableError if it cannot: the caller must then not act. */
    async begin(a: {
      actor: AuditActor;
      action: AuditAction;
      target: AuditTarget;
      details: AuditDetails;
      ctx: AuditRequestContext;
    }): Promise<AuditIntent> {
      if (!isAction(a.action)) throw new AuditUnavailableError(`Unknown audit action.`);
      const row = baseRow('intent', now(), a);
      row.instance_id = instance.id;
      try {
        await registerConsoleInstance(db, instance);
        await db.insertInto('audit_log').values(row).execute();
      } catch (e) {
        throw new AuditUnavailableError('The audit log could not be written.', { cause: e });
      }
      return intentHandle({
        id: row.id,
        action: a.action,
        actor: cleanActor(a.actor),
        target: cleanTarget(a.target),
      });
    },

    /** A one-shot entry (a denial, a failed sign-in, a sign-out). Throws AuditUnavailableError if not written. */
    async record(a: {
      actor: AuditActor;
      action: AuditAction;
      target: AuditTarget;
      details: AuditDetails;
      ctx: AuditRequestContext;
      outcome: 'succeeded' | 'failed' | 'denied';
      code?: string | null;
      traceId?: string | null;
    }): Promise<void> {
      if (!isAction(a.action) || !['succeeded', 'failed', 'denied'].includes(a.outcome)) {
        throw new AuditUnavailableError('Unknown audit action or outcome.');
      }
      try {
        await insertEvent(a);
      } catch (e) {
        throw new AuditUnavailableError('The audit log could not be written.', { cause: e });
      }
    },

    /**
     * A refused request (unauthenticated, forbidden, throttled). One source (address, plus the staff id when
     * known) refused the same way within one minute makes one audit row whose count is exact; a loop of anonymous
     * requests therefore adds a row a minute, not a row a request. Throws AuditUnavailableError if not written.
     */
    async denied(a: {
      actor: AuditActor;
      action: DenialAction;
      code: DenialCode;
      details: AuditDetails;
      ctx: AuditRequestContext;
    }): Promise<{ auditId: string; count: number }> {
      if (!(DENIAL_CODES[a.action] as readonly string[] | undefined)?.includes(a.code)) {
        throw new AuditUnavailableError('Unknown denial.');
      }
      const at = now();
      const row = baseRow('event', at, { ...a, target: {} });
      row.outcome = 'denied';
      row.code = a.code;
      try {
        return await foldDenial(db, row, {
          action: a.action,
          code: a.code,
          source: { ip: row.ip ?? 'unknown', staffId: row.actor_staff_id ?? '' },
          at,
          // Access denials break down by entry point; throttled sign-ins by the account that was tried.
          part: (a.action === 'auth.sign_in' ? row.actor_email : String(a.details.where ?? '')).slice(0, 200),
        });
      } catch (e) {
        throw new AuditUnavailableError('The audit log could not be written.', { cause: e });
      }
    },

    /**
     * Newest first, filtered. `total` counts the matches up to a bound past this page (so the count never reads the
     * whole log); `totalIsLowerBound` says there are more than that.
     */
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

    /**
     * One page of an export: entries with `seq` below `beforeSeq` (all when null), newest first by `seq`. Keyset
     * paging: each page is an index range scan from where the last one stopped, whatever the log's size, and rows
     * written meanwhile (with higher seq) can't shift or repeat a page.
     */
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

    /** Everything that touched a session, user or client (any of the ids given), newest first. */
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

    /** Intents without an outcome (pending or unknown), newest first: what reconciliation works through. */
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

    /**
     * Writes the outcome of an intent after the fact (reconciliation). With `reconciledBy`, the outcome row names
     * that staff member and an `audit.reconcile` entry is appended too. Throws AuditResolveError when the intent
     * does not exist or already has an outcome, AuditUnavailableError when the log cannot be written.
     */
    async resolve(
      intentId: string,
      outcome: 'succeeded' | 'failed' | 'unknown',
      extra: {
        code?: string | null;
        traceId?: string | null;
        details?: AuditDetails;
        reconciledBy?: AuditActor;
        ctx?: AuditRequestContext;
      } = {},
    ): Promise<void> {
      if (!['succeeded', 'failed', 'unknown'].includes(outcome))
        throw new AuditUnavailableError('Unknown outcome.');
      let intent: IntentSnapshot;
      try {
        const row = await db
          .selectFrom('audit_log')
          .select([
            'id',
            'action',
            'actor_staff_id',
            'actor_email',
            'actor_role',
            'session_id',
            'user_id',
            'client_id',
          ])
          .where('id', '=', intentId)
          .where('kind', '=', 'intent')
          .executeTakeFirst();
        if (!row) throw new AuditResolveError('not_found');
        intent = {
          id: row.id,
          action: row.action as AuditAction,
          actor: {
            staffId: row.actor_staff_id,
            email: row.actor_email,
            role: isRole(row.actor_role) ? row.actor_role : null,
          },
          target: { sessionId: row.session_id, userId: row.user_id, clientId: row.client_id },
        };
        if (await outcomeExists(intentId)) throw new AuditResolveError('already_resolved');
        await writeOutcome(intent, outcome, extra);
        if (extra.reconciledBy) {
          await insertEvent({
            actor: extra.reconciledBy,
            action: 'audit.reconcile',
            target: intent.target,
            details: {
              intentId,
              intentAction: intent.action,
              resolvedAs: outcome,
              ...(extra.details?.reason ? { reason: extra.details.reason } : {}),
            },
            ctx: extra.ctx ?? { ip: null, userAgent: null },
            outcome: 'succeeded',
          });
        }
      } catch (e) {
        if (e instanceof AuditResolveError) throw e;
        throw new AuditUnavailableError('The audit log could not be written.', { cause: e });
      }
    },
  };
}

export type AuditLog = ReturnType<typeof auditLog>;
