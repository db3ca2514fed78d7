// Client-safe words of the risk signals: what a badge says and how severe each kind can be.
import { plural } from '@/lib/plural';

export const SIGNAL_KINDS = [
  'impossible_travel',
  'several_countries',
  'new_country',
  'new_device',
  'impersonation',
  'stale',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SIGNAL_LABELS: Record<SignalKind, string> = {
  impossible_travel: 'Impossible travel',
  several_countries: 'Several countries',
  new_country: 'New country',
  new_device: 'New device',
  impersonation: 'Impersonation',
  stale: 'Stale',
};

export type Severity = 'high' | 'medium' | 'low';

/** One signal on one session, as the server computes it and the UI shows it (a small, serializable DTO). */
export interface RiskSignal {
  sessionId: string;
  kind: SignalKind;
  severity: Severity;
  /** One line of plain evidence, e.g. "Neubrandenburg, Germany, 13 h ago: 930 km from Villejuif, …". */
  evidence: string;
  /** What makes this occurrence this one: a review of it does not cover a new occurrence of the same kind. */
  fingerprint: string;
}

export interface SignalReviewDto {
  note: string;
  reviewedBy: string;
  reviewedAt: number;
}

export type ReviewedSignal = RiskSignal & { review: SignalReviewDto | null };

/** "2 signals on 1 session"; "No signals" when there are none. */
export function signalSummary(signals: readonly { sessionId: string }[]): string {
  if (signals.length === 0) return 'No signals';
  const sessions = new Set(signals.map((s) => s.sessionId)).size;
  return `${plural(signals.length, 'signal')} on ${plural(sessions, 'session')}`;
}
