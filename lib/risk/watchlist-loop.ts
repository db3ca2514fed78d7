import 'server-only';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { clerkScanDeps, refreshStoredWatchlist } from './watchlist-store';

const FIRST_REFRESH_DELAY_MS = 2_000;
const KEY = Symbol.for('session-console.watchlist-loop');

// The database lease makes instances take turns, so scan cost does not grow with their number.
export function startWatchlistLoop(): void {
  const { intervalSeconds, maxRequests, windowHours } = getEnv().watchlist;
  // Webhooks feed the watchlist as sessions arrive: the scan is the fallback for a console without them.
  if (intervalSeconds === 0 || getEnv().webhooks.signingSecret) return;
  const g = globalThis as { [KEY]?: true };
  if (g[KEY]) return;
  g[KEY] = true;
  const intervalMs = intervalSeconds * 1000;
  const tick = async () => {
    try {
      const db = await getDb();
      const next = await refreshStoredWatchlist(
        db,
        clerkScanDeps(db, { maxRequests, windowMs: windowHours * 3_600_000 }),
        { minGapMs: intervalMs * 0.9, leaseMs: Math.max(intervalMs, 60_000) },
      );
      if (next?.lastRefresh?.error)
        log.warn({ where: 'watchlist', error: next.lastRefresh.error }, 'watchlist refresh stopped early');
    } catch (e) {
      log.warn(
        { where: 'watchlist', err: e instanceof Error ? e.name : 'unknown' },
        'watchlist refresh failed',
      );
    } finally {
      setTimeout(() => void tick(), intervalMs).unref();
    }
  };
  setTimeout(() => void tick(), FIRST_REFRESH_DELAY_MS).unref();
}
