import type { StaffContext } from '@/lib/auth/require-staff';
import type { RequestContext } from '@/lib/request-context';
import type { Audited, BeginAudit } from '@/lib/actions/audited';

export interface ActionContext {
  staff: StaffContext;
  request: RequestContext;
  /** Throws AuditUnavailableError if it cannot write: the action is then refused. */
  beginAudit: BeginAudit;
  audited: Audited;
  /** Set on an `idempotent` action: the request key the key store claimed for this request. */
  requestKey?: string;
}

export interface PublicActionContext {
  staff: null;
  request: RequestContext;
}
