import 'server-only';
import type { Db } from '@/lib/db';
import { toCount } from '@/lib/db/values';
import { fromRow } from '@/lib/session-index/store';
import { LIVE_STATUSES, type IndexedSession } from '@/lib/session-index/types';

export interface BaselineFirst {
  kind: 'country' | 'device' | 'browser';
  value: string;
  firstCreatedAt: number;
}

// SQLite allows 500 terms in a compound select: neighbour lookups go 100 sessions (200 terms) at a time.
const CHUNK = 100;
const NEAR = 3;

/** A user's sessions as the index holds them, read a few rows at a time (never the whole history). */
export function userHistory(db: Db) {
  const located = (userId: string) =>
    db
      .selectFrom('session_index')
      .selectAll()
      .where('user_id', '=', userId)
      .where('country', 'is not', null)
      .where('last_active_at', 'is not', null);

  return {
    async live(userId: string): Promise<IndexedSession[]> {
      const rows = await db
        .selectFrom('session_index')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', 'in', LIVE_STATUSES)
        .execute();
      return rows.map(fromRow);
    },

    async byIds(userId: string, ids: readonly string[]): Promise<IndexedSession[]> {
      const out: IndexedSession[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db
          .selectFrom('session_index')
          .selectAll()
          .where('user_id', '=', userId)
          .where('session_id', 'in', ids.slice(i, i + 500))
          .execute();
        out.push(...rows.map(fromRow));
      }
      return out;
    },

    async staleActive(userId: string, lastActiveBefore: number): Promise<IndexedSession[]> {
      const rows = await db
        .selectFrom('session_index')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', '=', 'active')
        .where('last_active_at', '<=', lastActiveBefore)
        .execute();
      return rows.map(fromRow);
    },

    async count(userId: string): Promise<number> {
      const row = await db
        .selectFrom('session_index')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return toCount(row?.n ?? 0);
    },

    async hasAny(userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('session_index')
        .select('session_id')
        .where('user_id', '=', userId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async firsts(userId: string): Promise<BaselineFirst[]> {
      const rows = await db
        .selectFrom('session_index_baseline')
        .select(['kind', 'value', 'first_created_at'])
        .where('user_id', '=', userId)
        .execute();
      return rows
        .map((r) => ({ kind: r.kind, value: r.value, firstCreatedAt: toCount(r.first_created_at) }))
        .sort((a, b) => a.firstCreatedAt - b.firstCreatedAt || (a.value < b.value ? -1 : 1));
    },

    /** For each point, the located sessions just before and just after it in last-activity order. */
    async neighbours(
      userId: string,
      points: readonly { sessionId: string; at: number }[],
    ): Promise<IndexedSession[]> {
      const out = new Map<string, IndexedSession>();
      for (let i = 0; i < points.length; i += CHUNK) {
        const parts = points
          .slice(i, i + CHUNK)
          .flatMap((p) => [
            db
              .selectFrom(
                located(userId)
                  .where('last_active_at', '<=', p.at)
                  .where('session_id', '!=', p.sessionId)
                  .orderBy('last_active_at', 'desc')
                  .orderBy('session_id', 'desc')
                  .limit(NEAR)
                  .as('n'),
              )
              .selectAll(),
            db
              .selectFrom(
                located(userId)
                  .where('last_active_at', '>=', p.at)
                  .where('session_id', '!=', p.sessionId)
                  .orderBy('last_active_at', 'asc')
                  .orderBy('session_id', 'asc')
                  .limit(NEAR)
                  .as('n'),
              )
              .selectAll(),
          ]);
        const [first, ...rest] = parts;
        if (!first) continue;
        const rows = await rest.reduce((q, part) => q.unionAll(part), first).execute();
        for (const r of rows) out.set(r.session_id, fromRow(r));
      }
      return [...out.values()];
    },

    /** How many of the user's sessions were created before each time. */
    async olderCounts(userId: string, times: readonly number[]): Promise<Map<number, number>> {
      const out = new Map<number, number>();
      const unique = [...new Set(times)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const chunk = unique.slice(i, i + CHUNK);
        const row = await db
          .selectNoFrom((eb) =>
            chunk.map((t, j) =>
              eb
                .selectFrom('session_index')
                .select((e) => e.fn.countAll<number | string>().as('n'))
                .where('user_id', '=', userId)
                .where('created_at', '<', t)
                .as(`c${j}`),
            ),
          )
          .executeTakeFirstOrThrow();
        const counts = row as Record<string, number | string | null>;
        chunk.forEach((t, j) => out.set(t, toCount(counts[`c${j}`] ?? 0)));
      }
      return out;
    },
  };
}
