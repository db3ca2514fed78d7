// Pure vocabulary (no server code): the audit UI's filters use the same lists.
import type { Role } from '@/lib/vocabulary';

export const AUDIT_ACTIONS = [
  'session.revoke',
  'token.create',
  'auth.sign_in',
  'auth.sign_out',
  'auth.step_up',
  'staff.manage',
  'audit.export',
  'access.denied',
  'audit.reconcile',
  'job.start',
  'job.pause',
  'job.resume',
  'job.cancel',
  'job.end',
  'risk.review',
  'audit.stream_rewind',
  'notify.email',
  'account.unban',
  'account.unlock',
  'account.unset_compromised',
  'account.sign_out_all',
  'account.password_compromised',
  'account.lock',
  'account.ban',
  'account.revoke_api_keys',
  'account.revoke_trusted_devices',
  'account.reset_mfa',
  'api_key.revoke',
  'trusted_device.revoke',
  'approval.request',
  'approval.approve',
  'approval.decline',
  'approval.cancel',
  'approval.expire',
  'job.break_glass',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['pending', 'succeeded', 'failed', 'denied', 'unknown'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditActor {
  staffId: string | null;
  email: string;
  role: Role | null;
}

export interface AuditRequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditTarget {
  sessionId?: string | null;
  userId?: string | null;
  clientId?: string | null;
}

export interface AuditDetails {
  reason?: string | null;
  template?: string | null;
  expiresInSeconds?: number | null;
  tokenJti?: string | null;
  tokenSha256?: string | null;
  count?: number | null;
  [k: string]: unknown;
}

export interface AuditOutcomeExtra {
  traceId?: string | null;
  details?: AuditDetails;
}

export interface AuditIntent {
  id: string;
  succeeded(extra?: AuditOutcomeExtra): Promise<void>;
  failed(code: string, extra?: AuditOutcomeExtra): Promise<void>;
  /** The upstream call may or may not have happened (timeout, connection lost after sending). */
  unknown(extra?: AuditOutcomeExtra & { code?: string | null }): Promise<void>;
}

export interface AuditEntry {
  id: string;
  at: Date;
  resolvedAt: Date | null;
  actor: AuditActor;
  action: AuditAction;
  target: Required<AuditTarget>;
  details: AuditDetails;
  ctx: AuditRequestContext;
  outcome: AuditOutcome;
  code: string | null;
  traceId: string | null;
  reconciledBy: AuditActor | null;
}

export interface AuditListFilter {
  actor?: string;
  reasonCode?: string;
  ticket?: string;
  action?: AuditAction;
  target?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}
