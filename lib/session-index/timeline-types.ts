// Client-safe: one user's sessions on one time axis.

export const TIMELINE_KINDS = [
  'created',
  'active',
  'ended',
  'revoked',
  'removed',
  'expired',
  'abandoned',
  'replaced',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TIMELINE_LABELS: Record<TimelineKind, string> = {
  created: 'Signed in',
  active: 'Last active',
  ended: 'Signed out',
  revoked: 'Revoked',
  removed: 'Removed',
  expired: 'Expired',
  abandoned: 'Abandoned',
  replaced: 'Replaced',
};

export interface TimelineEvent {
  at: number;
  kind: TimelineKind;
  sessionId: string;
  ip: string | null;
  place: { city: string | null; country: string | null };
  device: string | null;
  /** The console's own revoke: who, why, whether Clerk confirmed it, and the job when one did it. */
  revokedBy: {
    email: string;
    reason: string | null;
    reasonCode?: string | null;
    ticket?: string | null;
    outcome: string;
    jobId: string | null;
  } | null;
}

export interface Timeline {
  events: TimelineEvent[];
  sessions: number;
  truncated: boolean;
}
