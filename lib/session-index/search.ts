import 'server-only';
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database, Db } from '@/lib/db';
import { cidrRange } from './ip';
import { parseCursor } from './search-query';
import { unreviewed } from './unreviewed';
import { ACTIVE_WITHIN, type SearchFilters, type SearchRowDto } from './search-link';

type Row = Database['session_index'];
type Q<O> = SelectQueryBuilder<Database, 'session_index', O>;
type Eb = ExpressionBuilder<Database, 'session_index'>;

const LIVE = ['active', 'pending'];

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function openSignal(eb: Eb) {
  return eb.exists(
    eb
      .selectFrom('session_signals as ss')
      .select(sql.lit(1).as('one'))
      .whereRef('ss.session_id', '=', 'session_index.session_id')
      .where(unreviewed),
  );
}

export function applyFilters<O>(q: Q<O>, f: SearchFilters, now: number): Q<O> {
  if (f.ip) {
    const range = cidrRange(f.ip);
    // A value the parser let through always has a range; a miss matches nothing rather than everything.
    q = range
      ? q.where('ip_key', '>=', range.lo).where('ip_key', '<=', range.hi)
      : q.where(sql<boolean>`1 = 0`);
  }
  if (f.country) q = q.where('country', '=', f.country.toUpperCase());
  if (f.city) q = q.where(sql`lower(city)`, '=', f.city.toLowerCase());
  if (f.device) q = q.where(sql`lower(device_type)`, '=', f.device.toLowerCase());
  if (f.browser) q = q.where(sql`lower(browser_name)`, '=', f.browser.toLowerCase());
  if (f.status !== 'all') q = q.where('status', '=', f.status);
  if (f.within) q = q.where('last_active_at', '>=', now - ACTIVE_WITHIN[f.within]);
  if (f.risk) q = q.where((eb) => openSignal(eb));
  return q;
}

// Newest activity first, a session with no activity last, session id breaking ties: the same order on both engines.
function afterCursor<O>(q: Q<O>, after: string | undefined): Q<O> {
  const c = parseCursor(after);
  if (!c) return q;
  if (c.lastActiveAt === null)
    return q.where('last_active_at', 'is', null).where('session_id', '>', c.sessionId);
  const at = c.lastActiveAt;
  return q.where((eb) =>
    eb.or([
      eb('last_active_at', '<', at),
      eb.and([eb('last_active_at', '=', at), eb('session_id', '>', c.sessionId)]),
      eb('last_active_at', 'is', null),
    ]),
  );
}

const ordered = <O>(q: Q<O>) => q.orderBy(sql`last_active_at desc nulls last`).orderBy('session_id', 'asc');

export function cursorOf(r: { lastActiveAt: number | null; sessionId: string }): string {
  return `${r.lastActiveAt ?? 'n'}.${r.sessionId}`;
}

const COLUMNS = [
  'session_id',
  'user_id',
  'user_name',
  'user_email',
  'status',
  'created_at',
  'last_active_at',
  'ended_at',
  'ip',
  'city',
  'country',
  'device_type',
  'browser_name',
  'browser_version',
  'actor',
] as const;
type Selected = Pick<Row, (typeof COLUMNS)[number]>;

function toDto(r: { [K in keyof Selected]: unknown }, signals: SearchRowDto['signals']): SearchRowDto {
  return {
    sessionId: r.session_id as string,
    userId: r.user_id as string,
    userName: r.user_name as string | null,
    userEmail: r.user_email as string | null,
    status: r.status as string,
    createdAt: Number(r.created_at),
    lastActiveAt: num(r.last_active_at as number | string | null),
    endedAt: num(r.ended_at as number | string | null),
    ip: r.ip as string | null,
    city: r.city as string | null,
    country: r.country as string | null,
    deviceType: r.device_type as string | null,
    browserName: r.browser_name as string | null,
    browserVersion: r.browser_version as string | null,
    impersonated: Boolean(r.actor),
    signals,
  };
}

async function openSignalsOf(db: Db, sessionIds: readonly string[]) {
  const out = new Map<string, SearchRowDto['signals']>();
  if (sessionIds.length === 0) return out;
  const rows = await db
    .selectFrom('session_signals as ss')
    .select(['ss.session_id', 'ss.kind', 'ss.severity'])
    .where('ss.session_id', 'in', sessionIds)
    .where(unreviewed)
    .execute();
  for (const r of rows) {
    const list = out.get(r.session_id) ?? [];
    list.push({ kind: r.kind, severity: r.severity });
    out.set(r.session_id, list);
  }
  return out;
}

export interface SearchPage {
  rows: SearchRowDto[];
  next: string | null;
}

export async function searchSessions(
  db: Db,
  f: SearchFilters,
  opts: { limit: number; after?: string; now?: number },
): Promise<SearchPage> {
  const now = opts.now ?? Date.now();
  const q = ordered(
    afterCursor(applyFilters(db.selectFrom('session_index').select(COLUMNS), f, now), opts.after),
  );
  const found = await q.limit(opts.limit + 1).execute();
  const page = found.slice(0, opts.limit);
  const signals = await openSignalsOf(
    db,
    page.map((r) => r.session_id),
  );
  const rows = page.map((r) => toDto(r, signals.get(r.session_id) ?? []));
  const last = rows.at(-1);
  return { rows, next: found.length > opts.limit && last ? cursorOf(last) : null };
}

/** Counted up to `cap` + 1, so a huge match costs one bounded scan ("10,000+"). */
export async function countMatches(db: Db, f: SearchFilters, cap: number, now = Date.now()): Promise<number> {
  const inner = applyFilters(db.selectFrom('session_index').select('session_id'), f, now).limit(cap + 1);
  const row = await db
    .selectFrom(inner.as('m'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The live sessions a "Revoke all matching" job would take, newest first; `cap` + 1 read to tell "too many". */
export async function matchingLiveSessions(
  db: Db,
  f: SearchFilters,
  cap: number,
  now = Date.now(),
): Promise<{ sessionId: string; userId: string }[]> {
  const statuses = f.status === 'all' ? LIVE : LIVE.filter((s) => s === f.status);
  if (statuses.length === 0) return [];
  const rows = await ordered(
    applyFilters(
      db.selectFrom('session_index').select(['session_id', 'user_id']),
      { ...f, status: 'all' },
      now,
    ).where('status', 'in', statuses),
  )
    .limit(cap + 1)
    .execute();
  return rows.map((r) => ({ sessionId: r.session_id, userId: r.user_id }));
}

/** Every match in keyset pages, for the CSV export: the caller writes each page before the next is read. */
export async function* eachMatch(
  db: Db,
  f: SearchFilters,
  opts: { pageSize: number; max: number; now?: number },
): AsyncGenerator<SearchRowDto[]> {
  let after: string | undefined;
  let sent = 0;
  const now = opts.now ?? Date.now();
  while (sent < opts.max) {
    const page = await searchSessions(db, f, { limit: Math.min(opts.pageSize, opts.max - sent), after, now });
    if (page.rows.length) yield page.rows;
    sent += page.rows.length;
    if (!page.next) return;
    after = page.next;
  }
}
