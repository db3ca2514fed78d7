import 'server-only';
import type { SessionDto, UserDto } from '@/lib/clerk/dto';
import type { ReviewedSignal, SignalKind } from './types';

// The home page's watchlist: users active recently whose sessions show a high-severity signal nobody has
// reviewed. Found by a background scan of Clerk's users, most recently active first, a bounded number of Clerk
// requests per refresh; a pass through every recently active user takes as many refreshes as it needs, and the
// cursor carries over between refreshes (in the console's database, so every instance shares it). The cursor is a
// keyset (`last_active_at_before`), not an offset: a user who becomes active mid-pass moves to the front without
// shifting anyone else past the cursor, and no page lies deeper than Clerk's offset limit.

/** What one users page costs: the SDK sends the list and /users/count together. */
export const USERS_PAGE_COST = 2;
/** What one user's sessions cost (one page of their newest sessions). */
export const SESSIONS_COST = 1;
/** Users asked for per page (Clerk allows 500; a small page wastes less when the budget runs out mid-page). */
export const USERS_PAGE_SIZE = 100;
/** Clerk's largest page. */
const MAX_PAGE = 500;
/** Signals per user kept on the watchlist (the user's page shows them all). */
const SIGNALS_PER_ENTRY = 3;

export interface WatchSignal {
  sessionId: string;
  kind: SignalKind;
  evidence: string;
}

export interface WatchEntry {
  userId: string;
  name: string;
  email: string | null;
  lastActiveAt: number | null;
  signals: WatchSignal[];
  /** High-severity signals in all (the entry keeps the first few). */
  total: number;
  scannedAt: number;
}

/**
 * Where the pass stands: every user last active after `before` is scanned, and so are `seen` (the users active at
 * exactly `before`: Clerk's filter is strict, so the next page asks for `before + 1` and skips them).
 */
export interface WatchCursor {
  before: number;
  seen: string[];
}

export interface WatchlistState {
  entries: WatchEntry[];
  /** Null at the start of a pass (the most recently active user first). */
  cursor: WatchCursor | null;
  /** Users scanned in the current pass, and how many Clerk said were active in the window at its last page. */
  passScanned: number;
  passTotal: number;
  lastPassCompletedAt: number | null;
  /** Users the last complete pass scanned. */
  lastPassScanned: number;
  lastRefresh: { at: number; scanned: number; requests: number; error: string | null } | null;
}

export const EMPTY_WATCHLIST: WatchlistState = {
  entries: [],
  cursor: null,
  passScanned: 0,
  passTotal: 0,
  lastPassCompletedAt: null,
  lastPassScanned: 0,
  lastRefresh: null,
};

export interface ScanDeps {
  now: number;
  windowMs: number;
  maxRequests: number;
  /** Users last active after `since` (and before `before`), most recent first. */
  listUsers(q: {
    since: number;
    before: number | null;
    limit: number;
  }): Promise<{ data: UserDto[]; totalCount: number }>;
  listSessions(userId: string): Promise<SessionDto[]>;
  signalsFor(userId: string, sessions: SessionDto[]): Promise<ReviewedSignal[]>;
  /** A failure's safe, fixed message (never an upstream body). */
  describe(e: unknown): string;
}

function advance(cursor: WatchCursor | null, user: UserDto): WatchCursor | null {
  // A user without a time cannot be in a "last active after" list; nothing to key on.
  if (user.lastActiveAt === null) return cursor;
  if (cursor && cursor.before === user.lastActiveAt)
    return { before: cursor.before, seen: [...cursor.seen, user.id] };
  return { before: user.lastActiveAt, seen: [user.id] };
}

function parseCursor(v: unknown): WatchCursor | null {
  if (!v || typeof v !== 'object') return null;
  const { before, seen } = v as Partial<WatchCursor>;
  if (!Number.isSafeInteger(before) || !Array.isArray(seen) || !seen.every((s) => typeof s === 'string'))
    return null;
  return { before: before!, seen: seen.slice(0, MAX_PAGE) };
}

/**
 * One refresh. Never sends a request it cannot afford: before each call it keeps room for one retry of that call
 * (callClerk retries a read once after a short 429), so the refresh stays within `maxRequests` even then. Stops at
 * the first failure (e.g. the budget says Clerk is busy) and keeps what it learned.
 */
