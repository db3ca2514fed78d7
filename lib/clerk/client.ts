import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClerkClient } from '@clerk/backend';
import { log } from '@/lib/log';
import type { ClerkBudget } from './budget';
import { currentLane, type LaneContext } from './lane';
import { currentRuntime, type ClerkRuntime } from './runtime';
import { recordTraceId } from './trace';
import { withUpstreamGuard } from './upstream-fetch';
import {
  ConsoleApiError,
  MESSAGES,
  isClerkApiResponseError,
  toConsoleApiError,
  type ClerkResource,
} from './errors';

export type { ClerkClient };

const NETWORK_RETRY_DELAY_MS = 150;

// The SDK reports "no HTTP response" as `unexpected_error` without a status.
function isConnectionFailure(e: unknown): boolean {
  return isClerkApiResponseError(e) && e.status === undefined && e.errors?.[0]?.code === 'unexpected_error';
}

export interface CallOptions {
  write: boolean;
  resource?: ClerkResource;
}

export function budgetSpent(retryAfterSeconds: number): ConsoleApiError {
  return new ConsoleApiError({
    kind: 'rate_limited',
    userMessage: MESSAGES.budgetSpent(retryAfterSeconds),
    retryAfterSeconds,
  });
}

async function laneWithStaff(): Promise<LaneContext> {
  const lane = currentLane();
  if (lane.staffId || lane.lane !== 'interactive' || !process.env.NEXT_RUNTIME) return lane;
  try {
    const { getCurrentStaff } = await import('@/lib/auth/require-staff');
    const staff = await getCurrentStaff();
    return staff ? { ...lane, staffId: staff.id } : lane;
  } catch {
    return lane;
  }
}

async function budgetOf(rt: ClerkRuntime): Promise<ClerkBudget | null> {
  if (!rt.budget) return null;
  try {
    return await rt.budget();
  } catch (e) {
    log.error({ err: e instanceof Error ? e.name : typeof e }, 'Clerk request budget store unavailable');
    throw new ConsoleApiError({ kind: 'unavailable', userMessage: MESSAGES.budgetUnavailable });
  }
}

async function charger(
  rt: ClerkRuntime,
): Promise<{ budget: ClerkBudget; charge: () => Promise<void> } | null> {
  const budget = await budgetOf(rt);
  if (!budget) return null;
  let lane: Promise<LaneContext> | null = null;
  const charge = async () => {
    let decision;
    try {
      decision = await budget.take(await (lane ??= laneWithStaff()));
    } catch (e) {
      log.error({ err: e instanceof Error ? e.name : typeof e }, 'Clerk request budget could not be counted');
      throw new ConsoleApiError({ kind: 'unavailable', userMessage: MESSAGES.budgetUnavailable });
    }
    if (!decision.ok) throw budgetSpent(decision.retryAfterSeconds);
  };
  return { budget, charge };
}

// Checked before the audit intent, so a refusal leaves no intent behind.
export async function assertClerkBudget(): Promise<void> {
  const budget = await budgetOf(currentRuntime());
  if (!budget) return;
  const decision = await budget.peek(await laneWithStaff()).catch(() => ({ ok: true }) as const);
  if (!decision.ok) throw budgetSpent(decision.retryAfterSeconds);
}

const GUARD_FAILURE_MESSAGE = {
  redirect: MESSAGES.unavailable,
  too_large: MESSAGES.tooLarge,
} as const;

// Writes never retry: a repeated revoke would fail with 400 and hide that the first one worked.
export async function callClerk<T>(opts: CallOptions, fn: (client: ClerkClient) => Promise<T>): Promise<T> {
  const rt = currentRuntime();
  for (let attempt = 0; ; attempt++) {
    const metered = await charger(rt);
    const budget = metered?.budget ?? null;
    const { result, failure, requests, traceId, chargeError } = await withUpstreamGuard(
      { timeoutMs: rt.timeoutMs, maxBytes: rt.maxResponseBytes, charge: metered?.charge },
      async () => fn(rt.client),
    );
    if (chargeError !== undefined) throw chargeError;
    if (result.status === 'fulfilled') {
      if (requests > 0) {
        recordTraceId(traceId);
        return result.value;
      }
      // The SDK bypassed the guard (bound to another fetch): refuse the unguarded answer.
      log.error('Clerk call bypassed the upstream guard');
      throw new ConsoleApiError({ kind: 'unavailable', userMessage: MESSAGES.unavailable });
    }
    const e = result.reason;
    if (failure === 'timeout') {
      throw new ConsoleApiError({
        kind: 'unavailable',
        userMessage: opts.write ? MESSAGES.outcomeUnknown : MESSAGES.timedOut,
        outcomeUnknown: opts.write,
      });
    }
    if (failure) {
      log.warn({ failure }, 'Clerk response refused');
      throw new ConsoleApiError({
        kind: 'unavailable',
        userMessage: opts.write ? MESSAGES.outcomeUnknown : GUARD_FAILURE_MESSAGE[failure],
        outcomeUnknown: opts.write,
      });
    }
    const mapped = toConsoleApiError(e, opts.resource);
    if (mapped.kind === 'rate_limited' && mapped.status === 429 && budget) {
      await budget.pauseFor(mapped.retryAfterSeconds ?? 1).catch(() => {});
    }
    if (opts.write) {
      // Clerk may have committed the change before failing.
      const noVerdict = mapped.kind === 'unavailable' && (mapped.status === null || mapped.status >= 500);
      if (!noVerdict) throw mapped;
      throw new ConsoleApiError({
        kind: 'unavailable',
        userMessage: MESSAGES.outcomeUnknown,
        traceId: mapped.traceId,
        status: mapped.status,
        clerkCode: mapped.clerkCode,
        outcomeUnknown: true,
      });
    }
    if (attempt > 0) throw mapped;
    if (mapped.kind === 'rate_limited') {
      const wait = mapped.retryAfterSeconds ?? 1;
      if (wait > rt.maxRetryAfterSeconds) throw mapped;
      await sleep(wait * 1000);
      continue;
    }
    if (isConnectionFailure(e)) {
      await sleep(NETWORK_RETRY_DELAY_MS);
      continue;
    }
    throw mapped;
  }
}
