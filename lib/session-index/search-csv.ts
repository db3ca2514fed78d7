import { csvRecord } from '@/lib/csv';
import type { SearchRowDto } from './search-link';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms));

const HEADER = [
  'session_id',
  'user_id',
  'user_name',
  'user_email',
  'status',
  'created_at',
  'last_active_at',
  'ended_at',
  'ip',
  'city',
  'country',
  'device',
  'browser',
  'browser_version',
  'impersonated',
  'open_signals',
];

export const searchCsvHeader = () => `\uFEFF${csvRecord(HEADER)}`;

export function searchCsvRecords(rows: readonly SearchRowDto[]): string {
  return rows
    .map((r) =>
      csvRecord([
        r.sessionId,
        r.userId,
        r.userName,
        r.userEmail,
        r.status,
        iso(r.createdAt),
        iso(r.lastActiveAt),
        iso(r.endedAt),
        r.ip,
        r.city,
        r.country,
        r.deviceType,
        r.browserName,
        r.browserVersion,
        r.impersonated,
        r.signals.map((s) => s.kind).join(' '),
      ]),
    )
    .join('');
}
