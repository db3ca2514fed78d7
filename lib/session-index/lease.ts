import 'server-only';
import type { Db } from '@/lib/db';
import { leaseHolder, releaseLease, takeLease, type LeaseTarget } from '@/lib/db/lease';

const BACKFILL: LeaseTarget = { table: 'leases', id: 'backfill' };

/** The backfill's lease in the shared database: one instance fills at a time, a dead one's turn expires. */
export function backfillLease(db: Db) {
  return {
    /** Takes the lease, or renews it if `owner` holds it; false while another instance holds an unexpired one. */
    take: (owner: string, now: number, ttlMs: number) => takeLease(db, BACKFILL, owner, new Date(now), ttlMs),
    release: (owner: string) => releaseLease(db, BACKFILL, owner),
    holder: (now: number) => leaseHolder(db, BACKFILL, new Date(now)),
  };
}
