import 'server-only';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '@/lib/db';
import type { SessionIndexSource, SessionIndexTable } from '@/lib/db/schema';
import { cleanText, toCount } from '@/lib/db/values';
import { recordFirsts } from '@/lib/session-index/baseline';
import { ipKey, normaliseIp } from '@/lib/session-index/ip';
import {
  LIVE_STATUSES,
  type BackfillState,
  type IndexedSession,
  type SessionIndexInput,
  type SessionIndexState,
  type UserSnapshot,
} from '@/lib/session-index/types';

type Row = Selectable<SessionIndexTable>;
type Trx = Parameters<Parameters<ReturnType<Db['transaction']>['execute']>[0]>[0];
type Conn = Db | Trx;

const TEXT_MAX = 200;
const UPSERT_CHUNK = 200;
const EMPTY_BACKFILL: BackfillState = {
  startedAt: null,
  finishedAt: null,
  users: 0,
  sessions: 0,
  cursor: null,
};

function num(v: number | string | null): number | null {
  return v === null ? null : toCount(v);
}

export function fromRow(r: Row): IndexedSession {
  return {
    sessionId: r.session_id,
    userId: r.user_id,
    clientId: r.client_id,
    status: r.status,
    createdAt: toCount(r.created_at),
    updatedAt: toCount(r.updated_at),
    lastActiveAt: num(r.last_active_at),
    endedAt: num(r.ended_at),
    expireAt: num(r.expire_at),
    ip: r.ip,
    ipKey: r.ip_key,
    city: r.city,
    country: r.country,
    deviceType: r.device_type,
    browserName: r.browser_name,
    browserVersion: r.browser_version,
    isMobile: r.is_mobile === null ? null : Boolean(r.is_mobile),
    actor: r.actor,
    userName: r.user_name,
    userEmail: r.user_email,
    userDeleted: Boolean(r.user_deleted),
    source: r.source,
    indexedAt: toCount(r.indexed_at),
  };
}

function toRow(s: SessionIndexInput, source: SessionIndexSource, now: number): Insertable<SessionIndexTable> {
  const ip = normaliseIp(s.ip);
  const country = cleanText(s.country, 8)?.trim().toUpperCase() || null;
  return {
    session_id: s.sessionId,
    user_id: s.userId,
    client_id: s.clientId,
    status: s.status,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    last_active_at: s.lastActiveAt,
    ended_at: s.endedAt ?? (LIVE_STATUSES.includes(s.status) ? null : s.updatedAt),
    expire_at: s.expireAt,
    ip,
    ip_key: ipKey(ip),
    city: cleanText(s.city, TEXT_MAX),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    device_type: cleanText(s.deviceType, TEXT_MAX),
    browser_name: cleanText(s.browserName, TEXT_MAX),
    browser_version: cleanText(s.browserVersion, TEXT_MAX),
    is_mobile: s.isMobile === null ? null : s.isMobile ? 1 : 0,
    actor: cleanText(s.actor, 2000),
    user_name: cleanText(s.userName, TEXT_MAX),
    user_email: cleanText(s.userEmail, TEXT_MAX),
    source,
    indexed_at: now,
  };
}

async function readState<T>(db: Conn, key: string, fallback: T): Promise<T> {
  const row = await db
    .selectFrom('session_index_state')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return fallback;
  try {
    return { ...fallback, ...(JSON.parse(row.value) as T) };
  } catch {
    return fallback;
  }
}

async function writeState(db: Conn, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  await db
    .insertInto('session_index_state')
    .values({ key, value: text })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text }))
    .execute();
}

