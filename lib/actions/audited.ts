import 'server-only';
import { ConsoleApiError } from '@/lib/clerk/errors';
import {
  AuditResolveError,
  type AuditAction,
  type AuditDetails,
  type AuditIntent,
  type AuditLog,
  type AuditTarget,
} from '@/lib/audit';
import type { ActionResult } from '@/lib/vocabulary';

export interface AuditReport {
  traceId?: string | null;
  details?: AuditDetails;
  code?: string;
}

export type BeginAudit = (
  action: AuditAction,
  target: AuditTarget,
  details: AuditDetails,
) => Promise<AuditIntent>;

export type Audited = <R>(
  action: AuditAction,
  target: AuditTarget,
  details: AuditDetails,
  fn: (report: (r: AuditReport) => void) => Promise<ActionResult<R>>,
  opts?: { errorCode?: string },
) => Promise<ActionResult<R>>;

export type Settlement =
  | { outcome: 'succeeded'; code?: string | null; traceId?: string | null; details?: AuditDetails }
  | { outcome: 'failed'; code: string; traceId?: string | null; details?: AuditDetails }
  | { outcome: 'unknown'; traceId?: string | null; details?: AuditDetails };

type IntentSink = Pick<AuditIntent, 'succeeded' | 'failed' | 'unknown'>;

// The one rule for every intent (actions, jobs, exports): a throw is `failed` with Clerk's code, or `unknown`
// when the request may have reached Clerk; an answer is `succeeded` unless it says otherwise.
export function settlementOf(e: unknown, fallbackCode = 'error'): Settlement {
  if (e instanceof ConsoleApiError) {
    if (e.outcomeUnknown) return { outcome: 'unknown', traceId: e.traceId };
    return { outcome: 'failed', code: e.clerkCode ?? e.kind, traceId: e.traceId };
  }
  return { outcome: 'failed', code: fallbackCode };
}

export function settlementOfResult(result: ActionResult<unknown>, reported: AuditReport): Settlement {
  const said = reported.details && Object.keys(reported.details).length ? reported.details : undefined;
  const extra = { traceId: reported.traceId ?? null, ...(said ? { details: said } : {}) };
  return result.ok
    ? { outcome: 'succeeded', ...extra }
    : { outcome: 'failed', code: reported.code ?? result.kind, ...extra };
}

export function settleIntent(intent: IntentSink, s: Settlement): Promise<void> {
  if (s.outcome === 'failed') {
    const { outcome: _, code, ...extra } = s;
    return intent.failed(code, extra);
  }
  const { outcome, ...extra } = s;
  return outcome === 'succeeded' ? intent.succeeded(extra) : intent.unknown(extra);
}

// A job resolves intents by id (its item outlives the process); one already settled elsewhere is left as it is.
export function intentById(audit: Pick<AuditLog, 'resolve'>, intentId: string): IntentSink {
  type Extra = { code?: string | null; traceId?: string | null; details?: AuditDetails };
  const resolve = async (outcome: Settlement['outcome'], extra: Extra) => {
    try {
      await audit.resolve(intentId, outcome, extra);
    } catch (e) {
      if (!(e instanceof AuditResolveError)) throw e;
    }
  };
  return {
    succeeded: (extra = {}) => resolve('succeeded', extra),
    failed: (code, extra = {}) => resolve('failed', { ...extra, code }),
    unknown: (extra = {}) => resolve('unknown', extra),
  };
}

// audited must use the beginAudit it is given: the idempotency layer wraps it.
export function auditedWith(beginAudit: BeginAudit): Audited {
  return async (action, target, details, fn, opts) => {
    const intent = await beginAudit(action, target, details);
    let reported: AuditReport = {};
    const report = (r: AuditReport) => {
      reported = { ...reported, ...r, details: { ...reported.details, ...r.details } };
    };
    let result;
    try {
      result = await fn(report);
    } catch (e) {
      await settleIntent(intent, settlementOf(e, opts?.errorCode));
      throw e;
    }
    await settleIntent(intent, settlementOfResult(result, reported));
    return result;
  };
}
