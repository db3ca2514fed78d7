import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db';
import { ConsoleApiError, toConsoleApiError } from '@/lib/clerk/errors';
import { withTraceId } from '@/lib/clerk/trace';
import { runInLane } from '@/lib/clerk/lane';
import type { SessionDto } from '@/lib/clerk/dto';
import { intentById, settleIntent, settlementOf, type Settlement } from '@/lib/actions/audited';
import { auditLog, PROCESS_INSTANCE, type AuditActor, type AuditIntent, type AuditLog } from '@/lib/audit';
import { isRole } from '@/lib/vocabulary';
import { log } from '@/lib/log';
import { jobStore, type JobStore } from '@/lib/jobs/store';
import type { ClaimedItem, PageSaved } from '@/lib/jobs/store/claims';
import type { JobRow } from '@/lib/jobs/store/reads';
import { MAX_JOB_SESSIONS } from '@/lib/jobs/types';

export interface RunnerClerk {
  revokeSession(sessionId: string): Promise<SessionDto>;
  getSession(sessionId: string): Promise<SessionDto>;
  activeSessionsPage(
    userId: string,
    offset: number,
  ): Promise<{ sessions: { sessionId: string; userId: string | null }[]; next: number | null }>;
  activeSessionsOfClient(clientId: string): Promise<{ sessionId: string; userId: string | null }[]>;
}

export interface RunnerOptions {
  db: Db;
  clerk: RunnerClerk;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  owner?: string;
  now?: () => Date;
  maxAttempts?: number;
  maxBackoffMs?: number;
  onItemSettled?(item: ClaimedItem, outcome: string): void;
  maxJobSessions?: number;
  onClaimed?(item: ClaimedItem): void;
}

export interface JobRunner {
  readonly owner: string;
  stop(): Promise<void>;
  wake(): void;
  idle(): Promise<void>;
}

const ACTIVE = new Set(['active', 'pending']);

