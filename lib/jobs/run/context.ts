import 'server-only';
import type { Db } from '@/lib/db';
import type { AccountStateDto, ApiKeyDto, TrustedDeviceDto } from '@/lib/clerk/account';
import type { SessionDto } from '@/lib/clerk/dto';
import { runInLane } from '@/lib/clerk/lane';
import { intentById, settleIntent, type Settlement } from '@/lib/actions/audited';
import type { AuditActor, AuditLog } from '@/lib/audit';
import { log } from '@/lib/log';
import { isRole } from '@/lib/vocabulary';
import type { JobStore } from '@/lib/jobs/store';
import type { ClaimedItem, ItemSettled } from '@/lib/jobs/store/claims';
import type { JobRow } from '@/lib/jobs/store/reads';

export interface RunnerAccountClerk {
  state(userId: string): Promise<AccountStateDto>;
  ban(userIds: string[]): Promise<AccountStateDto[]>;
  lock(userId: string): Promise<AccountStateDto>;
  setCompromised(userId: string): Promise<AccountStateDto>;
  resetMfa(userId: string): Promise<{ userId: string }>;
  apiKeys(userId: string): Promise<ApiKeyDto[]>;
  revokeApiKey(apiKeyId: string, reason: string): Promise<ApiKeyDto>;
  trustedDevices(userId: string): Promise<TrustedDeviceDto[]>;
  revokeTrustedDevice(userId: string, deviceId: string): Promise<TrustedDeviceDto>;
}

export interface RunnerClerk {
  revokeSession(sessionId: string): Promise<SessionDto>;
  getSession(sessionId: string): Promise<SessionDto>;
  activeSessionsPage(
    userId: string,
    offset: number,
  ): Promise<{ sessions: { sessionId: string; userId: string | null }[]; next: number | null }>;
  activeSessionsOfClient(clientId: string): Promise<{ sessionId: string; userId: string | null }[]>;
  account?: RunnerAccountClerk;
}

export interface RunContext {
  db: Db;
  clerk: RunnerClerk;
  store: JobStore;
  audit: AuditLog;
  owner: string;
  cap: number;
  leaseMs: number;
  maxAttempts: number;
  backoff(ms: number): void;
  inLane<T>(job: JobRow, fn: () => Promise<T>): Promise<T>;
  settle(item: ClaimedItem, outcome: ItemSettled): Promise<void>;
  resolveIntent(intentId: string | null, s: Settlement): Promise<void>;
  failJob(job: JobRow, error: string): Promise<void>;
  pauseForLostAccess(job: JobRow): Promise<void>;
  auditEnd(job: JobRow, state: 'done' | 'failed'): Promise<void>;
}

export const NO_REQUEST = { ip: null, userAgent: null };

export function jobActor(job: JobRow): AuditActor {
  return {
    staffId: job.actor.staffId,
    email: job.actor.email,
    role: isRole(job.actor.role) ? job.actor.role : null,
  };
}

export function runContext(
  base: Pick<RunContext, 'db' | 'clerk' | 'store' | 'audit' | 'owner' | 'cap' | 'leaseMs' | 'maxAttempts'> & {
    backoff(ms: number): void;
    onItemSettled?(item: ClaimedItem, outcome: string): void;
  },
): RunContext {
  const { store, audit, owner } = base;
  async function auditEnd(job: JobRow, state: 'done' | 'failed') {
    const view = await store.get(job.id);
    await audit
      .record({
        actor: jobActor(job),
        action: 'job.end',
        target: {},
        details: {
          jobId: job.id,
          reason: job.reason,
          reasonCode: job.reasonCode,
          ticket: job.ticket,
          state,
          counts: view?.counts ?? null,
        },
        ctx: NO_REQUEST,
        outcome: state === 'done' ? 'succeeded' : 'failed',
      })
      .catch(() => log.error({ jobId: job.id }, 'job end not audited'));
  }
  return {
    ...base,
    inLane: (job, fn) => runInLane({ lane: 'bulk', staffId: job.actor.staffId }, fn),
    async settle(item, outcome) {
      if (await store.finish(item.id, owner, outcome)) base.onItemSettled?.(item, outcome.outcome);
    },
    async resolveIntent(intentId, s) {
      if (intentId) await settleIntent(intentById(audit, intentId), s);
    },
    async failJob(job, error) {
      if (await store.fail(job.id, error)) await auditEnd(job, 'failed');
    },
    async pauseForLostAccess(job) {
      if (!(await store.pauseLostAccess(job.id))) return;
      log.info({ jobId: job.id }, 'job paused: its member lost access');
      await audit
        .record({
          actor: jobActor(job),
          action: 'job.pause',
          target: {},
          details: { jobId: job.id, why: 'owner_lost_access' },
          ctx: NO_REQUEST,
          outcome: 'succeeded',
        })
        .catch(() => log.error({ jobId: job.id }, 'job pause not audited'));
    },
    auditEnd,
  };
}
