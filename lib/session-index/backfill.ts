import 'server-only';
import type { Db } from '@/lib/db';
import { onSessionIndexed } from '@/lib/session-index/on-indexed';
import { sessionIndex } from '@/lib/session-index/store';
import type { BackfillState, SessionIndexInput } from '@/lib/session-index/types';

export interface BackfillUser {
  id: string;
  lastActiveAt: number | null;
  name: string | null;
  email: string | null;
}

export interface BackfillDeps {
  /** Users active strictly before `before` (all when null), most recently active first. */
  listUsers(before: number | null, limit: number): Promise<BackfillUser[]>;
  /** Every session of the user the API still returns. */
  listSessions(userId: string): Promise<SessionIndexInput[]>;
  now(): number;
  /** How many users the last `listUsers` call had left to list from its cursor on, if the API said. */
  remaining?(): number | null;
}

/** Users with the cursor's last_active_at already filled: a page boundary can fall inside a tie. */
interface Cursor {
  before: number | null;
  seen: string[];
}

export const BACKFILL_PAGE = 100;

function readCursor(state: BackfillState): Cursor {
  if (!state.cursor) return { before: null, seen: [] };
  try {
    const c = JSON.parse(state.cursor) as Cursor;
    return {
      before: typeof c.before === 'number' ? c.before : null,
      seen: Array.isArray(c.seen) ? c.seen : [],
    };
  } catch {
    return { before: null, seen: [] };
  }
}

/** Begins a fresh pass unless one is under way (its cursor kept): the next `runBackfill` resumes it. */
export async function beginBackfill(db: Db, now: number): Promise<void> {
  const index = sessionIndex(db);
  const state = await index.backfill();
  if (state.cursor !== null) return;
  await index.saveBackfill({
    startedAt: now,
    finishedAt: null,
    users: 0,
    totalUsers: null,
    sessions: 0,
    cursor: JSON.stringify({ before: null, seen: [] }),
  });
}

/**
 * Fills the index from the API, one page of users at a time, saving the cursor after each page so a restart
 * resumes where it stopped. Users who become active behind the cursor arrive by webhook instead.
 */
export async function runBackfill(
  db: Db,
  deps: BackfillDeps,
  opts: { maxPages?: number; signal?: AbortSignal; beforePage?: () => Promise<boolean> } = {},
): Promise<BackfillState> {
  const index = sessionIndex(db);
  let state = await index.backfill();
  if (state.cursor === null) return state;
  let cursor = readCursor(state);
  for (let page = 0; page < (opts.maxPages ?? Infinity) && !opts.signal?.aborted; page++) {
    if (opts.beforePage && !(await opts.beforePage())) return state;
    const inclusive = cursor.before === null ? null : cursor.before + 1;
    let users = (await deps.listUsers(inclusive, BACKFILL_PAGE)).filter((u) => !cursor.seen.includes(u.id));
    const remaining = deps.remaining?.() ?? null;
    if (remaining !== null) state = { ...state, totalUsers: state.users + remaining };
    if (users.length === 0 && cursor.before !== null && cursor.seen.length > 0) {
      users = await deps.listUsers(cursor.before, BACKFILL_PAGE);
    }
    if (users.length === 0) {
      state = { ...state, cursor: null, finishedAt: deps.now(), totalUsers: state.users };
      await index.saveBackfill(state);
      return state;
    }
    let sessions = 0;
    for (const u of users) {
      await index.upsertUser({
        userId: u.id,
        userName: u.name,
        userEmail: u.email,
        deleted: false,
        updatedAt: 0,
      });
      const rows = await deps.listSessions(u.id);
      const written = await index.upsert(rows, { source: 'backfill', now: deps.now() });
      sessions += rows.length;
      if (written.length) await onSessionIndexed(written, { db }).catch(() => {});
    }
    const last = users[users.length - 1]!.lastActiveAt;
    if (last === null) {
      state = { ...state, users: state.users + users.length, sessions: state.sessions + sessions };
      state = { ...state, cursor: null, finishedAt: deps.now(), totalUsers: state.users };
      await index.saveBackfill(state);
      return state;
    }
    const tie = users.filter((u) => u.lastActiveAt === last).map((u) => u.id);
    cursor = { before: last, seen: last === cursor.before ? [...cursor.seen, ...tie] : tie };
    state = {
      ...state,
      users: state.users + users.length,
      sessions: state.sessions + sessions,
      cursor: JSON.stringify(cursor),
    };
    await index.saveBackfill(state);
  }
  return state;
}
