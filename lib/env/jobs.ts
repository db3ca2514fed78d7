import 'server-only';
import { ConfigError, flag, int, type EnvSource } from './parse';

export interface JobsConfig {
  runner: boolean;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
}

export interface WatchlistConfig {
  intervalSeconds: number;
  maxRequests: number;
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
  // A lease shorter than one Clerk call lets another instance take over an in-flight revoke and do the work twice.
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
