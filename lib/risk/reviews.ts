import 'server-only';
import type { Db } from '@/lib/db';
import { cleanText, toDate, toDbTime } from '@/lib/db/values';
import type { RiskSignal, ReviewedSignal, SignalReviewDto } from './types';
import type { SignalKind } from '@/lib/vocabulary';

export const REVIEW_NOTE_MAX = 500;

export interface ReviewInput {
  sessionId: string;
  userId: string;
  kind: SignalKind;
  fingerprint: string;
  note: string;
  staff: { id: string; email: string };
  at?: Date;
}

const key = (sessionId: string, kind: string, fingerprint: string) => `${sessionId}|${kind}|${fingerprint}`;

export function riskReviews(db: Db) {
  return {
    async record(r: ReviewInput): Promise<SignalReviewDto> {
      const at = r.at ?? new Date();
      const row = {
        session_id: r.sessionId,
        kind: r.kind,
        fingerprint: r.fingerprint,
        user_id: r.userId,
        note: cleanText(r.note, REVIEW_NOTE_MAX, { keepLineBreaks: true }) ?? '',
        reviewed_by_staff_id: r.staff.id,
        reviewed_by_email: r.staff.email,
        reviewed_at: toDbTime(at),
      };
      await db
        .insertInto('risk_reviews')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['session_id', 'kind', 'fingerprint']).doUpdateSet({
            note: row.note,
            reviewed_by_staff_id: row.reviewed_by_staff_id,
            reviewed_by_email: row.reviewed_by_email,
            reviewed_at: row.reviewed_at,
          }),
        )
        .execute();
      return { note: row.note, reviewedBy: r.staff.email, reviewedAt: at.getTime() };
    },

    async attach(userId: string, signals: readonly RiskSignal[]): Promise<ReviewedSignal[]> {
      if (signals.length === 0) return [];
      const rows = await db.selectFrom('risk_reviews').selectAll().where('user_id', '=', userId).execute();
      const byKey = new Map(rows.map((r) => [key(r.session_id, r.kind, r.fingerprint), r]));
      return signals.map((s) => {
        const r = byKey.get(key(s.sessionId, s.kind, s.fingerprint));
        return {
          ...s,
          review: r
            ? { note: r.note, reviewedBy: r.reviewed_by_email, reviewedAt: toDate(r.reviewed_at).getTime() }
            : null,
        };
      });
    },
  };
}
