import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db';
import { heldBy, releaseLease, takeLease, type LeaseTarget } from '@/lib/db/lease';
import { toCount, toDateOrNull, toDbTime } from '@/lib/db/values';
import { lastSeq } from './rows';

export type ReceiverKind = 'webhook' | 'ssf';

export interface CursorState {
  receiver: string;
  kind: ReceiverKind;
  cursor: number;
  generation: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  delivered: number;
}

type Raw = {
  receiver: string;
  kind: ReceiverKind;
  cursor: number | string;
  generation: number;
  lease_owner: string | null;
  lease_until: Date | string | null;
  attempts: number;
  next_attempt_at: Date | string | null;
  last_success_at: Date | string | null;
  last_error: string | null;
  last_error_at: Date | string | null;
  delivered: number | string;
};

const leaseOf = (receiver: string): LeaseTarget => ({ table: 'audit_stream_cursors', id: receiver });

function toState(r: Raw): CursorState {
  return {
    receiver: r.receiver,
    kind: r.kind,
    cursor: Number(r.cursor),
    generation: Number(r.generation),
    leaseOwner: r.lease_owner,
    leaseUntil: toDateOrNull(r.lease_until),
    attempts: Number(r.attempts),
    nextAttemptAt: toDateOrNull(r.next_attempt_at),
    lastSuccessAt: toDateOrNull(r.last_success_at),
    lastError: r.last_error,
    lastErrorAt: toDateOrNull(r.last_error_at),
    delivered: toCount(r.delivered),
  };
}

// Every write after the claim is conditional on the lease and the generation: an instance that lost its lease,
// or whose cursor an admin rewound meanwhile, changes nothing.
export function streamCursors(db: Db, now: () => Date = () => new Date()) {
  const held = (owner: string, generation: number) =>
    db.updateTable('audit_stream_cursors').where(heldBy(owner)).where('generation', '=', generation);

  return {
    /** A new receiver starts at the end of the log: the rewind control replays older history. */
    async ensure(receiver: string, kind: ReceiverKind): Promise<void> {
      const exists = await db
        .selectFrom('audit_stream_cursors')
        .select('receiver')
        .where('receiver', '=', receiver)
        .executeTakeFirst();
      if (exists) return;
      await db
        .insertInto('audit_stream_cursors')
        .values({ receiver, kind, cursor: await lastSeq(db), updated_at: toDbTime(now()) })
        .onConflict((oc) => oc.column('receiver').doNothing())
        .execute();
    },

    async claim(receiver: string, owner: string, leaseMs: number): Promise<CursorState | null> {
      if (!(await takeLease(db, leaseOf(receiver), owner, now(), leaseMs))) return null;
      const row = await db
        .selectFrom('audit_stream_cursors')
        .selectAll()
        .where('receiver', '=', receiver)
        .where(heldBy(owner))
        .executeTakeFirst();
      return row ? toState(row as Raw) : null;
    },

    async advance(
      receiver: string,
      owner: string,
      at: { generation: number; from: number; to: number; delivered: number },
    ): Promise<boolean> {
      const t = toDbTime(now());
      const res = await held(owner, at.generation)
        .set({
          cursor: at.to,
          delivered: sql<number>`delivered + ${at.delivered}`,
          attempts: 0,
          next_attempt_at: null,
          updated_at: t,
          ...(at.delivered > 0 ? { last_success_at: t } : {}),
        })
        .where('receiver', '=', receiver)
        .where('cursor', '=', at.from)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async failed(
      receiver: string,
      owner: string,
      at: { generation: number; attempts: number; retryAt: Date; error: string },
    ): Promise<void> {
      const t = toDbTime(now());
      await held(owner, at.generation)
        .set({
          attempts: at.attempts,
          next_attempt_at: toDbTime(at.retryAt),
          last_error: at.error.slice(0, 200),
          last_error_at: t,
          updated_at: t,
        })
        .where('receiver', '=', receiver)
        .execute();
    },

    async release(receiver: string, owner: string): Promise<void> {
      await releaseLease(db, leaseOf(receiver), owner);
    },

    /** Returns the cursor it replaced, or null for an unknown receiver. */
    async rewind(receiver: string, to: number): Promise<number | null> {
      for (let i = 0; i < 5; i++) {
        const row = await db
          .selectFrom('audit_stream_cursors')
          .select(['cursor', 'generation'])
          .where('receiver', '=', receiver)
          .executeTakeFirst();
        if (!row) return null;
        const res = await db
          .updateTable('audit_stream_cursors')
          .set({
            cursor: Math.max(0, Math.trunc(to)),
            generation: Number(row.generation) + 1,
            attempts: 0,
            next_attempt_at: null,
            updated_at: toDbTime(now()),
          })
          .where('receiver', '=', receiver)
          .where('generation', '=', Number(row.generation))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) return Number(row.cursor);
      }
      throw new Error('The stream cursor kept changing; try again.');
    },

    async list(): Promise<CursorState[]> {
      const rows = await db.selectFrom('audit_stream_cursors').selectAll().orderBy('receiver').execute();
      return rows.map((r) => toState(r as Raw));
    },
  };
}

export type StreamCursors = ReturnType<typeof streamCursors>;
