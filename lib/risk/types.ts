import { plural, type Severity, type SignalKind } from '@/lib/vocabulary';

export interface RiskSignal {
  sessionId: string;
  kind: SignalKind;
  severity: Severity;
  evidence: string;
  fingerprint: string;
}

export interface SignalReviewDto {
  note: string;
  reviewedBy: string;
  reviewedAt: number;
}

export type ReviewedSignal = RiskSignal & { review: SignalReviewDto | null };

export function signalSummary(signals: readonly { sessionId: string }[]): string {
  if (signals.length === 0) return 'No signals';
  const sessions = new Set(signals.map((s) => s.sessionId)).size;
  return `${plural(signals.length, 'signal')} on ${plural(sessions, 'session')}`;
}
