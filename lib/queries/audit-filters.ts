/** Untrusted search params to typed filters and back, for the page, its paging and the CSV export. */
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome } from '@/lib/audit/types';
import { CLIENT_ID, SESSION_ID, USER_ID } from '@/lib/vocabulary';
import { parseTicketRef, REASON_CODE_PATTERN } from '@/lib/vocabulary/reasons';
import { paths } from '@/lib/paths';

export { AUDIT_ACTIONS, AUDIT_OUTCOMES };
export type AuditActionFilter = AuditAction;
export type AuditOutcomeFilter = AuditOutcome;

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_AUDIT_PAGE_SIZE = 50;
const MAX_OFFSET = 1_000_000;
const MAX_ACTOR_LENGTH = 320;

export interface AuditFilters {
  actor: string | null;
  action: AuditActionFilter | null;
  target: string | null;
  outcome: AuditOutcomeFilter | null;
  reasonCode: string | null;
  ticket: string | null;
  from: string | null;
  to: string | null;
  limit: number;
  offset: number;
}

export interface ParsedAuditFilters {
  filters: AuditFilters;
  problems: string[];
}

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

function first(params: RawParams, key: string): string | null {
  if (params instanceof URLSearchParams) return params.get(key);
  const v = params[key];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Rejects 2026-02-30, which Date would roll over. */
export function isCalendarDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isTargetId(value: string): boolean {
  return SESSION_ID.test(value) || USER_ID.test(value) || CLIENT_ID.test(value);
}

function quoted(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `“${short}”`;
}

export function parseAuditFilters(params: RawParams): ParsedAuditFilters {
  const problems: string[] = [];
  const text = (key: string) => {
    const v = first(params, key)?.trim();
    return v ? v : null;
  };

  let actor = text('actor');
  if (actor && actor.length > MAX_ACTOR_LENGTH) {
    problems.push('The actor filter is too long and was ignored.');
    actor = null;
  }

  const rawAction = text('action');
  const action =
    rawAction && (AUDIT_ACTIONS as readonly string[]).includes(rawAction)
      ? (rawAction as AuditActionFilter)
      : null;
  if (rawAction && !action) problems.push(`Unknown action ${quoted(rawAction)} was ignored.`);

  const rawOutcome = text('outcome');
  const outcome =
    rawOutcome && (AUDIT_OUTCOMES as readonly string[]).includes(rawOutcome)
      ? (rawOutcome as AuditOutcomeFilter)
      : null;
  if (rawOutcome && !outcome) problems.push(`Unknown outcome ${quoted(rawOutcome)} was ignored.`);

  const rawTarget = text('target');
  const target = rawTarget && isTargetId(rawTarget) ? rawTarget : null;
  if (rawTarget && !target)
    problems.push(
      `${quoted(rawTarget)} is not a session, user or client id (sess_…, user_…, client_…); the target filter was ignored.`,
    );

  const rawCode = text('reason_code');
  const reasonCode = rawCode && REASON_CODE_PATTERN.test(rawCode) ? rawCode : null;
  if (rawCode && !reasonCode) problems.push(`Unknown reason code ${quoted(rawCode)} was ignored.`);

  const rawTicket = text('ticket');
  const ticket = rawTicket ? parseTicketRef(rawTicket) : null;
  if (rawTicket && !ticket) problems.push(`${quoted(rawTicket)} is not a ticket reference and was ignored.`);

  const day = (key: 'from' | 'to') => {
    const raw = text(key);
    if (!raw) return null;
    if (isCalendarDay(raw)) return raw;
    problems.push(`The “${key}” date ${quoted(raw)} is not a date (YYYY-MM-DD) and was ignored.`);
    return null;
  };
  let from = day('from');
  let to = day('to');
  if (from && to && from > to) {
    problems.push('The “from” date is after the “to” date; both were ignored.');
    from = null;
    to = null;
  }

  const rawLimit = text('limit');
  const limitNum = rawLimit === null ? DEFAULT_AUDIT_PAGE_SIZE : Number(rawLimit);
  const limit = (AUDIT_PAGE_SIZES as readonly number[]).includes(limitNum)
    ? limitNum
    : DEFAULT_AUDIT_PAGE_SIZE;
  if (rawLimit !== null && limit !== limitNum)
    problems.push(
      `Page size ${quoted(rawLimit)} is not one of ${AUDIT_PAGE_SIZES.join(', ')}; showing ${limit}.`,
    );

  const rawOffset = text('offset');
  const offsetNum = rawOffset === null ? 0 : Number(rawOffset);
  const offset = Number.isInteger(offsetNum) && offsetNum >= 0 && offsetNum <= MAX_OFFSET ? offsetNum : 0;
  if (rawOffset !== null && offset !== offsetNum)
    problems.push(`Offset ${quoted(rawOffset)} is not valid; showing the first page.`);

  return {
    filters: { actor, action, target, outcome, reasonCode, ticket, from, to, limit, offset },
    problems,
  };
}

export function toAuditListQuery(f: AuditFilters) {
  return {
    ...(f.actor ? { actor: f.actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.target ? { target: f.target } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.reasonCode ? { reasonCode: f.reasonCode } : {}),
    ...(f.ticket ? { ticket: f.ticket } : {}),
    ...(f.from ? { from: new Date(`${f.from}T00:00:00.000Z`) } : {}),
    ...(f.to ? { to: new Date(`${f.to}T23:59:59.999Z`) } : {}),
    limit: f.limit,
    offset: f.offset,
  };
}

export function auditSearchParams(f: AuditFilters, opts: { paging?: boolean } = {}): URLSearchParams {
  const sp = new URLSearchParams();
  if (f.actor) sp.set('actor', f.actor);
  if (f.action) sp.set('action', f.action);
  if (f.target) sp.set('target', f.target);
  if (f.outcome) sp.set('outcome', f.outcome);
  if (f.reasonCode) sp.set('reason_code', f.reasonCode);
  if (f.ticket) sp.set('ticket', f.ticket);
  if (f.from) sp.set('from', f.from);
  if (f.to) sp.set('to', f.to);
  if (opts.paging !== false) {
    if (f.limit !== DEFAULT_AUDIT_PAGE_SIZE) sp.set('limit', String(f.limit));
    if (f.offset) sp.set('offset', String(f.offset));
  }
  return sp;
}

export function auditPageHref(f: AuditFilters, patch: Partial<AuditFilters> = {}): string {
  return paths.audit(Object.fromEntries(auditSearchParams({ ...f, ...patch })));
}

export function auditExportHref(f: AuditFilters): string {
  return paths.api.auditExport(Object.fromEntries(auditSearchParams(f, { paging: false })));
}

export function hasAuditFilters(f: AuditFilters): boolean {
  return Boolean(f.actor || f.action || f.target || f.outcome || f.reasonCode || f.ticket || f.from || f.to);
}
