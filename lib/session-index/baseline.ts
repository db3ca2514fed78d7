import 'server-only';
import type { Insertable } from 'kysely';
import type { SessionIndexBaselineTable } from '@/lib/db/schema';
import type { Db } from '@/lib/db';
import type { IndexedSession } from '@/lib/session-index/types';

const UPSERT_CHUNK = 200;
const BASELINE_COLUMNS = [
  ['country', 'country'],
  ['device', 'deviceType'],
  ['browser', 'browserName'],
] as const;

// The earliest created_at of each country, device and browser per user, kept as rows are written.
export async function recordFirsts(db: Db, rows: readonly IndexedSession[]): Promise<void> {
  const firsts = new Map<string, Insertable<SessionIndexBaselineTable>>();
  for (const r of rows)
    for (const [kind, field] of BASELINE_COLUMNS) {
      const value = r[field];
      if (!value) continue;
      const key = `${r.userId}\u0000${kind}\u0000${value}`;
      const seen = firsts.get(key);
      if (!seen || Number(seen.first_created_at) > r.createdAt)
        firsts.set(key, { user_id: r.userId, kind, value, first_created_at: r.createdAt });
    }
  const values = [...firsts.values()];
  for (let i = 0; i < values.length; i += UPSERT_CHUNK)
    await db
      .insertInto('session_index_baseline')
      .values(values.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'kind', 'value'])
          .doUpdateSet((eb) => ({ first_created_at: eb.ref('excluded.first_created_at') }))
          .where('session_index_baseline.first_created_at', '>', (eb) => eb.ref('excluded.first_created_at')),
      )
      .execute();
}
