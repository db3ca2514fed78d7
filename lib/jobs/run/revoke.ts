import 'server-only';
import type { SessionDto } from '@/lib/clerk/dto';
import { ConsoleApiError, toConsoleApiError } from '@/lib/clerk/errors';
import { withTraceId } from '@/lib/clerk/trace';
import { settlementOf } from '@/lib/actions/audited';
import type { AuditIntent } from '@/lib/audit';
import { log } from '@/lib/log';
import { isIncidentJob } from '@/lib/jobs/policy';
import type { ClaimedItem } from '@/lib/jobs/store/claims';
import type { JobRow } from '@/lib/jobs/store/reads';
import { jobActor, NO_REQUEST, type RunContext } from './context';

const ACTIVE = new Set(['active', 'pending']);

// If a holder vanished after recording an attempt, read back: credit it only if Clerk shows it revoked after that.
export async function settleByReadBack(
  c: RunContext,
  item: ClaimedItem,
  job: JobRow,
): Promise<'settled' | 'revoke'> {
  let session: SessionDto;
  let traceId: string | null;
  try {
    ({ value: session, traceId } = await withTraceId(() =>
      c.inLane(job, () => c.clerk.getSession(item.target)),
    ));
  } catch (e) {
    const err = toConsoleApiError(e, 'session');
    if (err.kind === 'not_found') {
      await c.resolveIntent(item.intentId, {
        outcome: 'failed',
        code: 'not_found',
        details: { jobId: job.id },
      });
      await c.settle(item, { outcome: 'not_found', code: 'not_found', traceId: err.traceId });
      return 'settled';
    }
    if (err.kind === 'rate_limited') c.backoff((err.retryAfterSeconds ?? 1) * 1000);
    else c.backoff(1000);
    // Keep the attempt on record: whoever takes it next must read back too.
    await c.store.release(item.id, c.owner, { sent: true });
    return 'settled';
  }
  // The earlier call never took effect: the same intent goes with the fresh attempt.
  if (ACTIVE.has(session.status)) return 'revoke';
  if (session.userId && session.userId !== item.userId)
    await c.store.setOwner(item.id, c.owner, session.userId);
  const ours =
    session.status === 'revoked' && item.attemptAt && session.updatedAt >= item.attemptAt.getTime();
  if (ours) {
    await c.resolveIntent(item.intentId, {
      outcome: 'succeeded',
      traceId,
      details: { jobId: job.id, status: session.status, owner: session.userId, settledByReadBack: true },
    });
    await c.settle(item, { outcome: 'revoked', code: 'settled_by_read_back', traceId });
  } else {
    await c.resolveIntent(item.intentId, {
      outcome: 'failed',
      code: 'already_inactive',
      details: { jobId: job.id, status: session.status, settledByReadBack: true },
    });
    await c.settle(item, { outcome: 'already_inactive', code: session.status, traceId });
  }
  return 'settled';
}

async function ownerOf(c: RunContext, item: ClaimedItem, job: JobRow): Promise<string | null> {
  let session: SessionDto;
  let traceId: string | null;
  try {
    ({ value: session, traceId } = await withTraceId(() =>
      c.inLane(job, () => c.clerk.getSession(item.target)),
    ));
  } catch (e) {
    const err = toConsoleApiError(e, 'session');
    if (err.kind === 'not_found') {
      await c.settle(item, { outcome: 'not_found', code: 'not_found', traceId: err.traceId });
    } else if (err.kind === 'rate_limited' || err.kind === 'unavailable') {
      c.backoff((err.retryAfterSeconds ?? 1) * 1000);
      await c.store.release(item.id, c.owner, { sent: false, keepIntent: true });
    } else {
      await c.settle(item, { outcome: 'failed', code: err.clerkCode ?? err.kind, traceId: err.traceId });
    }
    return null;
  }
  await c.store.setOwner(item.id, c.owner, session.userId);
  if (!ACTIVE.has(session.status)) {
    await c.settle(item, { outcome: 'already_inactive', code: session.status, traceId });
    return null;
  }
  if (!isIncidentJob(job.permission) && (await c.store.hasOtherOwner(job.id, session.userId))) {
    await c.settle(item, { outcome: 'failed', code: 'second_owner', traceId });
    return null;
  }
  return session.userId;
}

