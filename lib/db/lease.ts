import 'server-only';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Db } from '@/lib/db';
import type { DbTime } from '@/lib/db/schema';
import { toDate, toDbTime } from '@/lib/db/values';

// The rows that carry a lease, by the column that names the row.
const KEY = { leases: 'name', risk_watchlist: 'id', audit_stream_cursors: 'receiver' } as const;

/** One leased row: a named lease in `leases`, the watchlist's state row, an audit-stream receiver's cursor. */
export interface LeaseTarget {
  table: keyof typeof KEY;
  id: string;
}

type LeaseRow = { lease_owner: string | null; lease_until: DbTime | null };
type LeaseDb = Record<string, LeaseRow>;

const leased = (db: Db) => db as unknown as Kysely<LeaseDb>;
const row = (t: LeaseTarget) => sql<SqlBool>`${sql.ref(KEY[t.table])} = ${t.id}`;

/** Set with a holder's last write so that one statement both writes and lets the lease go. */
export const RELEASED = { lease_owner: null, lease_until: null } as const;

/**
 * The condition every write of a holder carries: once another instance took the lease over (or it was released),
 * the holder's writes match nothing.
 */
export function heldBy(owner: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref('lease_owner')} = ${owner}`;
}

/**
 * Takes the lease, or renews it for its holder; false while another owner holds an unexpired one. One conditional
 * UPDATE decides, so of many instances asking at once exactly one wins. `when` adds the caller's own condition.
 */
export async function takeLease(
  db: Db,
  target: LeaseTarget,
  owner: string,
  now: Date,
  ttlMs: number,
  when?: Expression<SqlBool>,
): Promise<boolean> {
  if (target.table === 'leases')
    await db
      .insertInto('leases')
      .values({ name: target.id, ...RELEASED })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  let take = leased(db)
    .updateTable(target.table)
    .set({ lease_owner: owner, lease_until: toDbTime(new Date(now.getTime() + ttlMs)) })
    .where(row(target))
    .where((eb) =>
      eb.or([
        eb('lease_owner', 'is', null),
        eb('lease_owner', '=', owner),
        eb('lease_until', '<', toDbTime(now)),
      ]),
    );
  if (when) take = take.where(when);
  const res = await take.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Only the holder can release; anyone else's release changes nothing. */
export async function releaseLease(db: Db, target: LeaseTarget, owner: string): Promise<void> {
  await leased(db).updateTable(target.table).set(RELEASED).where(row(target)).where(heldBy(owner)).execute();
}

/** Who holds the lease now, or null when nobody does or it expired. */
export async function leaseHolder(db: Db, target: LeaseTarget, now: Date): Promise<string | null> {
  const r = await leased(db)
    .selectFrom(target.table)
    .select(['lease_owner', 'lease_until'])
    .where(row(target))
    .executeTakeFirst();
  if (!r?.lease_owner || !r.lease_until || toDate(r.lease_until).getTime() < now.getTime()) return null;
  return r.lease_owner;
}
