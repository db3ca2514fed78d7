import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db';

const KEY = 'backfill_lease';
// `<expiry, 16 digits> <owner>`: text order is time order on both engines, so one conditional upsert decides.
const pad = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(16, '0');

/** The backfill's lease in the shared database: one instance fills at a time, a dead one's turn expires. */
export function backfillLease(db: Db) {
  return {
    /** Takes the lease, or renews it if `owner` holds it; false while another instance holds an unexpired one. */
    async take(owner: string, now: number, ttlMs: number): Promise<boolean> {
      const value = `${pad(now + ttlMs)} ${owner}`;
      const won = await db
        .insertInto('session_index_state')
        .values({ key: KEY, value })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({ value })
            .where((eb) =>
              eb.or([
                eb(sql<string>`substr(session_index_state.value, 1, 16)`, '<', pad(now)),
                eb(sql<string>`substr(session_index_state.value, 18)`, '=', owner),
              ]),
            ),
        )
        .returning('value')
        .executeTakeFirst();
      return won !== undefined;
    },

    async release(owner: string): Promise<void> {
      await db
        .deleteFrom('session_index_state')
        .where('key', '=', KEY)
        .where(sql<string>`substr(value, 18)`, '=', owner)
        .execute();
    },

    async holder(now: number): Promise<string | null> {
      const row = await db
        .selectFrom('session_index_state')
        .select('value')
        .where('key', '=', KEY)
        .executeTakeFirst();
      if (!row || row.value.slice(0, 16) < pad(now)) return null;
      return row.value.slice(17);
    },
  };
}
