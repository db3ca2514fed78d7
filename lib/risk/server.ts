import 'server-only';
import { cache } from 'react';
import { listSessions, type SessionDto } from '@/lib/clerk';
import { getDb } from '@/lib/db';
import type { ListStatus } from '@/lib/vocabulary';
import { sessionIndex } from '@/lib/session-index/store';
import { getGeoIndex } from './geo-data';
import { indexedSessionsOf } from './index-risk';
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
  /** 'index': the whole history from the session index; `sessions` then holds the live ones only. */
  source?: 'clerk' | 'index';
}

async function riskFromIndex(userId: string): Promise<UserRisk | null> {
  const db = await getDb();
  if (!(await sessionIndex(db).state()).complete) return null;
  const [geo, history] = await Promise.all([getGeoIndex(), indexedSessionsOf(db, userId)]);
  if (history.length === 0) return null;
  const now = Date.now();
  const signals = computeSignals(history, { now, geo });
  const reviewed = await riskReviews(db).attach(userId, signals);
  const live = history.filter((s) => s.status === 'active' || s.status === 'pending');
  return {
    userId,
    signals: reviewed,
    sessions: live,
    totalCount: live.length,
    computedAt: now,
    source: 'index',
  };
}

// With a complete session index the baseline is the user's whole history there, and Clerk is not asked.
export const getUserRisk = cache(async (userId: string): Promise<UserRisk> => {
  const indexed = await riskFromIndex(userId).catch(() => null);
  if (indexed) return indexed;
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
  if (risk.source === 'index') return needingALookFromIndex(risk, q);
  const open = new Set(risk.signals.filter((s) => !s.review).map((s) => s.sessionId));
  const matching = risk.sessions.filter(
    (s) => open.has(s.id) && (q.status === 'all' || s.status === q.status),
  );
  return { data: matching.slice(q.offset, q.offset + q.limit), totalCount: matching.length };
}

async function needingALookFromIndex(
  risk: UserRisk,
  q: { userId: string; status: ListStatus; limit: number; offset: number },
): Promise<{ data: SessionDto[]; totalCount: number }> {
  const open = new Set(risk.signals.filter((s) => !s.review).map((s) => s.sessionId));
  const history = await indexedSessionsOf(await getDb(), q.userId);
  const matching = history
    .filter((s) => open.has(s.id) && (q.status === 'all' || s.status === q.status))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  return { data: matching.slice(q.offset, q.offset + q.limit), totalCount: matching.length };
}

// The index may trail Clerk by a delivery: a list page is cut from Clerk's own answer only.
export function sessionsPageFromRisk(
  risk: UserRisk,
  q: { status: ListStatus; limit: number; offset: number },
): { data: SessionDto[]; totalCount: number } | null {
  if (risk.source === 'index') return null;
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
