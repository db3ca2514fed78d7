/** Plain values for the browser; the entry type is a type import only (lib/audit is server-only). */
import type { AuditEntry } from '@/lib/audit';
import { CLIENT_ID, SESSION_ID, USER_ID } from '@/lib/vocabulary';
import { paths } from '@/lib/paths';
import { reasonLabel, ticketUrlFrom, type ReasonCode } from '@/lib/vocabulary/reasons';

export interface AuditDetailView {
  key: string;
  label: string;
  value: string;
}

export interface AuditEventView {
  id: string;
  at: number;
  resolvedAt: number | null;
  actorEmail: string;
  actorRole: string | null;
  action: string;
  target: { sessionId: string | null; userId: string | null; clientId: string | null };
  outcome: string;
  code: string | null;
  traceId: string | null;
  reason: string | null;
  reasonCode: string | null;
  reasonLabel: string | null;
  ticket: string | null;
  ticketUrl: string | null;
  details: AuditDetailView[];
  reconciledBy: string | null;
  times: number | null;
}

const LABELS: Record<string, string> = {
  template: 'Template',
  expiresInSeconds: 'Expires in (s)',
  expiresAt: 'Token expires',
  tokenJti: 'Token jti',
  tokenSha256: 'Token SHA-256',
  status: 'Status',
  count: 'Count',
  batchId: 'Batch',
  permission: 'Permission',
  where: 'Where',
  rows: 'Rows',
  provider: 'Provider',
  truncated: 'Truncated',
  filters: 'Filters',
  lastAt: 'Last refused',
  byWhere: 'Refusals by entry point',
  byAccount: 'Refusals by account tried',
  from: 'From',
  to: 'To',
};

const EPOCH_SECONDS = new Set(['expiresAt']);

function utcFromSeconds(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const d = new Date(value * 1000);
  return Number.isNaN(d.getTime()) ? null : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const MAX_VALUE = 200;
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** The store never keeps a token, but details are free-form: mask anything JWT-shaped as well. */
export function maskTokens(value: string): string {
  return value.replace(JWT_SHAPE, '[token redacted]');
}

function detailText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? '';
    } catch {
      return null;
    }
  }
  text = maskTokens(text);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

function toMs(d: Date | string | number | null | undefined): number | null {
  if (d === null || d === undefined) return null;
  const ms = d instanceof Date ? d.getTime() : new Date(d).getTime();
  return Number.isFinite(ms) ? ms : null;
}

type JobReasons = { reasonCode: string | null; ticket: string | null };

export interface ReasonContext {
  reasonCodes?: readonly ReasonCode[];
  ticketUrlTemplate?: string | null;
}

// The ticket link is built where the template is (the server): the browser gets a finished, encoded URL.
export function reasonView(
  details: { reasonCode?: unknown; ticket?: unknown; [k: string]: unknown } | JobReasons | undefined,
  o: ReasonContext = {},
) {
  const code = typeof details?.reasonCode === 'string' ? details.reasonCode : null;
  const ticket = typeof details?.ticket === 'string' ? details.ticket : null;
  return {
    reasonCode: code,
    reasonLabel: code ? (reasonLabel(o.reasonCodes ?? [], code) ?? code) : null,
    ticket,
    ticketUrl: ticketUrlFrom(o.ticketUrlTemplate ?? null, ticket),
  };
}

export function toAuditEventView(entry: AuditEntry, o: ReasonContext = {}): AuditEventView {
  const details: AuditDetailView[] = [];
  let reason: string | null = null;
  const count = entry.details?.count;
  const times =
    entry.outcome === 'denied' && typeof count === 'number' && Number.isInteger(count) && count > 0
      ? count
      : null;
  for (const [key, raw] of Object.entries(entry.details ?? {})) {
    if (key === 'count' && times !== null) continue;
    if (key === 'reasonCode' || key === 'ticket') continue;
    if (key === 'reason') {
      reason = typeof raw === 'string' && raw ? maskTokens(raw) : null;
      continue;
    }
    const value = (EPOCH_SECONDS.has(key) ? utcFromSeconds(raw) : null) ?? detailText(raw);
    if (value === null) continue;
    details.push({ key, label: LABELS[key] ?? key, value });
  }
  return {
    id: String(entry.id),
    at: toMs(entry.at) ?? 0,
    resolvedAt: toMs(entry.resolvedAt),
    actorEmail: entry.actor?.email ?? 'unknown',
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    target: {
      sessionId: entry.target?.sessionId ?? null,
      userId: entry.target?.userId ?? null,
      clientId: entry.target?.clientId ?? null,
    },
    outcome: entry.outcome,
    code: entry.code ?? null,
    traceId: entry.traceId ?? null,
    reason,
    ...reasonView(entry.details, o),
    details,
    reconciledBy: entry.reconciledBy?.email ?? null,
    times,
  };
}

export function targetHref(target: AuditEventView['target']): string | null {
  if (target.sessionId && SESSION_ID.test(target.sessionId)) return paths.session(target.sessionId);
  if (target.userId && USER_ID.test(target.userId)) return paths.userSessions(target.userId);
  if (target.clientId && CLIENT_ID.test(target.clientId)) return paths.clientSessions(target.clientId);
  return null;
}

export const OUTCOME_EXPLANATIONS: Record<string, string> = {
  pending: 'The action is in progress (started less than a few minutes ago).',
  succeeded: 'The action completed.',
  failed: 'The action was refused or failed; nothing was changed.',
  denied: 'The staff member’s role did not allow this.',
  unknown: 'The console stopped before the outcome was known; reconcile by checking the session.',
};
