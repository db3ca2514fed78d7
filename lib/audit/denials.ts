import 'server-only';
import { sql, type Insertable } from 'kysely';
import type { Db } from '@/lib/db';
import type { AuditLogTable } from '@/lib/db/schema';
import { toCount, toDbTime } from '@/lib/db/values';

/** The audit actions whose refusals are folded per source and minute, and the codes they are refused with. */
export const DENIAL_CODES = {
  'access.denied': ['unauthenticated', 'forbidden'],
  'auth.sign_in': ['throttled'],
} as const;
export type DenialAction = keyof typeof DENIAL_CODES;
export type DenialCode = (typeof DENIAL_CODES)[DenialAction][number];

/** Distinct names kept in one row's breakdown; the rest are counted together under OTHER_PARTS. */
export const MAX_PARTS = 50;
export const OTHER_PARTS = '(others)';

/** Refusals per entry point (or account tried) for some folded rows: audit id → { where → count }. */
export async function denialParts(db: Db, auditIds: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  for (let i = 0; i < auditIds.length; i += 500) {
    const rows = await db
      .selectFrom('audit_denial_parts')
      .select(['audit_id', 'part', 'hits'])
      .where('audit_id', 'in', auditIds.slice(i, i + 500))
      .orderBy('audit_id')
      .orderBy('part')
      .execute();
    for (const r of rows) {
      const parts = out.get(r.audit_id) ?? {};
      parts[r.part] = toCount(r.hits);
      out.set(r.audit_id, parts);
    }
  }
  return out;
}

export interface DenialSource {
  /** The client address as the request context gives it; 'unknown' when there is none. */
  ip: string;
  /** The staff member's id when the request carried a valid session, else ''. */
  staffId: string;
}

/** The minute a moment falls in, as the key column stores it. */
export function denialMinute(at: Date): string {
  return toDbTime(new Date(Math.floor(at.getTime() / 60_000) * 60_000));
}

/**
 * Counts one refusal for (source, action, code, minute). The first in that minute also writes the audit row, in
 * the same transaction, so a count never exists without its row. (No foreign key: it would change how the audit
 * log refuses TRUNCATE.) Concurrent first denials, in this process or another instance on the same database, meet on
 * the unique key: one inserts, the others wait for it and add one each.
 */
export async function foldDenial(
  db: Db,
  row: Insertable<AuditLogTable> & { id: string },
  key: { action: DenialAction; code: DenialCode; source: DenialSource; at: Date; part: string },
): Promise<{ auditId: string; count: number }> {
  const at = toDbTime(key.at);
  return db.transaction().execute(async (trx) => {
    const counted = await trx
      .insertInto('audit_denials')
      .values({
        audit_id: row.id,
        minute: denialMinute(key.at),
        action: key.action,
        code: key.code,
        ip: key.source.ip,
        staff_id: key.source.staffId,
        hits: 1,
        last_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['minute', 'action', 'code', 'ip', 'staff_id']).doUpdateSet({
          hits: sql<number>`audit_denials.hits + 1`,
          last_at: sql<string>`case when audit_denials.last_at > excluded.last_at then audit_denials.last_at else excluded.last_at end`,
        }),
      )
      .returning(['audit_id', 'hits'])
      .executeTakeFirstOrThrow();
    if (counted.audit_id === row.id) await trx.insertInto('audit_log').values(row).execute();
    // The breakdown stays small whatever an attacker varies (emails tried): past MAX_PARTS names, one bucket.
    const known = await trx
      .selectFrom('audit_denial_parts')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.countAll().filterWhere('part', '=', key.part).as('mine'),
      ])
      .where('audit_id', '=', counted.audit_id)
      .executeTakeFirst();
    const part = toCount(known?.mine) > 0 || toCount(known?.n) < MAX_PARTS ? key.part : OTHER_PARTS;
    await trx
      .insertInto('audit_denial_parts')
      .values({ audit_id: counted.audit_id, part, hits: 1 })
      .onConflict((oc) =>
        oc.columns(['audit_id', 'part']).doUpdateSet({ hits: sql<number>`audit_denial_parts.hits + 1` }),
      )
      .execute();
    return { auditId: counted.audit_id, count: toCount(counted.hits) };
  });
}
