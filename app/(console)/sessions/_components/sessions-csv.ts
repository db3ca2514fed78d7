import type { SessionDto } from '@/lib/clerk/dto';
import { rowsToCsv, type CsvColumn } from '@/lib/csv';

const iso = (ms: number | null | undefined) =>
  ms == null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();

export const SESSION_CSV_COLUMNS: CsvColumn<SessionDto>[] = [
  { header: 'session_id', value: (s) => s.id },
  { header: 'status', value: (s) => s.status },
  { header: 'user_id', value: (s) => s.userId },
  { header: 'client_id', value: (s) => s.clientId },
  { header: 'device_type', value: (s) => s.latestActivity?.deviceType ?? null },
  { header: 'browser', value: (s) => s.latestActivity?.browserName ?? null },
  { header: 'browser_version', value: (s) => s.latestActivity?.browserVersion ?? null },
  { header: 'mobile', value: (s) => (s.latestActivity ? s.latestActivity.isMobile : null) },
  { header: 'ip_address', value: (s) => s.latestActivity?.ipAddress ?? null },
  { header: 'city', value: (s) => s.latestActivity?.city ?? null },
  { header: 'country', value: (s) => s.latestActivity?.country ?? null },
  { header: 'last_active_at', value: (s) => iso(s.lastActiveAt) },
  { header: 'created_at', value: (s) => iso(s.createdAt) },
  { header: 'expire_at', value: (s) => iso(s.expireAt) },
  { header: 'actor_sub', value: (s) => s.actor?.sub ?? null },
];

/** Formula-guarded against CSV injection, with a BOM so spreadsheets read UTF-8 names. */
export function sessionsToCsv(rows: readonly SessionDto[]): string {
  return rowsToCsv(SESSION_CSV_COLUMNS, rows, { bom: true });
}

/** Only id characters, so nothing upstream shapes a path. */
export function sessionsCsvFilename(
  subjectId: string,
  status: string,
  page: number,
  now = Date.now(),
): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 80) || 'x';
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `sessions-${safe(subjectId)}-${safe(status)}-p${page}-${stamp}Z.csv`;
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
