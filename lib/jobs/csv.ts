import 'server-only';
import { neutralizeFormula } from '@/lib/csv';
import type { JobItemView, JobView } from '@/lib/jobs/types';

/** Every field quoted, and a value a spreadsheet would run as a formula (= + - @ tab CR) made text. */
function quoted(value: string | number | null): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : neutralizeFormula(value);
  return `"${text.replace(/"/g, '""')}"`;
}

export function jobItemsCsv(job: JobView, items: JobItemView[]): string {
  const header = [
    'job_id',
    'session_id',
    'user_id',
    'outcome',
    'attempts',
    'trace_id',
    'code',
    'finished_at',
    'reason',
  ];
  const lines = [header.map(quoted).join(',')];
  for (const i of items) {
    lines.push(
      [
        job.id,
        i.sessionId,
        i.userId,
        i.outcome,
        i.attempts,
        i.traceId,
        i.code,
        i.finishedAt ? new Date(i.finishedAt).toISOString() : null,
        job.reason,
      ]
        .map(quoted)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
