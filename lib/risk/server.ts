import 'server-only';
import { cache } from 'react';
import { listSessions, type SessionDto } from '@/lib/clerk';
import { getDb } from '@/lib/db';
import type { ListStatus } from '@/lib/vocabulary';
import { sessionIndex } from '@/lib/session-index/store';
import { getGeoIndex } from './geo-data';
import { userHistory } from '@/lib/session-index/history';
import { dtoFromIndexed, storedSignalsOf } from './index-risk';
import { riskReviews } from './reviews';
import { computeSignals, sortSignals, STALE_AFTER_MS, staleSignals } from './signals';
import type { ReviewedSignal } from './types';

// Judged on the newest 500 sessions (one Clerk page): older ones add history, not news.
export const RISK_HISTORY_LIMIT = 500;

export interface UserRisk {
  userId: string;
  signals: ReviewedSignal[];
  sessions: SessionDto[];
  totalCount: number;
  computedAt: number;
  /** 'index': the signals stored as sessions reached the index; `sessions` is then empty. */
  source?: 'clerk' | 'index';
}

// The signals stored as sessions arrived, plus stale (the one that comes with time alone): a few indexed rows
// whatever the length of the user's history.
async function riskFromIndex(userId: string): Promise<UserRisk | null> {
  const db = await getDb();
  if (!(await sessionIndex(db).state()).complete) return null;
  const now = Date.now();
  const history = userHistory(db);
  const [stored, stale, geo] = await Promise.all([
    storedSignalsOf(db, userId),
    history.staleActive(userId, now - STALE_AFTER_MS),
    getGeoIndex(),
  ]);
  if (stored.length === 0 && stale.length === 0 && !(await history.hasAny(userId))) return null;
  const signals = sortSignals([
    ...stored
      .filter((s) => s.kind !== 'stale')
      .map((s) => ({
        sessionId: s.sessionId,
        kind: s.kind,
        severity: s.severity,
        evidence: s.evidence,
        fingerprint: s.fingerprint,
      })),
    ...staleSignals(stale.map(dtoFromIndexed), { now, geo }),
  ]);
  return {
    userId,
    signals: await riskReviews(db).attach(userId, signals),
    sessions: [],
    totalCount: 0,
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
  const open = [...new Set(risk.signals.filter((s) => !s.review).map((s) => s.sessionId))];
  const flagged = await userHistory(await getDb()).byIds(q.userId, open);
  const matching = flagged
    .map(dtoFromIndexed)
    .filter((s) => q.status === 'all' || s.status === q.status)
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
