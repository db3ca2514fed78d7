import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db } from '@/lib/db';
import { auditReads, DEFAULT_GRACE_MS } from '@/lib/audit/reads';
import { PROCESS_INSTANCE, registerConsoleInstance, type ConsoleInstance } from '@/lib/audit/instances';
import type { AuditLogTable } from '@/lib/db/schema';
import { toDbTime } from '@/lib/db/values';
import { isRole } from '@/lib/vocabulary';
import { log } from '@/lib/log';
import { parseTicketRef, REASON_CODE_PATTERN } from '@/lib/vocabulary/reasons';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditIntent,
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
} from '@/lib/audit/sanitize';
import { DENIAL_CODES, foldDenial, type DenialAction, type DenialCode } from '@/lib/audit/denials';

export * from '@/lib/audit/types';
export { COUNT_BOUND, DEFAULT_GRACE_MS, EXPORT_PAGE } from '@/lib/audit/reads';
export { PROCESS_INSTANCE, registerConsoleInstance, type ConsoleInstance } from '@/lib/audit/instances';
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

export interface AuditLogOptions {
  now?: () => Date;
  graceMs?: number;
  instance?: ConsoleInstance;
}

type Row = Insertable<AuditLogTable>;

type AuditEntry = {
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  details: AuditDetails;
  ctx: AuditRequestContext;
};
type AuditEvent = AuditEntry & {
  outcome: 'succeeded' | 'failed' | 'denied';
  code?: string | null;
  traceId?: string | null;
};

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
    ...reasonColumns(a.details),
  };
}

// Copied out of `details` into indexed columns, so /audit and the export filter by them on both engines.
function reasonColumns(details: AuditDetails | undefined): {
  reason_code: string | null;
  ticket: string | null;
} {
  const code = details?.reasonCode;
  return {
    reason_code: typeof code === 'string' && REASON_CODE_PATTERN.test(code) ? code : null,
    ticket: parseTicketRef(details?.ticket),
  };
}

// Append-only: the database refuses UPDATE and DELETE. An intent is written BEFORE its upstream call; one with
// no outcome reads "pending" for a grace period, then "unknown" (or at once when its instance has restarted).
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

  /** The unique index decides races: the loser gets 'already_resolved'. */
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

  async function insertEvent(a: AuditEvent): Promise<void> {
    const row = baseRow('event', now(), a);
    row.outcome = a.outcome;
    row.code = cleanString(a.code, LIMITS.code);
    row.trace_id = cleanString(a.traceId, LIMITS.traceId);
    await db.insertInto('audit_log').values(row).execute();
  }

  return {
    ...auditReads(db, { now, graceMs, instance }),

    async begin(a: AuditEntry): Promise<AuditIntent> {
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

    async record(a: AuditEvent): Promise<void> {
      if (!isAction(a.action) || !['succeeded', 'failed', 'denied'].includes(a.outcome)) {
        throw new AuditUnavailableError('Unknown audit action or outcome.');
      }
      try {
        await insertEvent(a);
      } catch (e) {
        throw new AuditUnavailableError('The audit log could not be written.', { cause: e });
      }
    },

    // One row per source, refusal and minute with an exact count: an anonymous loop adds a row a minute, not a request.
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
          part: (a.action === 'auth.sign_in' ? row.actor_email : String(a.details.where ?? '')).slice(0, 200),
        });
      } catch (e) {
        throw new AuditUnavailableError('The audit log could not be written.', { cause: e });
      }
    },

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
