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

/** Pause before retrying a read whose connection was refused or reset. */
const NETWORK_RETRY_DELAY_MS = 150;

/** No HTTP response at all (refused, reset, DNS): the SDK reports it as `unexpected_error` without a status. */
function isConnectionFailure(e: unknown): boolean {
  return isClerkApiResponseError(e) && e.status === undefined && e.errors?.[0]?.code === 'unexpected_error';
}

export interface CallOptions {
  /** Writes are never retried and a lost answer is reported as an unknown outcome. */
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

/**
 * Pages and route handlers run outside runInLane: their staff member is the request's (cached per request by
 * React in a render). Outside a Next request there is none, and the call counts against the budget only.
 */
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

/**
 * The guard's per-request charge for one SDK call: each HTTP request the SDK sends is counted before it leaves
 * (a user list is two: /users and /users/count), or refused with "Clerk is busy for this console" unsent.
 */
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

/**
 * Throws the "busy" error when the budget would refuse a call now, counting nothing: an action checks this
 * before writing its audit intent, so a refusal leaves no intent behind (a race can still refuse the call
 * itself; its outcome is then "failed" with code rate_limited).
 */
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

/**
 * Runs one SDK call under the request budget (charged per HTTP request), the upstream guard (no redirects, a size cap, a deadline that
 * aborts) and the console's retry policy, and turns every failure into a ConsoleApiError. Reads are retried
 * once, after a 429 whose Retry-After is short enough or a refused/reset connection. Writes are never retried:
 * a revoke repeated after a lost answer would fail with 400 and hide the fact that the first one worked.
 */
export async function callClerk<T>(opts: CallOptions, fn: (client: ClerkClient) => Promise<T>): Promise<T> {
  const rt = currentRuntime();
  for (let attempt = 0; ; attempt++) {
    const metered = await charger(rt);
    const budget = metered?.budget ?? null;
    const { result, failure, requests, traceId, chargeError } = await withUpstreamGuard(
      { timeoutMs: rt.timeoutMs, maxBytes: rt.maxResponseBytes, charge: metered?.charge },
      async () => fn(rt.client),
    );
    // A refused request was never sent; the SDK reports it as a network failure, the console as "busy".
    if (chargeError !== undefined) throw chargeError;
    if (result.status === 'fulfilled') {
      if (requests > 0) {
        recordTraceId(traceId);
        return result.value;
      }
      // The SDK answered without a request through the guard: it is bound to another fetch, so none of the
      // rules above held. Refuse rather than trust an unguarded answer.
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
      // Clerk itself says stop: every instance holds off, not only the one that asked.
      await budget.pauseFor(mapped.retryAfterSeconds ?? 1).catch(() => {});
    }
    if (opts.write) {
      // No answer, or a server error: Clerk may or may not have committed the change before failing.
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
