import 'server-only';
import { ConfigError, flag, int, type EnvSource } from './parse';

export interface JobsConfig {
  /** Whether this process runs revocation jobs (JOBS_RUNNER=0 turns a web-only instance's runner off). */
  runner: boolean;
  /** Revokes this process has in flight at once. */
  concurrency: number;
  /** How long a claimed item is this process's before another may take it over. */
  leaseMs: number;
  /** How often an idle runner looks for work. */
  pollMs: number;
}

export interface WatchlistConfig {
  /** 0 turns the scan off. */
  intervalSeconds: number;
  /** Clerk requests one refresh may spend (one users page, then one sessions page per user). */
  maxRequests: number;
  /** Users active within this many hours are watched. */
  windowHours: number;
}

export function parseJobs(source: EnvSource, clerkTimeoutMs: number): JobsConfig {
  const runner = flag(source, 'JOBS_RUNNER') ?? true;
  const concurrency = int(
    source,
    'JOBS_CONCURRENCY',
    { min: 1, max: 32, fallback: 8 },
    'JOBS_CONCURRENCY must be a whole number from 1 to 32.',
  );
  const leaseSeconds = int(
    source,
    'JOBS_LEASE_SECONDS',
    { min: 5, max: 3600, fallback: 30 },
    'JOBS_LEASE_SECONDS must be a whole number of seconds from 5 to 3600.',
  );
  // A lease shorter than one Clerk call would let a second instance take over an item whose revoke is still
  // in flight; it would then read the session back (no double revoke) but the work would be done twice.
  if (leaseSeconds * 1000 < 2 * clerkTimeoutMs)
    throw new ConfigError('JOBS_LEASE_SECONDS must be at least twice CLERK_TIMEOUT_MS.');
  const pollMs = int(
    source,
    'JOBS_POLL_MS',
    { min: 20, max: 60_000, fallback: 1000 },
    'JOBS_POLL_MS must be a whole number of milliseconds from 20 to 60000.',
  );
  return { runner, concurrency, leaseMs: leaseSeconds * 1000, pollMs };
}

/** The home page's background scan for risky users (lib/risk/watchlist.ts). */
export function parseWatchlist(source: EnvSource): WatchlistConfig {
  return {
    intervalSeconds: int(
      source,
      'WATCHLIST_INTERVAL_SECONDS',
      { min: 0, max: 86_400, fallback: 120 },
      'WATCHLIST_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 86400.',
    ),
    maxRequests: int(
      source,
      'WATCHLIST_MAX_REQUESTS',
      { min: 2, max: 1_000, fallback: 60 },
      'WATCHLIST_MAX_REQUESTS must be a whole number from 2 to 1000.',
    ),
    windowHours: int(
      source,
      'WATCHLIST_WINDOW_HOURS',
      { min: 1, max: 168, fallback: 24 },
      'WATCHLIST_WINDOW_HOURS must be a whole number of hours from 1 to 168.',
    ),
  };
}
