// Client-safe: what a page and a form know about an approval request.

export const APPROVAL_STATES = [
  'waiting',
  'approved',
  'declined',
  'expired',
  'cancelled',
  'executed',
] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const APPROVAL_STATE_LABELS: Record<ApprovalState, string> = {
  waiting: 'Waiting for a second admin',
  approved: 'Approved: starting the job',
  declined: 'Declined',
  expired: 'Expired',
  cancelled: 'Cancelled by the requester',
  executed: 'Approved: the job ran',
};

export type ApprovalMode = 'request' | 'break_glass';

/** What the dry run showed the requester, shown again to the approver. */
export interface ApprovalSummary {
  kind: string;
  users: number;
  sessions: number | null;
  action: string;
  steps: string[];
  why: string[];
  userIds: string[];
}

export interface ApprovalView {
  id: string;
  mode: ApprovalMode;
  state: ApprovalState;
  requester: { staffId: string; email: string; role: string };
  reason: string;
  reasonCode: string | null;
  ticket: string | null;
  emergencyReason: string | null;
  summary: ApprovalSummary;
  createdAt: number;
  expiresAt: number;
  decidedBy: { staffId: string; email: string } | null;
  decidedAt: number | null;
  decisionReason: string | null;
  jobId: string | null;
}

/** What starting a job answers: the job, or the approval request it became. */
export type StartAnswer = { jobId: string } | { approvalId: string };
