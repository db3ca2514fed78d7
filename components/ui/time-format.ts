/** UTC, so the server render and hydration agree. */
export function formatExact(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatRelative(ms: number, now: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(now - ms) < 10_000) return 'just now';
  const minutes = (ms - now) / 60_000;
  const [value, unit] = unitFor(minutes);
  return relative.format(value, unit);
}

// date-fns' formatDistanceStrict units and rounding, without shipping date-fns to the browser.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const MINUTES_IN_DAY = 1440;
const MINUTES_IN_MONTH = 43_200;
const MINUTES_IN_YEAR = 525_600;

function unitFor(minutes: number): [number, Intl.RelativeTimeFormatUnit] {
  const abs = Math.abs(minutes);
  const sign = minutes < 0 ? -1 : 1;
  const round = (n: number) => sign * Math.round(Math.abs(n));
  if (abs < 1) return [round(minutes * 60), 'second'];
  if (abs < 60) return [round(minutes), 'minute'];
  if (abs < MINUTES_IN_DAY) return [round(minutes / 60), 'hour'];
  if (abs < MINUTES_IN_MONTH) return [round(minutes / MINUTES_IN_DAY), 'day'];
  if (abs < MINUTES_IN_YEAR) {
    const months = round(minutes / MINUTES_IN_MONTH);
    return Math.abs(months) === 12 ? [sign, 'year'] : [months, 'month'];
  }
  return [round(minutes / MINUTES_IN_YEAR), 'year'];
}

export function tickIntervalFor(ms: number, now: number): number {
  const age = Math.abs(now - ms);
  if (age < 60_000) return 5_000;
  if (age < 3_600_000) return 30_000;
  return 300_000;
}
