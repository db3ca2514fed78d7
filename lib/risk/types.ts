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
