import 'server-only';
import { sql, type Insertable } from 'kysely';
import type { Db } from '@/lib/db';
import type { AuditLogTable } from '@/lib/db/schema';
import { driverOf } from '@/lib/db';
import { toCount, toDbTime } from '@/lib/db/values';
import { throttleIpKey } from '@/lib/client-address';

export const OIDC_REFUSALS = ['not_allowlisted', 'email_unverified', 'email_in_use', 'disabled'] as const;
export type OidcRefusal = (typeof OIDC_REFUSALS)[number];

export const DENIAL_CODES = {
  'access.denied': ['unauthenticated', 'forbidden'],
  'auth.sign_in': ['throttled', ...OIDC_REFUSALS],
} as const;
export type DenialAction = keyof typeof DENIAL_CODES;
export type DenialCode = (typeof DENIAL_CODES)[DenialAction][number];

// Caps new rows per minute, so rotating addresses cannot grow the log faster than this.
export const DENIAL_ROWS_PER_MINUTE = 100;
// No address or email takes this form.
export const OTHERS_SOURCE = '(others)';
const OTHERS_ACTION = 'access.denied';
const OTHERS_CODE = 'overflow';

export const MAX_PARTS = 50;
export const OTHER_PARTS = '(others)';

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
  ip: string;
  staffId: string;
}

export function denialMinute(at: Date): string {
  return toDbTime(new Date(Math.floor(at.getTime() / 60_000) * 60_000));
}

type Trx = Parameters<Parameters<ReturnType<Db['transaction']>['execute']>[0]>[0];
type DenialKey = { minute: string; action: string; code: string; ip: string; staff_id: string };

async function countOnExisting(trx: Trx, k: DenialKey, at: string) {
  return (
    (await trx
      .updateTable('audit_denials')
      .set({
        hits: sql<number>`hits + 1`,
        last_at: sql<string>`case when last_at > ${at} then last_at else ${at} end`,
      })
      .where('minute', '=', k.minute)
      .where('action', '=', k.action)
      .where('code', '=', k.code)
      .where('ip', '=', k.ip)
      .where('staff_id', '=', k.staff_id)
      .returning(['audit_id', 'hits'])
      .executeTakeFirst()) ?? null
  );
}

// IPv6 counts by its /64 (one host usually holds it whole). No foreign key: it would change how the log refuses TRUNCATE.
// Concurrent first denials are serialised per minute (PostgreSQL: advisory lock; SQLite: the first write lock).
export async function foldDenial(
  db: Db,
  row: Insertable<AuditLogTable> & { id: string },
  key: {
    action: DenialAction;
    code: DenialCode;
    source: DenialSource;
    at: Date;
    part: string;
    rowsPerMinute?: number;
  },
): Promise<{ auditId: string; count: number }> {
  const at = toDbTime(key.at);
  const minute = denialMinute(key.at);
  const ip = throttleIpKey(key.source.ip);
  const mine: DenialKey = { minute, action: key.action, code: key.code, ip, staff_id: key.source.staffId };
  return db.transaction().execute(async (trx) => {
    let counted = await countOnExisting(trx, mine, at);
    let part = key.part;
    if (!counted) {
      if (driverOf(db).engine === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${`audit_denials ${minute}`}))`.execute(trx);
      counted = await countOnExisting(trx, mine, at);
    }
    if (!counted) {
      const { n } = await trx
        .selectFrom((eb) =>
          eb
            .selectFrom('audit_denials')
            .select('audit_id')
            .where('minute', '=', minute)
            .where('ip', '<>', OTHERS_SOURCE)
            .limit(key.rowsPerMinute ?? DENIAL_ROWS_PER_MINUTE)
            .as('t'),
        )
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const full = toCount(n) >= (key.rowsPerMinute ?? DENIAL_ROWS_PER_MINUTE);
      const k: DenialKey = full
        ? { minute, action: OTHERS_ACTION, code: OTHERS_CODE, ip: OTHERS_SOURCE, staff_id: '' }
        : mine;
      if (full) part = `${key.action} ${key.code}`;
      counted = await trx
        .insertInto('audit_denials')
        .values({ audit_id: row.id, ...k, hits: 1, last_at: at })
        .onConflict((oc) =>
          oc.columns(['minute', 'action', 'code', 'ip', 'staff_id']).doUpdateSet({
            hits: sql<number>`audit_denials.hits + 1`,
            last_at: sql<string>`case when audit_denials.last_at > excluded.last_at then audit_denials.last_at else excluded.last_at end`,
          }),
        )
        .returning(['audit_id', 'hits'])
        .executeTakeFirstOrThrow();
      if (counted.audit_id === row.id) {
        const first = full
          ? {
              ...row,
              action: OTHERS_ACTION,
              code: OTHERS_CODE,
              actor_staff_id: null,
              actor_email: OTHERS_SOURCE,
              actor_role: null,
              ip: null,
              user_agent: null,
              details: JSON.stringify({ rowsPerMinute: key.rowsPerMinute ?? DENIAL_ROWS_PER_MINUTE }),
            }
          : { ...row, ip: row.ip == null ? null : ip };
        await trx.insertInto('audit_log').values(first).execute();
      }
    }
    // The breakdown stays small whatever an attacker varies (emails tried): past MAX_PARTS names, one bucket.
    const known = await trx
      .selectFrom('audit_denial_parts')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.countAll().filterWhere('part', '=', part).as('mine')])
      .where('audit_id', '=', counted.audit_id)
      .executeTakeFirst();
    const name = toCount(known?.mine) > 0 || toCount(known?.n) < MAX_PARTS ? part : OTHER_PARTS;
    await trx
      .insertInto('audit_denial_parts')
      .values({ audit_id: counted.audit_id, part: name, hits: 1 })
      .onConflict((oc) =>
        oc.columns(['audit_id', 'part']).doUpdateSet({ hits: sql<number>`audit_denial_parts.hits + 1` }),
      )
      .execute();
    return { auditId: counted.audit_id, count: toCount(counted.hits) };
  });
}
