import 'server-only';
import { cache } from 'react';
import { listSessions, type SessionDto } from '@/lib/clerk';
import { getDb } from '@/lib/db';
import type { ListStatus } from '@/lib/sessions/inputs';
import { getGeoIndex } from './geo-data';
import { riskReviews } from './reviews';
import { computeSignals } from './signals';
import type { ReviewedSignal } from './types';

// Judged on the newest 500 sessions (one Clerk page): older ones add history, not news.
export const RISK_HISTORY_LIMIT = 500;

export interface UserRisk {
  userId: string;
  signals: ReviewedSignal[];
  sessions: SessionDto[];
  totalCount: number;
  computedAt: number;
}

export const getUserRisk = cache(async (userId: string): Promise<UserRisk> => {
  // Index first: building it blocks the event loop, and a Clerk call in flight could time out for nothing.
  const geo = await getGeoIndex();
  const page = await listSessions({ userId, status: 'all', limit: RISK_HISTORY_LIMIT, offset: 0 });
  const now = Date.now();
  const signals = computeSignals(page.data, { now, geo });
  const reviewed = await riskReviews(await getDb()).attach(userId, signals);
  return { userId, signals: reviewed, sessions: page.data, totalCount: page.totalCount, computedAt: now };
});

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
