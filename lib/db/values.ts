import 'server-only';

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toDateOrNull(value: Date | string | null | undefined): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toDbTime(date: Date): string {
  return date.toISOString();
}

export function toCount(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
const CONTROL_CHARS_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

// PostgreSQL refuses NUL in text (a hostile user agent would break the audit); other control chars forge log lines.
export function cleanText(
  value: string | null | undefined,
  max: number,
  opts: { keepLineBreaks?: boolean } = {},
): string | null {
  if (value === null || value === undefined) return null;
  const cleaned = String(value).replace(
    opts.keepLineBreaks ? CONTROL_CHARS_KEEP_LINES : CONTROL_CHARS,
    opts.keepLineBreaks ? '' : ' ',
  );
  if (cleaned.length <= max) return cleaned;
  // Never leave half of a surrogate pair at the cut.
  const cut = cleaned.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
