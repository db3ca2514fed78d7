import { formatDistanceStrict } from 'date-fns';

/**
 * Exact time in UTC, the same on server and browser (no locale or timezone drift between the server render
 * and hydration): "2026-05-12 10:04:05 UTC".
 */
export function formatExact(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * "3 minutes ago" / "in 6 days"; "just now" within 10 s either way, which also absorbs a clock that last
 * ticked up to 5 s ago (RelativeTime's fastest tick) when a fresher timestamp arrives.
 */
export function formatRelative(ms: number, now: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(now - ms) < 10_000) return 'just now';
  return formatDistanceStrict(ms, now, { addSuffix: true });
}

/** How often a relative label needs re-rendering: every few seconds while recent, rarely once it is days old. */
export function tickIntervalFor(ms: number, now: number): number {
  const age = Math.abs(now - ms);
  if (age < 60_000) return 5_000;
  if (age < 3_600_000) return 30_000;
  return 300_000;
}