export function sessionIndex(db: Conn) {
  async function snapshots(userIds: string[]): Promise<Map<string, UserSnapshot>> {
    const out = new Map<string, UserSnapshot>();
    for (let i = 0; i < userIds.length; i += 500) {
      const rows = await db
        .selectFrom('session_index_users')
        .selectAll()
        .where('user_id', 'in', userIds.slice(i, i + 500))
        .execute();
      for (const r of rows)
        out.set(r.user_id, {
          userId: r.user_id,
          userName: r.user_name,
          userEmail: r.user_email,
          deleted: Boolean(r.deleted),
          updatedAt: toCount(r.updated_at),
        });
    }
    return out;
  }

  return {
    /**
     * Writes each session unless the stored row is newer (Clerk's updated_at): deliveries arrive in any order.
     * Returns the rows written.
     */
    async upsert(
      input: SessionIndexInput | readonly SessionIndexInput[],
      opts: { source: SessionIndexSource; now?: number },
    ): Promise<IndexedSession[]> {
      const list = Array.isArray(input)
        ? (input as readonly SessionIndexInput[])
        : [input as SessionIndexInput];
      if (list.length === 0) return [];
      // One transaction per batch: a backfill page of thousands of rows is one commit, not thousands.
      if (!db.isTransaction) return db.transaction().execute((trx) => sessionIndex(trx).upsert(list, opts));
      const now = opts.now ?? Date.now();
      const users = await snapshots([...new Set(list.map((s) => s.userId))]);
      const newest = new Map<string, Insertable<SessionIndexTable>>();
      for (const s of list) {
        const snap = users.get(s.userId);
        const row = { ...toRow(s, opts.source, now), user_deleted: snap?.deleted ? 1 : 0 };
        if (snap) {
          row.user_name = row.user_name ?? snap.userName;
          row.user_email = row.user_email ?? snap.userEmail;
        }
        // One statement may not touch a row twice (PostgreSQL refuses): the newest version of each session goes.
        const seen = newest.get(row.session_id);
        if (!seen || Number(seen.updated_at) <= Number(row.updated_at)) newest.set(row.session_id, row);
      }
      const rows = [...newest.values()];
      const written: IndexedSession[] = [];
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const out = await db
          .insertInto('session_index')
          .values(rows.slice(i, i + UPSERT_CHUNK))
          .onConflict((oc) =>
            oc
              .column('session_id')
              .doUpdateSet((eb) => ({
                user_id: eb.ref('excluded.user_id'),
                client_id: sql<string | null>`coalesce(excluded.client_id, session_index.client_id)`,
                status: eb.ref('excluded.status'),
                created_at: eb.ref('excluded.created_at'),
                updated_at: eb.ref('excluded.updated_at'),
                last_active_at: sql<number>`coalesce(excluded.last_active_at, session_index.last_active_at)`,
                ended_at: sql<number>`coalesce(session_index.ended_at, excluded.ended_at)`,
                expire_at: sql<number>`coalesce(excluded.expire_at, session_index.expire_at)`,
                ip: sql<string>`coalesce(excluded.ip, session_index.ip)`,
                ip_key: sql<string>`coalesce(excluded.ip_key, session_index.ip_key)`,
                city: sql<string>`coalesce(excluded.city, session_index.city)`,
                country: sql<string>`coalesce(excluded.country, session_index.country)`,
                device_type: sql<string>`coalesce(excluded.device_type, session_index.device_type)`,
                browser_name: sql<string>`coalesce(excluded.browser_name, session_index.browser_name)`,
                browser_version: sql<string>`coalesce(excluded.browser_version, session_index.browser_version)`,
                is_mobile: sql<number>`coalesce(excluded.is_mobile, session_index.is_mobile)`,
                actor: sql<string>`coalesce(excluded.actor, session_index.actor)`,
                user_name: sql<string>`coalesce(excluded.user_name, session_index.user_name)`,
                user_email: sql<string>`coalesce(excluded.user_email, session_index.user_email)`,
                user_deleted: eb.ref('excluded.user_deleted'),
                source: eb.ref('excluded.source'),
                indexed_at: eb.ref('excluded.indexed_at'),
              }))
              .where('session_index.updated_at', '<=', (eb) => eb.ref('excluded.updated_at')),
          )
          .returningAll()
          .execute();
        written.push(...out.map(fromRow));
      }
      await recordFirsts(db, written);
      return written;
    },

    /** The user's name and email on their rows, newest snapshot wins; a deleted user's rows stay, marked. */
    async upsertUser(u: UserSnapshot): Promise<boolean> {
      const values = {
        user_id: u.userId,
        user_name: cleanText(u.userName, TEXT_MAX),
        user_email: cleanText(u.userEmail, TEXT_MAX),
        deleted: u.deleted ? 1 : 0,
        updated_at: u.updatedAt,
      };
      const known = await db
        .selectFrom('session_index_users')
        .selectAll()
        .where('user_id', '=', u.userId)
        .executeTakeFirst();
      if (known && (known.deleted || toCount(known.updated_at) > u.updatedAt)) return false;
      const next = {
        ...values,
        user_name: u.deleted && known ? known.user_name : values.user_name,
        user_email: u.deleted && known ? known.user_email : values.user_email,
      };
      const same =
        known &&
        known.user_name === next.user_name &&
        known.user_email === next.user_email &&
        known.deleted === next.deleted;
      await db
        .insertInto('session_index_users')
        .values(next)
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({
              user_name: next.user_name,
              user_email: next.user_email,
              deleted: next.deleted,
              updated_at: next.updated_at,
            })
            .where('session_index_users.updated_at', '<=', next.updated_at)
            .where('session_index_users.deleted', '=', 0),
        )
        .execute();
      // Each delivery carries the user: their sessions are rewritten only when the snapshot really changed.
      if (same) return true;
      await db
        .updateTable('session_index')
        .set({
          user_name: sql<string>`coalesce(${next.user_name}, user_name)`,
          user_email: sql<string>`coalesce(${next.user_email}, user_email)`,
          user_deleted: next.deleted,
        })
        .where('user_id', '=', u.userId)
        .execute();
      return true;
    },

    async get(sessionId: string): Promise<IndexedSession | null> {
      const r = await db
        .selectFrom('session_index')
        .selectAll()
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return r ? fromRow(r) : null;
    },

    async forUser(userId: string, opts: { limit?: number } = {}): Promise<IndexedSession[]> {
      const rows = await db
        .selectFrom('session_index')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('session_id', 'desc')
        .limit(Math.min(Math.max(opts.limit ?? 500, 1), 5000))
        .execute();
      return rows.map(fromRow);
    },

    /**
     * Records a delivery's svix-id: 'new' the first time; 'retry' when it comes signed at another time (Svix
     * re-signs each attempt, and attempts can cross); 'replay' when the very same signed copy comes back.
     */
    async claimDelivery(d: {
      svixId: string;
      eventType: string;
      signedAt: number;
      now: number;
      applied: boolean;
    }): Promise<'new' | 'retry' | 'replay'> {
      const out = await db
        .insertInto('webhook_deliveries')
        .values({
          svix_id: d.svixId,
          event_type: cleanText(d.eventType, 100) ?? '',
          received_at: d.now,
          signed_at: d.signedAt,
          applied: d.applied ? 1 : 0,
        })
        .onConflict((oc) => oc.column('svix_id').doNothing())
        .returning('svix_id')
        .executeTakeFirst();
      if (out) return 'new';
      const seen = await db
        .selectFrom('webhook_deliveries')
        .select('signed_at')
        .where('svix_id', '=', d.svixId)
        .executeTakeFirst();
      if (!seen || toCount(seen.signed_at) === d.signedAt) return 'replay';
      if (toCount(seen.signed_at) < d.signedAt)
        await db
          .updateTable('webhook_deliveries')
          .set({ signed_at: d.signedAt })
          .where('svix_id', '=', d.svixId)
          .execute();
      return 'retry';
    },

    async recordDelivery(at: number, lagMs: number): Promise<void> {
      // Zero-padded, so text order is time order on both engines: a delivery finishing late never moves it back.
      const text = `${String(at).padStart(16, '0')} ${Math.max(0, Math.round(lagMs))}`;
      await db
        .insertInto('session_index_state')
        .values({ key: 'last_delivery', value: text })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: text }).where('session_index_state.value', '<=', text),
        )
        .execute();
    },

    async backfill(): Promise<BackfillState> {
      return readState(db, 'backfill', EMPTY_BACKFILL);
    },

    async saveBackfill(state: BackfillState): Promise<void> {
      await writeState(db, 'backfill', state);
    },

    async state(): Promise<SessionIndexState> {
      const backfill = await readState(db, 'backfill', EMPTY_BACKFILL);
      const last = await db
        .selectFrom('session_index_state')
        .select('value')
        .where('key', '=', 'last_delivery')
        .executeTakeFirst();
      const [at, lag] = last ? last.value.split(' ').map(Number) : [];
      return {
        complete: backfill.finishedAt !== null && backfill.cursor === null,
        backfill,
        lastDeliveryAt: at ?? null,
        lastLagMs: lag ?? null,
      };
    },

    async readMark(key: string): Promise<number | null> {
      return (await readState<{ at: number | null }>(db, key, { at: null })).at;
    },

    async writeMark(key: string, at: number): Promise<void> {
      await writeState(db, key, { at });
    },

    /**
     * Removes sessions last seen before the cutoff with their stored signals, the delivery ids and user snapshots
     * as old, and the baseline of users with no session left.
     */
    async purgeOlderThan(
      cutoffMs: number,
    ): Promise<{ sessions: number; signals: number; deliveries: number; users: number }> {
      const old = sql<number>`coalesce(last_active_at, updated_at)`;
      const signals = await db
        .deleteFrom('session_signals')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('session_index')
              .select('session_id')
              .whereRef('session_index.session_id', '=', 'session_signals.session_id')
              .where(old, '<', cutoffMs),
          ),
        )
        .executeTakeFirst();
      const sessions = await db.deleteFrom('session_index').where(old, '<', cutoffMs).executeTakeFirst();
      const deliveries = await db
        .deleteFrom('webhook_deliveries')
        .where('received_at', '<', cutoffMs)
        .executeTakeFirst();
      const users = await db
        .deleteFrom('session_index_users')
        .where('updated_at', '<', cutoffMs)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('session_index')
                .select('session_id')
                .whereRef('session_index.user_id', '=', 'session_index_users.user_id'),
            ),
          ),
        )
        .executeTakeFirst();
      await db
        .deleteFrom('session_index_baseline')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('session_index')
                .select('session_id')
                .whereRef('session_index.user_id', '=', 'session_index_baseline.user_id'),
            ),
          ),
        )
        .execute();
      return {
        sessions: toCount(sessions.numDeletedRows),
        signals: toCount(signals.numDeletedRows),
        deliveries: toCount(deliveries.numDeletedRows),
        users: toCount(users.numDeletedRows),
      };
    },
  };
}

export type SessionIndexStore = ReturnType<typeof sessionIndex>;
