import 'server-only';
import { neutralizeFormula } from '@/lib/csv';
import type { JobItemView, JobView } from '@/lib/jobs/types';

/** Every field quoted, and a value a spreadsheet would run as a formula (= + - @ tab CR) made text. */
function quoted(value: string | number | null): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : neutralizeFormula(value);
  return `"${text.replace(/"/g, '""')}"`;
}

const HEADER = [
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

export function jobItemsCsvHeader(): string {
  return `\uFEFF${HEADER.map(quoted).join(',')}\r\n`;
}

export function jobItemsCsvRecords(job: Pick<JobView, 'id' | 'reason'>, items: JobItemView[]): string {
  let out = '';
  for (const i of items) {
    out += `${[
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
      .join(',')}\r\n`;
  }
  return out;
}

export function jobItemsCsv(job: Pick<JobView, 'id' | 'reason'>, items: JobItemView[]): string {
  return jobItemsCsvHeader() + jobItemsCsvRecords(job, items);
}
