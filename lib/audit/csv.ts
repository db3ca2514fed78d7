import 'server-only';
import { csvRecord, rowsToCsv, type CsvColumn } from '@/lib/csv';
import type { AuditEntry } from '@/lib/audit/types';

const SHOWN_DETAILS = new Set([
  'reason',
  'reasonCode',
  'ticket',
  'template',
  'expiresInSeconds',
  'tokenJti',
  'tokenSha256',
  'count',
]);

const COLUMNS: readonly CsvColumn<AuditEntry>[] = [
  { header: 'at', value: (e) => e.at },
  { header: 'action', value: (e) => e.action },
  { header: 'outcome', value: (e) => e.outcome },
  { header: 'code', value: (e) => e.code },
  { header: 'actor_email', value: (e) => e.actor.email },
  { header: 'actor_role', value: (e) => e.actor.role },
  { header: 'actor_staff_id', value: (e) => e.actor.staffId },
  { header: 'session_id', value: (e) => e.target.sessionId },
  { header: 'user_id', value: (e) => e.target.userId },
  { header: 'client_id', value: (e) => e.target.clientId },
  { header: 'reason', value: (e) => text(e.details.reason) },
  { header: 'reason_code', value: (e) => text(e.details.reasonCode) },
  { header: 'ticket', value: (e) => text(e.details.ticket) },
  { header: 'template', value: (e) => text(e.details.template) },
  { header: 'expires_in_seconds', value: (e) => num(e.details.expiresInSeconds) },
  { header: 'token_jti', value: (e) => text(e.details.tokenJti) },
  { header: 'token_sha256', value: (e) => text(e.details.tokenSha256) },
  { header: 'count', value: (e) => num(e.details.count) },
  { header: 'other_details', value: (e) => otherDetails(e) },
  { header: 'ip', value: (e) => e.ctx.ip },
  { header: 'user_agent', value: (e) => e.ctx.userAgent },
  { header: 'trace_id', value: (e) => e.traceId },
  { header: 'resolved_at', value: (e) => e.resolvedAt },
  { header: 'reconciled_by', value: (e) => e.reconciledBy?.email ?? null },
  { header: 'id', value: (e) => e.id },
];

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function otherDetails(e: AuditEntry): string | null {
  const rest = Object.fromEntries(Object.entries(e.details).filter(([k]) => !SHOWN_DETAILS.has(k)));
  return Object.keys(rest).length ? JSON.stringify(rest) : null;
}

// Every text cell goes through the formula guard: reasons, user agents and emails are attacker-influenced.
export function auditToCsv(rows: readonly AuditEntry[], opts: { bom?: boolean } = {}): string {
  return rowsToCsv(COLUMNS, rows, opts);
}

export function auditCsvHeader(): string {
  return csvRecord(COLUMNS.map((c) => c.header));
}

export function auditCsvRecords(rows: readonly AuditEntry[]): string {
  return rows.map((e) => csvRecord(COLUMNS.map((c) => c.value(e)))).join('');
}