export async function refreshWatchlist(prev: WatchlistState, deps: ScanDeps): Promise<WatchlistState> {
  const { now, maxRequests } = deps;
  const since = now - deps.windowMs;
  const entries = new Map(prev.entries.map((e) => [e.userId, e]));
  let cursor = prev.cursor;
  let passScanned = prev.passScanned;
  let passTotal = prev.passTotal;
  let lastPassCompletedAt = prev.lastPassCompletedAt;
  let lastPassScanned = prev.lastPassScanned;
  let requests = 0;
  let scanned = 0;
  let error: string | null = null;
  const affordable = (cost: number) => requests + 2 * cost <= maxRequests;

  try {
    for (;;) {
      // After the page, every user costs one request, and the last one keeps room for its retry.
      const limit = Math.min(
        USERS_PAGE_SIZE,
        Math.floor((maxRequests - requests - USERS_PAGE_COST - 1) / SESSIONS_COST),
      );
      if (limit < 1 || !affordable(USERS_PAGE_COST)) break;
      const seen = new Set(cursor?.seen ?? []);
      const asked = Math.min(MAX_PAGE, limit + seen.size);
      const page = await deps.listUsers({ since, before: cursor ? cursor.before + 1 : null, limit: asked });
      requests += USERS_PAGE_COST;
      const fresh = page.data.filter((u) => !seen.has(u.id));
      if (fresh.length === 0 && page.data.length === asked && cursor) {
        // A full page of users active at one instant, all seen: only a strict bound moves past them.
        cursor = { before: cursor.before - 1, seen: [] };
        continue;
      }
      passTotal = passScanned + Math.max(0, page.totalCount - seen.size);
      let stoppedEarly = false;
      for (const user of fresh) {
        if (!affordable(SESSIONS_COST)) {
          stoppedEarly = true;
          break;
        }
        const sessions = await deps.listSessions(user.id);
        requests += SESSIONS_COST;
        const high = (await deps.signalsFor(user.id, sessions)).filter(
          (s) => s.severity === 'high' && !s.review,
        );
        if (high.length > 0) {
          entries.set(user.id, {
            userId: user.id,
            name: user.displayName,
            email: user.primaryEmail,
            lastActiveAt: user.lastActiveAt,
            signals: high
              .slice(0, SIGNALS_PER_ENTRY)
              .map((s) => ({ sessionId: s.sessionId, kind: s.kind, evidence: s.evidence })),
            total: high.length,
            scannedAt: now,
          });
        } else {
          entries.delete(user.id);
        }
        cursor = advance(cursor, user);
        scanned++;
        passScanned++;
      }
      if (stoppedEarly) break;
      if (page.data.length < asked) {
        // The end of the list: the next refresh starts a new pass from the most recently active user.
        cursor = null;
        lastPassScanned = passScanned;
        passScanned = 0;
        lastPassCompletedAt = now;
        break;
      }
    }
  } catch (e) {
    error = deps.describe(e);
  }

  const kept = [...entries.values()]
    .filter((e) => (e.lastActiveAt ?? 0) >= since)
    .sort((a, b) => (b.lastActiveAt ?? 0) - (a.lastActiveAt ?? 0));
  return {
    entries: kept,
    cursor,
    passScanned,
    passTotal,
    lastPassCompletedAt,
    lastPassScanned,
    lastRefresh: { at: now, scanned, requests, error },
  };
}

export function parseWatchlistState(json: string | null | undefined): WatchlistState {
  if (!json) return EMPTY_WATCHLIST;
  try {
    const v = JSON.parse(json) as Partial<WatchlistState>;
    const cursor = parseCursor(v.cursor);
    // A cursor this version cannot read (an offset from before keysets): the pass starts over, cleanly.
    const pass = cursor === null && v.cursor != null ? { passScanned: 0 } : {};
    return {
      ...EMPTY_WATCHLIST,
      ...v,
      ...pass,
      cursor,
      entries: Array.isArray(v.entries) ? v.entries : [],
    };
  } catch {
    return EMPTY_WATCHLIST;
  }
}
