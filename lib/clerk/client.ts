import 'server-only';
// First: the guarded fetch must be in place before the SDK module binds the global fetch (see upstream-fetch.ts).
import { installUpstreamFetch, withUpstreamGuard } from './upstream-fetch';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import type { Db } from '@/lib/db';
import { getEnv, type Env } from '@/lib/env';
import { log } from '@/lib/log';
import { clerkBudget, type ClerkBudget } from './budget';
import { currentLane, type LaneContext } from './lane';
import {
  ConsoleApiError,
  MESSAGES,
  isClerkApiResponseError,
  toConsoleApiError,
  type ClerkResource,
} from './errors';

installUpstreamFetch();

export type { ClerkClient };

/** Longest Retry-After a read waits out before its single retry; beyond it the caller is told to come back. */
export const MAX_RETRY_AFTER_SECONDS = 5;
/** Users and JWT templates change rarely and pages ask for them again and again: reused this long. */
export const READ_CACHE_MS = 5_000;
const READ_CACHE_MAX = 500;
/** Pause before retrying a read whose connection was refused or reset. */
const NETWORK_RETRY_DELAY_MS = 150;

interface ClerkRuntime {
  client: ClerkClient;
  timeoutMs: number;
  maxRetryAfterSeconds: number;
  /** Null: no budget (configured off, or a test client without one). */
  budget: (() => Promise<ClerkBudget>) | null;
  maxResponseBytes?: number;
  /** How long this instance reuses a user or the template list it read (0 in tests unless asked for). */
  readCacheMs: number;
}

let runtime: ClerkRuntime | null = null;
let testRuntime: ClerkRuntime | null = null;

/**
 * Builds the SDK client from parsed configuration. The API origin and key are fixed here, once: nothing derived
 * from a request is ever passed to the SDK except validated ids.
 */
export function createConsoleClerkClient(env: Pick<Env, 'clerkSecretKey' | 'clerkApiUrl'>): ClerkClient {
  return createClerkClient({
    secretKey: env.clerkSecretKey,
    apiUrl: env.clerkApiUrl,
    // The console must not phone home to clerk-telemetry.com, and in local mode there is no network for it anyway.
    telemetry: { disabled: true },
  });
}

function currentRuntime(): ClerkRuntime {
  if (testRuntime) return testRuntime;
  if (!runtime) {
    const env = getEnv();
    const config = env.budget;
    // Per database handle, looked up on every call: the process's database can be closed and reopened (the staff
    // CLI, tests), and a budget bound to a closed handle would refuse every call.
    const budgets = new WeakMap<Db, ClerkBudget>();
    runtime = {
      client: createConsoleClerkClient(env),
      timeoutMs: env.clerkTimeoutMs,
      maxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS,
      readCacheMs: READ_CACHE_MS,
      budget: config
        ? async () => {
            const db = await (await import('@/lib/db')).getDb();
            let budget = budgets.get(db);
            if (!budget) budgets.set(db, (budget = clerkBudget(db, config)));
            return budget;
          }
        : null,
    };
  }
  return runtime;
}

/** The process's one SDK client, built from getEnv() (or the test client, under vitest). */
export function getClerkClient(): ClerkClient {
  return currentRuntime().client;
}

export interface TestClientOptions {
  timeoutMs?: number;
  maxRetryAfterSeconds?: number;
  budget?: ClerkBudget;
  maxResponseBytes?: number;
  readCacheMs?: number;
}

/** Tests only: route every operation through `client` (null restores the configured one). */
export function setClerkClientForTests(client: ClerkClient | null, options: TestClientOptions = {}): void {
  if (process.env.NODE_ENV !== 'test')
    throw new Error('setClerkClientForTests() is only available when NODE_ENV=test.');
  testRuntime = client
    ? {
        client,
        timeoutMs: options.timeoutMs ?? 10_000,
        maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS,
        budget: options.budget ? () => Promise.resolve(options.budget!) : null,
        maxResponseBytes: options.maxResponseBytes,
        readCacheMs: options.readCacheMs ?? 0,
      }
    : null;
}

const readCaches = new WeakMap<ClerkClient, Map<string, { at: number; value: Promise<unknown> }>>();

/**
 * A short-lived per-instance memo for reads that do not change under the console's own writes (a user, the
 * template list). Calls in flight are shared too, so panels asking at once make one request; failures are not
 * kept.
 */
export function cachedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
  const rt = currentRuntime();
  if (rt.readCacheMs <= 0) return read();
  let cache = readCaches.get(rt.client);
  if (!cache) readCaches.set(rt.client, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < rt.readCacheMs) return hit.value as Promise<T>;
  const value = read();
  if (cache.size >= READ_CACHE_MAX) {
    for (const [k, v] of cache) if (now - v.at >= rt.readCacheMs) cache.delete(k);
    if (cache.size >= READ_CACHE_MAX) cache.clear();
  }
  cache.set(key, { at: now, value });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

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

// One store per process, like the guard's scopes: Next bundles this module more than once.
const TRACE_SINKS = Symbol.for('session-console.clerk-trace-sinks');
const traceSinks = ((globalThis as typeof globalThis & { [TRACE_SINKS]?: AsyncLocalStorage<TraceSink> })[
  TRACE_SINKS
] ??= new AsyncLocalStorage<TraceSink>());
interface TraceSink {
  traceId: string | null;
}

/**
 * Runs `fn` and reports Clerk's trace id of the last successful call it made (failures carry theirs on the
 * ConsoleApiError), so a job item records the trace of its revoke, not only of a failed one.
 */
export async function withTraceId<T>(fn: () => Promise<T>): Promise<{ value: T; traceId: string | null }> {
  const sink: TraceSink = { traceId: null };
  const value = await traceSinks.run(sink, fn);
  return { value, traceId: sink.traceId };
}

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
        const sink = traceSinks.getStore();
        if (sink) sink.traceId = traceId;
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
