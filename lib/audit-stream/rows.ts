import 'server-only';
import type { Db } from '@/lib/db';
import { toDate } from '@/lib/db/values';
import { parseDetails } from '@/lib/audit/sanitize';
import type { AuditDetails } from '@/lib/audit/types';

export interface StreamRow {
  seq: number;
  id: string;
  kind: 'intent' | 'outcome' | 'event';
  intentId: string | null;
  at: Date;
  action: string;
  outcome: string;
  actor: { staffId: string | null; email: string; role: string | null };
  target: { sessionId: string | null; userId: string | null; clientId: string | null };
  details: AuditDetails;
  ip: string | null;
  userAgent: string | null;
  code: string | null;
  traceId: string | null;
  reconciled: boolean;
}

// An id the database handed out may still be in an open transaction while a later one is already visible: a hole
// whose neighbour is this young waits; an older hole is a rolled-back insert, never to appear.
export const GAP_WAIT_MS = 10_000;

export async function rowsAfter(db: Db, cursor: number, limit: number): Promise<StreamRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', cursor)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    kind: r.kind,
    intentId: r.intent_id,
    at: toDate(r.at),
    action: r.action,
    outcome: r.outcome,
    actor: { staffId: r.actor_staff_id, email: r.actor_email, role: r.actor_role },
    target: { sessionId: r.session_id, userId: r.user_id, clientId: r.client_id },
    details: parseDetails(r.details),
    ip: r.ip,
    userAgent: r.user_agent,
    code: r.code,
    traceId: r.trace_id,
    reconciled: Number(r.reconciled) === 1,
  }));
}

/** The rows that may go now: up to the first hole that could still fill. */
export function settledPrefix(rows: StreamRow[], cursor: number, now: Date): StreamRow[] {
  const out: StreamRow[] = [];
  let prev = cursor;
  for (const row of rows) {
    if (row.seq !== prev + 1 && now.getTime() - row.at.getTime() < GAP_WAIT_MS) break;
    out.push(row);
    prev = row.seq;
  }
  return out;
}

export async function lastSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirst();
  return Number(row?.m ?? 0);
}

/** The cursor that replays everything written at or after `at`. */
export async function cursorBefore(db: Db, at: Date): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.min('seq').as('m'))
    .where('at', '>=', at.toISOString())
    .executeTakeFirst();
  return row?.m == null ? lastSeq(db) : Number(row.m) - 1;
}

export async function intentReasons(db: Db, ids: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'details'])
    .where('id', 'in', ids)
    .where('kind', '=', 'intent')
    .execute();
  for (const r of rows) {
    const reason = parseDetails(r.details).reason;
    out.set(r.id, typeof reason === 'string' ? reason : null);
  }
  return out;
}