function actorOf(job: JobRow): AuditActor {
  return {
    staffId: job.actor.staffId,
    email: job.actor.email,
    role: isRole(job.actor.role) ? job.actor.role : null,
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

// If a holder vanished after recording an attempt, read back: credit it only if Clerk shows it revoked after that.
export function startRunner(o: RunnerOptions): JobRunner {
  const owner = o.owner ?? `${PROCESS_INSTANCE.id}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = o.now ?? (() => new Date());
  const store: JobStore = jobStore(o.db, { now });
  const audit: AuditLog = auditLog(o.db, { now });
  const maxAttempts = o.maxAttempts ?? 3;
  const maxBackoffMs = o.maxBackoffMs ?? 5 * 60_000;
  const cap = o.maxJobSessions ?? MAX_JOB_SESSIONS;
  const stopping = new AbortController();
  let wakeup = new AbortController();
  let pausedUntil = 0;
  let busy = 0;
  let idleWaiters: (() => void)[] = [];
  let lastClaimEmpty = false;

  const backoff = (ms: number) => {
    pausedUntil = Math.max(pausedUntil, Date.now() + Math.min(maxBackoffMs, Math.max(ms, 50)));
  };
  const inLane = <T>(job: JobRow, fn: () => Promise<T>) =>
    runInLane({ lane: 'bulk', staffId: job.actor.staffId }, fn);

  async function resolveIntent(intentId: string | null, s: Settlement) {
    if (intentId) await settleIntent(intentById(audit, intentId), s);
  }

  async function settle(item: ClaimedItem, outcome: Parameters<JobStore['finish']>[2]) {
    if (await store.finish(item.id, owner, outcome)) o.onItemSettled?.(item, outcome.outcome);
  }

  async function pauseForLostAccess(job: JobRow) {
    if (!(await store.pauseLostAccess(job.id))) return;
    log.info({ jobId: job.id }, 'job paused: its member lost access');
    await audit
      .record({
        actor: actorOf(job),
        action: 'job.pause',
        target: {},
        details: { jobId: job.id, why: 'owner_lost_access' },
        ctx: { ip: null, userAgent: null },
        outcome: 'succeeded',
      })
      .catch(() => log.error({ jobId: job.id }, 'job pause not audited'));
  }

  async function afterPage(item: ClaimedItem, job: JobRow, saved: PageSaved) {
    const what = `${item.kind === 'user' ? 'User' : 'Client'} ${item.target}`;
    if (saved === 'saved') return settle(item, { outcome: 'expanded' });
    if (saved === 'not_running') return store.release(item.id, owner, { sent: false });
    if (saved === 'job_cap') {
      await store.note(
        job.id,
        `This job reached its limit of ${cap.toLocaleString('en-US')} sessions: ${what} was not read in full, and its sessions past the limit are not revoked. Start another job for them.`,
      );
      return settle(item, { outcome: 'failed', code: 'job_session_cap' });
    }
    await store.unhold(item);
    await store.note(
      job.id,
      `${what} has sessions of more than one user: this job revokes one user's sessions, so none were added. An incident job (administrators) can revoke them.`,
    );
    return settle(item, { outcome: 'failed', code: 'second_owner' });
  }

  // Sessions stay unclaimable until the last page, so no revoke shifts the offsets; a crash resumes at the stored one.
  async function expand(item: ClaimedItem, job: JobRow) {
    const keep = job.scope.keepSessionId;
    const singleOwner = job.permission !== 'jobs:incident';
    try {
      if (item.kind === 'client') {
        const found = await inLane(job, () => o.clerk.activeSessionsOfClient(item.target));
        const saved = await store.savePage(
          item,
          owner,
          found.filter((s) => s.sessionId !== keep),
          { cursor: null, hold: false, singleOwner, cap },
        );
        return afterPage(item, job, saved);
      }
      const offset = Math.max(0, Number(item.cursor ?? 0) || 0);
      const page = await inLane(job, () => o.clerk.activeSessionsPage(item.target, offset));
      const cursor = page.next === null ? null : String(page.next);
      const saved = await store.savePage(
        item,
        owner,
        page.sessions.filter((s) => s.sessionId !== keep),
        { cursor, hold: true, singleOwner, cap },
      );
      if (saved === 'saved' && cursor !== null) return store.release(item.id, owner, { sent: false });
      return afterPage(item, job, saved);
    } catch (e) {
      const err = toConsoleApiError(e, item.kind === 'user' ? 'user' : 'client');
      if (err.kind === 'rate_limited' || err.kind === 'unavailable') {
        backoff((err.retryAfterSeconds ?? 2) * 1000);
        await store.release(item.id, owner, { sent: false });
        return;
      }
      await store.unhold(item);
      if (err.kind === 'not_found') {
        await settle(item, { outcome: 'expanded', code: 'not_found', traceId: err.traceId });
      } else if (err.kind === 'key_rejected') {
        await failJob(job, 'Clerk rejected the console key.');
      } else {
        await settle(item, { outcome: 'failed', code: err.clerkCode ?? err.kind, traceId: err.traceId });
      }
    }
  }

  async function settleByReadBack(item: ClaimedItem, job: JobRow): Promise<'settled' | 'revoke'> {
    let session: SessionDto;
    let traceId: string | null;
    try {
      ({ value: session, traceId } = await withTraceId(() =>
        inLane(job, () => o.clerk.getSession(item.target)),
      ));
    } catch (e) {
      const err = toConsoleApiError(e, 'session');
      if (err.kind === 'not_found') {
        await resolveIntent(item.intentId, {
          outcome: 'failed',
          code: 'not_found',
          details: { jobId: job.id },
        });
        await settle(item, { outcome: 'not_found', code: 'not_found', traceId: err.traceId });
        return 'settled';
      }
      if (err.kind === 'rate_limited') backoff((err.retryAfterSeconds ?? 1) * 1000);
      else backoff(1000);
      // Keep the attempt on record: whoever takes it next must read back too.
      await store.release(item.id, owner, { sent: true });
      return 'settled';
    }
    // The earlier call never took effect: the same intent goes with the fresh attempt.
    if (ACTIVE.has(session.status)) return 'revoke';
    if (session.userId && session.userId !== item.userId)
      await store.setOwner(item.id, owner, session.userId);
    const ours =
      session.status === 'revoked' && item.attemptAt && session.updatedAt >= item.attemptAt.getTime();
    if (ours) {
      await resolveIntent(item.intentId, {
        outcome: 'succeeded',
        traceId,
        details: { jobId: job.id, status: session.status, owner: session.userId, settledByReadBack: true },
      });
      await settle(item, { outcome: 'revoked', code: 'settled_by_read_back', traceId });
    } else {
      await resolveIntent(item.intentId, {
        outcome: 'failed',
        code: 'already_inactive',
        details: { jobId: job.id, status: session.status, settledByReadBack: true },
      });
      await settle(item, { outcome: 'already_inactive', code: session.status, traceId });
    }
    return 'settled';
  }

  async function ownerOf(item: ClaimedItem, job: JobRow): Promise<string | null> {
    let session: SessionDto;
    let traceId: string | null;
    try {
      ({ value: session, traceId } = await withTraceId(() =>
        inLane(job, () => o.clerk.getSession(item.target)),
      ));
    } catch (e) {
      const err = toConsoleApiError(e, 'session');
      if (err.kind === 'not_found') {
        await settle(item, { outcome: 'not_found', code: 'not_found', traceId: err.traceId });
      } else if (err.kind === 'rate_limited' || err.kind === 'unavailable') {
        backoff((err.retryAfterSeconds ?? 1) * 1000);
        await store.release(item.id, owner, { sent: false, keepIntent: true });
      } else {
        await settle(item, { outcome: 'failed', code: err.clerkCode ?? err.kind, traceId: err.traceId });
      }
      return null;
    }
    await store.setOwner(item.id, owner, session.userId);
    if (!ACTIVE.has(session.status)) {
      await settle(item, { outcome: 'already_inactive', code: session.status, traceId });
      return null;
    }
    if (job.permission !== 'jobs:incident' && (await store.hasOtherOwner(job.id, session.userId))) {
      await settle(item, { outcome: 'failed', code: 'second_owner', traceId });
      return null;
    }
    return session.userId;
  }

  async function notSent(item: ClaimedItem, job: JobRow, freshIntent: string | null) {
    const now = await store.forRunner(job.id);
    if (now && (now.state === 'running' || now.state === 'queued') && now.lostAccess)
      await pauseForLostAccess(now);
    if (!freshIntent) return;
    if (await store.keepIntent(item.id, freshIntent)) return;
    await resolveIntent(freshIntent, {
      outcome: 'failed',
      code: now?.state === 'cancelled' || now?.state === 'failed' ? 'not_attempted' : 'lease_lost',
      details: { jobId: job.id },
    });
  }

  async function revoke(item: ClaimedItem, job: JobRow) {
    const named = item.userId ?? (await ownerOf(item, job));
    if (named === null) return;
    let intentId = item.intentId;
    let fresh: string | null = null;
    if (!intentId) {
      try {
        const intent: AuditIntent = await audit.begin({
          actor: actorOf(job),
          action: 'session.revoke',
          target: { sessionId: item.target, userId: named },
          details: { reason: job.reason, jobId: job.id },
          ctx: { ip: null, userAgent: null },
        });
        intentId = fresh = intent.id;
      } catch {
        // Nothing unaudited reaches Clerk: give it back and wait for the log to come back.
        log.error({ jobId: job.id }, 'audit log unavailable; job item put back');
        backoff(5000);
        await store.release(item.id, owner, { sent: false });
        return;
      }
    }
    if (!(await store.markAttempt(item.id, owner, intentId))) {
      await notSent(item, job, fresh);
      return;
    }
    try {
      const { value: session, traceId } = await withTraceId(() =>
        inLane(job, () => o.clerk.revokeSession(item.target)),
      );
      // The owner is Clerk's answer; one that differs from the owner the job named is recorded, never hidden.
      const mismatch = session.userId !== named ? 'owner_mismatch' : null;
      if (mismatch) await store.setOwner(item.id, owner, session.userId);
      await resolveIntent(intentId, {
        outcome: 'succeeded',
        code: mismatch,
        traceId,
        details: { status: session.status, jobId: job.id, owner: session.userId },
      });
      await settle(item, { outcome: 'revoked', traceId, code: mismatch });
    } catch (e) {
      const err = e instanceof ConsoleApiError ? e : toConsoleApiError(e, 'session');
      if (err.outcomeUnknown) {
        // The revoke may have gone out: leave the attempt and its open intent for a read-back, not a retry.
        await store.release(item.id, owner, { sent: true });
        return;
      }
      const retry =
        err.kind === 'rate_limited' || (err.kind === 'unavailable' && item.attempts + 1 < maxAttempts);
      if (retry) {
        backoff((err.retryAfterSeconds ?? 1) * 1000);
        await store.release(item.id, owner, { sent: false, keepIntent: true });
        // release() forgets the attempt; an unavailable Clerk did fail it, so count it again.
        if (err.kind === 'unavailable') await store.countFailedAttempt(item.id);
        return;
      }
      await resolveIntent(intentId, { ...settlementOf(err), details: { jobId: job.id } });
      switch (err.kind) {
        case 'already_revoked':
          await settle(item, { outcome: 'already_inactive', code: err.clerkCode, traceId: err.traceId });
          return;
        case 'not_found':
          await settle(item, { outcome: 'not_found', code: err.clerkCode, traceId: err.traceId });
          return;
        case 'key_rejected':
          await store.release(item.id, owner, { sent: false });
          await failJob(job, 'Clerk rejected the console key.');
          return;
        default:
          await settle(item, { outcome: 'failed', code: err.clerkCode ?? err.kind, traceId: err.traceId });
      }
    }
  }

  async function failJob(job: JobRow, error: string) {
    if (await store.fail(job.id, error)) await auditEnd(job, 'failed');
  }

  async function auditEnd(job: JobRow, state: 'done' | 'failed') {
    const view = await store.get(job.id);
    await audit
      .record({
        actor: actorOf(job),
        action: 'job.end',
        target: {},
        details: { jobId: job.id, reason: job.reason, state, counts: view?.counts ?? null },
        ctx: { ip: null, userAgent: null },
        outcome: state === 'done' ? 'succeeded' : 'failed',
      })
      .catch(() => log.error({ jobId: job.id }, 'job end not audited'));
  }

  async function endFinishedJobs() {
    for (const id of await store.finishedButOpen()) {
      const job = await store.row(id);
      if (job && (await store.finishIfDone(id))) await auditEnd(job, 'done');
    }
  }

  async function handle(item: ClaimedItem) {
    // Read from the database for every item: a cancel, a pause or a lost access is seen at the next claim.
    const job = await store.forRunner(item.jobId);
    if (!job || (job.state !== 'queued' && job.state !== 'running')) {
      await store.release(item.id, owner, { sent: item.attemptAt !== null, keepIntent: true });
      return;
    }
    if (job.lostAccess) {
      await pauseForLostAccess(job);
      await store.release(item.id, owner, { sent: item.attemptAt !== null, keepIntent: true });
      return;
    }
    if (job.state === 'queued') await store.markRunning(job.id);
    if (item.kind !== 'session') await expand(item, job);
    else if (item.attemptAt && (await settleByReadBack(item, job)) === 'settled') {
      // settled (or put back for the next holder to read back again)
    } else await revoke({ ...item, attemptAt: null }, job);
  }

  function notifyIdle() {
    if (busy === 0 && lastClaimEmpty) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  async function worker() {
    while (!stopping.signal.aborted) {
      const wait = pausedUntil - Date.now();
      if (wait > 0) {
        await abortableSleep(wait, stopping.signal);
        continue;
      }
      let item: ClaimedItem | undefined;
      try {
        busy++;
        [item] = await store.claim(owner, o.leaseMs, 1);
        if (item) o.onClaimed?.(item);
        if (item) await handle(item);
        else await endFinishedJobs();
        lastClaimEmpty = !item;
      } catch (e) {
        if (process.env.JOBS_DEBUG) console.error(e);
        log.error(
          { err: e instanceof Error ? e.name : typeof e, itemId: item?.id ?? null },
          'job runner step failed',
        );
        if (item) await store.release(item.id, owner, { sent: true }).catch(() => {});
        backoff(o.pollMs);
      } finally {
        busy--;
      }
      if (!item) {
        notifyIdle();
        const signal = AbortSignal.any([stopping.signal, wakeup.signal]);
        await abortableSleep(o.pollMs, signal);
      }
    }
  }

  const workers = Array.from({ length: Math.max(1, o.concurrency) }, () => worker());
  return {
    owner,
    async stop() {
      stopping.abort();
      await Promise.all(workers);
    },
    wake() {
      const w = wakeup;
      wakeup = new AbortController();
      w.abort();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        lastClaimEmpty = false;
        const w = wakeup;
        wakeup = new AbortController();
        w.abort();
      });
    },
  };
}
