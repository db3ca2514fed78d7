import 'server-only';
import { cache } from 'react';
import { listSessions, type SessionDto } from '@/lib/clerk';
import { getDb } from '@/lib/db';
import type { ListStatus } from '@/lib/sessions/inputs';
import { getGeoIndex } from './geo-data';
import { riskReviews } from './reviews';
import { computeSignals } from './signals';
import type { ReviewedSignal } from './types';

/**
 * Signals are computed from the user's newest sessions, any status, in one upstream page (Clerk's maximum). A
 * user with more (the seed's 5,000-session user) is judged on the newest 500: older ones add history, not news.
 */
export const RISK_HISTORY_LIMIT = 500;

export interface UserRisk {
  userId: string;
  signals: ReviewedSignal[];
  /** The sessions the signals were computed from (newest first) and how many the user has in all. */
  sessions: SessionDto[];
  totalCount: number;
  computedAt: number;
}

/** Once per request (a page and its sections share it). */
export const getUserRisk = cache(async (userId: string): Promise<UserRisk> => {
  // The index first: building it blocks the event loop (instrumentation.ts builds it at start-up), and a Clerk
  // call in flight meanwhile could time out for nothing.
  const geo = await getGeoIndex();
  const page = await listSessions({ userId, status: 'all', limit: RISK_HISTORY_LIMIT, offset: 0 });
  const now = Date.now();
  const signals = computeSignals(page.data, { now, geo });
  const reviewed = await riskReviews(await getDb()).attach(userId, signals);
  return { userId, signals: reviewed, sessions: page.data, totalCount: page.totalCount, computedAt: now };
});

/** The "Needs a look" list: sessions with a signal nobody has reviewed yet, newest first, paged here. */
export async function listSessionsNeedingALook(q: {
  userId: string;
  status: ListStatus;
  limit: number;
  offset: number;
}): Promise<{ data: SessionDto[]; totalCount: number }> {
  const risk = await getUserRisk(q.userId);
  const open = new Set(risk.signals.filter((s) => !s.review).map((s) => s.sessionId));
  const matching = risk.sessions.filter(
    (s) => open.has(s.id) && (q.status === 'all' || s.status === q.status),
  );
  return { data: matching.slice(q.offset, q.offset + q.limit), totalCount: matching.length };
}

/**
 * A page of the user's sessions cut from the risk read, when that read holds it exactly: `all` within the
 * newest RISK_HISTORY_LIMIT (the same upstream list, newest first, just a longer page), or any status when the
 * read holds every session the user has. Otherwise null, and the page is listed upstream. A user page then
 * costs one session list instead of two, in time and in the Clerk request budget.
 */
export function sessionsPageFromRisk(
  risk: UserRisk,
  q: { status: ListStatus; limit: number; offset: number },
): { data: SessionDto[]; totalCount: number } | null {
  const complete = risk.sessions.length >= risk.totalCount;
  if (q.status === 'all') {
    if (!complete && q.offset + q.limit > risk.sessions.length) return null;
    return { data: risk.sessions.slice(q.offset, q.offset + q.limit), totalCount: risk.totalCount };
  }
  if (!complete) return null;
  const matching = risk.sessions.filter((s) => s.status === q.status);
  return { data: matching.slice(q.offset, q.offset + q.limit), totalCount: matching.length };
}

/** The signals of the sessions shown, keyed by session id (what the table's badges need, and no more). */
export function signalsBySession(
  risk: UserRisk,
  sessionIds?: readonly string[],
): Record<string, ReviewedSignal[]> {
  const wanted = sessionIds ? new Set(sessionIds) : null;
  const out: Record<string, ReviewedSignal[]> = {};
  for (const s of risk.signals) {
    if (wanted && !wanted.has(s.sessionId)) continue;
    (out[s.sessionId] ??= []).push(s);
  }
  return out;
}
