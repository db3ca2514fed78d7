import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db';
import { auditLog, PROCESS_INSTANCE } from '@/lib/audit';
import { log } from '@/lib/log';
import { jobStore } from '@/lib/jobs/store';
import type { ClaimedItem } from '@/lib/jobs/store/claims';
import { MAX_JOB_SESSIONS } from '@/lib/jobs/types';
import { actOnAccount } from './run/account';
import { runContext, type RunnerClerk } from './run/context';
import { expand } from './run/expand';
import { revoke, settleByReadBack } from './run/revoke';

export type { RunnerAccountClerk, RunnerClerk } from './run/context';

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

// The claim loop: each worker claims one item at a time and hands it to its step (run/expand, run/revoke,
// run/account); a 429 or a spent budget pauses every worker of this runner.
export function startRunner(o: RunnerOptions): JobRunner {
  const owner = o.owner ?? `${PROCESS_INSTANCE.id}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = o.now ?? (() => new Date());
  const store = jobStore(o.db, { now });
  const maxBackoffMs = o.maxBackoffMs ?? 5 * 60_000;
  const stopping = new AbortController();
  let wakeup = new AbortController();
  let pausedUntil = 0;
  let busy = 0;
  let idleWaiters: (() => void)[] = [];
  let lastClaimEmpty = false;

  const c = runContext({
    db: o.db,
    clerk: o.clerk,
    store,
    audit: auditLog(o.db, { now }),
    owner,
    cap: o.maxJobSessions ?? MAX_JOB_SESSIONS,
    leaseMs: o.leaseMs,
    maxAttempts: o.maxAttempts ?? 3,
    backoff(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + Math.min(maxBackoffMs, Math.max(ms, 50)));
    },
    onItemSettled: o.onItemSettled,
  });

  async function endFinishedJobs() {
    for (const id of await store.finishedButOpen()) {
      const job = await store.row(id);
      if (job && (await store.finishIfDone(id))) await c.auditEnd(job, 'done');
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
      await c.pauseForLostAccess(job);
      await store.release(item.id, owner, { sent: item.attemptAt !== null, keepIntent: true });
      return;
    }
    if (job.state === 'queued') await store.markRunning(job.id);
    if (item.step !== null) await actOnAccount(c, item, job);
    else if (item.kind !== 'session') await expand(c, item, job);
    else if (item.attemptAt && (await settleByReadBack(c, item, job)) === 'settled') {
      // settled (or put back for the next holder to read back again)
    } else await revoke(c, { ...item, attemptAt: null }, job);
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
        c.backoff(o.pollMs);
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