async function notSent(c: RunContext, item: ClaimedItem, job: JobRow, freshIntent: string | null) {
  const now = await c.store.forRunner(job.id);
  if (now && (now.state === 'running' || now.state === 'queued') && now.lostAccess)
    await c.pauseForLostAccess(now);
  if (!freshIntent) return;
  if (await c.store.keepIntent(item.id, freshIntent)) return;
  await c.resolveIntent(freshIntent, {
    outcome: 'failed',
    code: now?.state === 'cancelled' || now?.state === 'failed' ? 'not_attempted' : 'lease_lost',
    details: { jobId: job.id },
  });
}

export async function revoke(c: RunContext, item: ClaimedItem, job: JobRow) {
  const named = item.userId ?? (await ownerOf(c, item, job));
  if (named === null) return;
  let intentId = item.intentId;
  let fresh: string | null = null;
  if (!intentId) {
    try {
      const intent: AuditIntent = await c.audit.begin({
        actor: jobActor(job),
        action: 'session.revoke',
        target: { sessionId: item.target, userId: named },
        details: { reason: job.reason, reasonCode: job.reasonCode, ticket: job.ticket, jobId: job.id },
        ctx: NO_REQUEST,
      });
      intentId = fresh = intent.id;
    } catch {
      // Nothing unaudited reaches Clerk: give it back and wait for the log to come back.
      log.error({ jobId: job.id }, 'audit log unavailable; job item put back');
      c.backoff(5000);
      await c.store.release(item.id, c.owner, { sent: false });
      return;
    }
  }
  if (!(await c.store.markAttempt(item.id, c.owner, intentId))) {
    await notSent(c, item, job, fresh);
    return;
  }
  try {
    const { value: session, traceId } = await withTraceId(() =>
      c.inLane(job, () => c.clerk.revokeSession(item.target)),
    );
    // The owner is Clerk's answer; one that differs from the owner the job named is recorded, never hidden.
    const mismatch = session.userId !== named ? 'owner_mismatch' : null;
    if (mismatch) await c.store.setOwner(item.id, c.owner, session.userId);
    await c.resolveIntent(intentId, {
      outcome: 'succeeded',
      code: mismatch,
      traceId,
      details: { status: session.status, jobId: job.id, owner: session.userId },
    });
    await c.settle(item, { outcome: 'revoked', traceId, code: mismatch });
  } catch (e) {
    const err = e instanceof ConsoleApiError ? e : toConsoleApiError(e, 'session');
    if (err.outcomeUnknown) {
      // The revoke may have gone out: leave the attempt and its open intent for a read-back, not a retry.
      await c.store.release(item.id, c.owner, { sent: true });
      return;
    }
    const retry =
      err.kind === 'rate_limited' || (err.kind === 'unavailable' && item.attempts + 1 < c.maxAttempts);
    if (retry) {
      c.backoff((err.retryAfterSeconds ?? 1) * 1000);
      await c.store.release(item.id, c.owner, { sent: false, keepIntent: true });
      // release() forgets the attempt; an unavailable Clerk did fail it, so count it again.
      if (err.kind === 'unavailable') await c.store.countFailedAttempt(item.id);
      return;
    }
    await c.resolveIntent(intentId, { ...settlementOf(err), details: { jobId: job.id } });
    switch (err.kind) {
      case 'already_revoked':
        await c.settle(item, { outcome: 'already_inactive', code: err.clerkCode, traceId: err.traceId });
        return;
      case 'not_found':
        await c.settle(item, { outcome: 'not_found', code: err.clerkCode, traceId: err.traceId });
        return;
      case 'key_rejected':
        await c.store.release(item.id, c.owner, { sent: false });
        await c.failJob(job, 'Clerk rejected the console key.');
        return;
      default:
        await c.settle(item, { outcome: 'failed', code: err.clerkCode ?? err.kind, traceId: err.traceId });
    }
  }
}
