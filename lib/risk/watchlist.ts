import 'server-only';
import type { SessionDto, UserDto } from '@/lib/clerk/dto';
import type { ReviewedSignal } from './types';
import type { SignalKind } from '@/lib/vocabulary';

// Keyset cursor, not offset: a user active mid-pass moves to the front without shifting anyone.

export const USERS_PAGE_COST = 2;
export const SESSIONS_COST = 1;
export const USERS_PAGE_SIZE = 100;
const MAX_PAGE = 500;
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
  total: number;
  scannedAt: number;
}

// Clerk's filter is strict: the next page asks for `before + 1` and skips `seen`.
export interface WatchCursor {
  before: number;
  seen: string[];
}

export interface WatchlistState {
  entries: WatchEntry[];
  cursor: WatchCursor | null;
  passScanned: number;
  passTotal: number;
  lastPassCompletedAt: number | null;
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
  listUsers(q: {
    since: number;
    before: number | null;
    limit: number;
  }): Promise<{ data: UserDto[]; totalCount: number }>;
  listSessions(userId: string): Promise<SessionDto[]>;
  signalsFor(userId: string, sessions: SessionDto[]): Promise<ReviewedSignal[]>;
  describe(e: unknown): string;
}

function advance(cursor: WatchCursor | null, user: UserDto): WatchCursor | null {
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

// Each call keeps room for its one retry (a short 429), so a refresh stays within `maxRequests`.
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
