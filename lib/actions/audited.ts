import 'server-only';
import { ConsoleApiError } from '@/lib/clerk/errors';
import type { AuditAction, AuditDetails, AuditIntent, AuditTarget } from '@/lib/audit';
import type { ActionResult } from '@/lib/actions/action-state';

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
      if (e instanceof ConsoleApiError) {
        if (e.outcomeUnknown) await intent.unknown({ traceId: e.traceId });
        else await intent.failed(e.clerkCode ?? e.kind, { traceId: e.traceId });
      } else await intent.failed(opts?.errorCode ?? 'error');
      throw e;
    }
    const said = reported.details && Object.keys(reported.details).length ? reported.details : undefined;
    const extra = { traceId: reported.traceId ?? null, ...(said ? { details: said } : {}) };
    if (result.ok) await intent.succeeded(extra);
    else await intent.failed(reported.code ?? result.kind, extra);
    return result;
  };
}
