import 'server-only';
import { randomUUID } from 'node:crypto';
import { ConsoleApiError, listRecentlyActiveUsers, listSessions, type SessionDto } from '@/lib/clerk';
import { runInLane } from '@/lib/clerk/lane';
import { expressionBuilder } from 'kysely';
import type { Database, Db } from '@/lib/db';
import { heldBy, RELEASED, releaseLease, takeLease, type LeaseTarget } from '@/lib/db/lease';
import { toDate, toDbTime } from '@/lib/db/values';
import { getGeoIndex } from './geo-data';
import { riskReviews } from './reviews';
import { RISK_HISTORY_LIMIT } from './server';
import { computeSignals } from './signals';
import {
  EMPTY_WATCHLIST,
  parseWatchlistState,
  refreshWatchlist,
  type ScanDeps,
  type WatchlistState,
} from './watchlist';

const ROW = 'current';
const LEASE: LeaseTarget = { table: 'risk_watchlist', id: ROW };
export const WATCHLIST_OWNER = `watchlist-${randomUUID()}`;

export interface StoredWatchlist {
  state: WatchlistState;
  refreshedAt: Date | null;
}

export async function readWatchlist(db: Db): Promise<StoredWatchlist> {
  const row = await db.selectFrom('risk_watchlist').selectAll().where('id', '=', ROW).executeTakeFirst();
  return {
    state: parseWatchlistState(row?.state),
    refreshedAt: row?.refreshed_at ? toDate(row.refreshed_at) : null,
  };
}

export function clerkScanDeps(
  db: Db,
  cfg: { maxRequests: number; windowMs: number },
  now = Date.now(),
): ScanDeps {
  return {
    now,
    windowMs: cfg.windowMs,
    maxRequests: cfg.maxRequests,
    listUsers: (q) => listRecentlyActiveUsers(q),
    listSessions: async (userId) =>
      (await listSessions({ userId, status: 'all', limit: RISK_HISTORY_LIMIT, offset: 0 })).data,
    async signalsFor(userId: string, sessions: SessionDto[]) {
      const signals = computeSignals(sessions, { now, geo: await getGeoIndex() });
      return riskReviews(db).attach(userId, signals);
    },
    describe: (e) => (e instanceof ConsoleApiError ? e.userMessage : 'The scan failed; see the server log.'),
  };
}

// The lease outlives a crashed scanner by `leaseMs` at most.
export async function refreshStoredWatchlist(
  db: Db,
  deps: ScanDeps,
  opts: { minGapMs: number; leaseMs: number; owner?: string },
): Promise<WatchlistState | null> {
  const owner = opts.owner ?? WATCHLIST_OWNER;
  const now = new Date(deps.now);
  await db
    .insertInto('risk_watchlist')
    .values({ id: ROW, state: JSON.stringify(EMPTY_WATCHLIST), refreshed_at: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const eb = expressionBuilder<Database, 'risk_watchlist'>();
  const due = eb.or([
    eb('refreshed_at', 'is', null),
    eb('refreshed_at', '<=', toDbTime(new Date(deps.now - opts.minGapMs))),
  ]);
  if (!(await takeLease(db, LEASE, owner, now, opts.leaseMs, due))) return null;
  try {
    const { state } = await readWatchlist(db);
    const next = await runInLane({ lane: 'background' }, () => refreshWatchlist(state, deps));
    await db
      .updateTable('risk_watchlist')
      .set({ state: JSON.stringify(next), refreshed_at: toDbTime(now), ...RELEASED })
      .where('id', '=', ROW)
      .where(heldBy(owner))
      .execute();
    return next;
  } catch (e) {
    await releaseLease(db, LEASE, owner);
    throw e;
  }
}
