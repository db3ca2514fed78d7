import type { BackfillState } from '@/lib/session-index/types';

const n = (v: number) => v.toLocaleString('en-US');

/** "Backfill 1,200 of 3,000 users (40 %)", or the users so far while the total is not known yet. */
export function backfillProgress(b: BackfillState): string {
  const total = b.totalUsers ?? null;
  if (total === null || total <= 0)
    return `Backfill ${n(b.users)} ${b.users === 1 ? 'user' : 'users'} so far`;
  const pct = Math.min(100, Math.floor((b.users / total) * 100));
  return `Backfill ${n(b.users)} of ${n(total)} ${total === 1 ? 'user' : 'users'} (${pct} %)`;
}
