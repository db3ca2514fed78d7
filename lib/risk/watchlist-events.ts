import 'server-only';
import type { Db } from '@/lib/db';
import { unreviewed } from '@/lib/session-index/unreviewed';
import { SIGNAL_KINDS, type SignalKind } from '@/lib/vocabulary';
import type { WatchEntry } from './watchlist';

const SIGNALS_PER_ENTRY = 3;
const MAX_ENTRIES = 200;

/** The watchlist as the index's events left it: users active since `since` with an unreviewed high signal. */
export async function readEventWatchlist(db: Db, opts: { since: number }): Promise<WatchEntry[]> {
  const signals = await db
    .selectFrom('session_signals as ss')
    .innerJoin('session_index as si', 'si.session_id', 'ss.session_id')
    .select([
      'ss.user_id',
      'ss.session_id',
      'ss.kind',
      'ss.evidence',
      'ss.computed_at',
      'si.user_name',
      'si.user_email',
    ])
    .where('ss.severity', '=', 'high')
    .where(unreviewed)
    .orderBy('ss.user_id')
    .orderBy('ss.session_id')
    .execute();
  if (signals.length === 0) return [];
  const byUser = new Map<string, typeof signals>();
  const rank = (k: string) => SIGNAL_KINDS.indexOf(k as SignalKind);
  for (const s of [...signals].sort((a, b) => rank(a.kind) - rank(b.kind)))
    byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s]);
  const activity = await db
    .selectFrom('session_index')
    .select(['user_id', (eb) => eb.fn.max('last_active_at').as('last')])
    .where('user_id', 'in', [...byUser.keys()])
    .groupBy('user_id')
    .execute();
  const lastOf = new Map(activity.map((a) => [a.user_id, a.last === null ? null : Number(a.last)]));
  const entries: WatchEntry[] = [];
  for (const [userId, list] of byUser) {
    const lastActiveAt = lastOf.get(userId) ?? null;
    if (lastActiveAt === null || lastActiveAt < opts.since) continue;
    const first = list[0]!;
    entries.push({
      userId,
      name: first.user_name ?? first.user_email ?? userId,
      email: first.user_email,
      lastActiveAt,
      signals: list
        .slice(0, SIGNALS_PER_ENTRY)
        .map((s) => ({ sessionId: s.session_id, kind: s.kind as SignalKind, evidence: s.evidence })),
      total: list.length,
      scannedAt: Math.max(...list.map((s) => Number(s.computed_at))),
    });
  }
  return entries.sort((a, b) => (b.lastActiveAt ?? 0) - (a.lastActiveAt ?? 0)).slice(0, MAX_ENTRIES);
}
