import 'server-only';
import {
  AuditResolveError,
  type AuditActor,
  type AuditEntry,
  type AuditLog,
  type AuditRequestContext,
} from '@/lib/audit';

// Clerk keeps no list of issued tokens, so a token's creation is closed as "unknown" on purpose.

export type ReconcileOutcome = 'succeeded' | 'failed' | 'unknown';

export interface ReconcileResult {
  intentId: string;
  action: AuditEntry['action'];
  outcome: ReconcileOutcome;
  code: string | null;
  sessionStatus: string | null;
  note: string;
}

export type ReconcileFailureKind = 'not_open' | 'still_pending' | 'already_resolved' | 'upstream';

export class ReconcileError extends Error {
  constructor(
    readonly kind: ReconcileFailureKind,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}

export interface ReconcileDeps {
  audit: Pick<AuditLog, 'unresolved' | 'resolve'>;
  getSession(sessionId: string): Promise<{ status: string; updatedAt: number }>;
  isNotFound(e: unknown): boolean;
}

// Clerk's clock may differ a little; a revoke outside this span was someone else's (Clerk refuses to revoke twice).
export const CREDIT_SKEW_MS = 5_000;
export const CREDIT_WINDOW_MS = 150_000;

export const RECONCILE_NOTES = {
  revoked:
    'Checked against Clerk: the session was revoked right after this action began, so the revoke was carried out.',
  revokedBefore:
    'Checked against Clerk: the session was already revoked before this action began, so this action revoked nothing.',
  revokedLater:
    'Checked against Clerk: the session was revoked well after this action, by someone or something else; this action is not credited with it.',
  active: 'Checked against Clerk: the session is still active, so the revoke was not carried out.',
  inactive: (status: string) =>
    `Checked against Clerk: the session is ${status}, not revoked, so the revoke was not carried out.`,
  notFound: 'Checked against Clerk: the session does not exist, so nothing was revoked.',
  noSession: 'The entry names no session, so it could not be checked; closed as unknown.',
  token:
    'A token’s creation cannot be checked against Clerk (it keeps no list of issued tokens); reviewed and closed as unknown.',
  other: 'This kind of action cannot be checked against Clerk; reviewed and closed as unknown.',
  noTimestamp:
    'Checked against Clerk: the session is revoked, but Clerk gave no time for it, so it cannot be credited to this action; closed as unknown.',
} as const;

interface Verdict {
  outcome: ReconcileOutcome;
  code: string | null;
  sessionStatus: string | null;
  note: string;
  found?: { sessionUpdatedAt: string | null; credited: boolean };
}

async function checkRevoke(deps: ReconcileDeps, sessionId: string | null, intentAt: Date): Promise<Verdict> {
  if (!sessionId)
    return { outcome: 'unknown', code: null, sessionStatus: null, note: RECONCILE_NOTES.noSession };
  let status: string;
  let updatedAt: number;
  try {
    ({ status, updatedAt } = await deps.getSession(sessionId));
  } catch (e) {
    if (deps.isNotFound(e)) {
      return { outcome: 'failed', code: 'not_found', sessionStatus: null, note: RECONCILE_NOTES.notFound };
    }
    // Clerk unavailable, rate-limited, key rejected…: no answer, so nothing is written and the row stays unknown.
    throw new ReconcileError('upstream', 'Clerk could not be asked about the session. Try again shortly.', e);
  }
  const stamp = Number.isFinite(updatedAt) && updatedAt > 0 ? updatedAt : null;
  const sessionUpdatedAt = stamp === null ? null : new Date(stamp).toISOString();
  if (status === 'revoked') {
    const lag = stamp === null ? null : stamp - intentAt.getTime();
    if (lag !== null && lag >= -CREDIT_SKEW_MS && lag <= CREDIT_WINDOW_MS) {
      return {
        outcome: 'succeeded',
        code: null,
        sessionStatus: status,
        note: RECONCILE_NOTES.revoked,
        found: { sessionUpdatedAt, credited: true },
      };
    }
    const before = lag !== null && lag < -CREDIT_SKEW_MS;
    return {
      outcome: lag === null ? 'unknown' : 'failed',
      code: lag === null ? null : before ? 'revoked_before' : 'revoked_by_other',
      sessionStatus: status,
      note:
        lag === null
          ? RECONCILE_NOTES.noTimestamp
          : before
            ? RECONCILE_NOTES.revokedBefore
            : RECONCILE_NOTES.revokedLater,
      found: { sessionUpdatedAt, credited: false },
    };
  }
  // Any status but "revoked" means ours never landed: Clerk refuses to revoke an inactive session.
  return {
    outcome: 'failed',
    code: 'not_applied',
    sessionStatus: status,
    note: status === 'active' ? RECONCILE_NOTES.active : RECONCILE_NOTES.inactive(status),
    found: { sessionUpdatedAt, credited: false },
  };
}

// Only "unknown" intents: a "pending" one may still be in flight, and settling it could contradict its answer.
export async function reconcileIntent(
  deps: ReconcileDeps,
  input: { intentId: string; by: AuditActor; ctx?: AuditRequestContext },
): Promise<ReconcileResult> {
  const entry = (await deps.audit.unresolved()).find((e) => e.id === input.intentId);
  if (!entry) {
    throw new ReconcileError(
      'not_open',
      'This entry has no open outcome: it is already resolved, or unknown to the log.',
    );
  }
  if (entry.outcome === 'pending') {
    throw new ReconcileError(
      'still_pending',
      'This action may still be in progress. It can be reconciled once its outcome reads "unknown".',
    );
  }

  let verdict: Verdict;
  if (entry.action === 'session.revoke') verdict = await checkRevoke(deps, entry.target.sessionId, entry.at);
  else if (entry.action === 'token.create')
    verdict = { outcome: 'unknown', code: null, sessionStatus: null, note: RECONCILE_NOTES.token };
  else verdict = { outcome: 'unknown', code: null, sessionStatus: null, note: RECONCILE_NOTES.other };

  try {
    await deps.audit.resolve(entry.id, verdict.outcome, {
      code: verdict.code,
      details: {
        note: verdict.note,
        ...(verdict.sessionStatus ? { status: verdict.sessionStatus } : {}),
        ...(verdict.found ?? {}),
      },
      reconciledBy: input.by,
      ctx: input.ctx,
    });
  } catch (e) {
    if (e instanceof AuditResolveError) {
      throw new ReconcileError(
        e.reason === 'already_resolved' ? 'already_resolved' : 'not_open',
        e.reason === 'already_resolved'
          ? 'Someone else resolved this entry a moment ago. Reload to see its outcome.'
          : 'This entry has no open outcome: it is already resolved, or unknown to the log.',
      );
    }
    throw e; // AuditUnavailableError: staffAction reports "the audit log could not be written"
  }
  const { found: _found, ...result } = verdict;
  return { intentId: entry.id, action: entry.action, ...result };
}
