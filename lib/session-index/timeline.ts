import 'server-only';
import type { Db } from '@/lib/db';
import { toDate } from '@/lib/db/values';
import { parseDetails } from '@/lib/audit/sanitize';
import { fromRow } from './store';
import type { IndexedSession } from './types';
import type { Timeline, TimelineEvent, TimelineKind } from './timeline-types';

const MAX_SESSIONS = 5000;
const CHUNK = 500;
const ENDINGS: Record<string, TimelineKind> = {
  ended: 'ended',
  revoked: 'revoked',
  removed: 'removed',
  expired: 'expired',
  abandoned: 'abandoned',
  replaced: 'replaced',
};

type Revoke = NonNullable<TimelineEvent['revokedBy']> & { at: number };

// One succeeded (else the latest) console revoke per session, from the audit log's intents and their outcomes.
async function consoleRevokes(
  db: Db,
  userId: string,
  sessionIds: readonly string[],
): Promise<Map<string, Revoke>> {
  const out = new Map<string, Revoke>();
  const chunks: string[][] = [];
  for (let i = 0; i < sessionIds.length; i += CHUNK) chunks.push(sessionIds.slice(i, i + CHUNK));
  for (const chunk of chunks.length ? chunks : [[]]) {
    const rows = await db
      .selectFrom('audit_log as e')
      .leftJoin('audit_log as o', 'o.intent_id', 'e.id')
      .select(['e.session_id', 'e.at', 'e.actor_email', 'e.details', 'o.outcome'])
      .where('e.kind', '=', 'intent')
      .where('e.action', '=', 'session.revoke')
      .where((eb) =>
        eb.or([eb('e.user_id', '=', userId), ...(chunk.length ? [eb('e.session_id', 'in', chunk)] : [])]),
      )
      .orderBy('e.seq', 'asc')
      .execute();
    for (const r of rows) {
      if (!r.session_id) continue;
      const details = parseDetails(r.details);
      const revoke: Revoke = {
        at: toDate(r.at).getTime(),
        email: r.actor_email,
        reason: typeof details.reason === 'string' ? details.reason : null,
        reasonCode: typeof details.reasonCode === 'string' ? details.reasonCode : null,
        ticket: typeof details.ticket === 'string' ? details.ticket : null,
        outcome: r.outcome ?? 'pending',
        jobId: typeof details.jobId === 'string' ? details.jobId : null,
      };
      const seen = out.get(r.session_id);
      if (!seen || seen.outcome !== 'succeeded') out.set(r.session_id, revoke);
    }
  }
  return out;
}

function eventsOf(s: IndexedSession, revoke: Revoke | undefined): TimelineEvent[] {
  const base = {
    sessionId: s.sessionId,
    ip: s.ip,
    place: { city: s.city, country: s.country },
    device: [s.deviceType, s.browserName].filter(Boolean).join(' · ') || null,
    revokedBy: null,
  };
  const out: TimelineEvent[] = [{ ...base, at: s.createdAt, kind: 'created' }];
  const ending = ENDINGS[s.status];
  const endAt = ending ? (s.endedAt ?? s.updatedAt) : null;
  if (s.lastActiveAt !== null && s.lastActiveAt > s.createdAt && (endAt === null || s.lastActiveAt < endAt))
    out.push({ ...base, at: s.lastActiveAt, kind: 'active' });
  if (ending && endAt !== null)
    out.push({
      ...base,
      at: endAt,
      kind: ending,
      revokedBy: ending === 'revoked' && revoke ? strip(revoke) : null,
    });
  else if (revoke) out.push({ ...base, at: revoke.at, kind: 'revoked', revokedBy: strip(revoke) });
  return out;
}

const strip = ({ at: _at, ...rest }: Revoke) => rest;

/** One user's sessions from the index (which outlives Clerk's cleanup), newest event first. */
export async function readTimeline(db: Db, userId: string, opts: { limit: number }): Promise<Timeline> {
  const rows = await db
    .selectFrom('session_index')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('session_id', 'desc')
    .limit(MAX_SESSIONS)
    .execute();
  const sessions = rows.map(fromRow);
  const revokes = await consoleRevokes(
    db,
    userId,
    sessions.map((s) => s.sessionId),
  );
  const events = sessions
    .flatMap((s) => eventsOf(s, revokes.get(s.sessionId)))
    .sort((a, b) => b.at - a.at || (a.sessionId < b.sessionId ? 1 : -1));
  return {
    events: events.slice(0, opts.limit),
    sessions: sessions.length,
    truncated: events.length > opts.limit,
  };
}

/** Sessions of the user that reached the index after `since` (their creation time). */
export async function newSessionsSince(db: Db, userId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('session_index')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
