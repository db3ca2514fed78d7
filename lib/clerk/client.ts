import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { getEnv, type Env } from '@/lib/env';
import {
  ConsoleApiError,
  MESSAGES,
  isClerkApiResponseError,
  toConsoleApiError,
  type ClerkResource,
} from './errors';

export type { ClerkClient };

/** Longest Retry-After a read waits out before its single retry; beyond it the caller is told to come back. */
export const MAX_RETRY_AFTER_SECONDS = 5;
/** Pause before retrying a read whose connection was refused or reset. */
const NETWORK_RETRY_DELAY_MS = 150;

interface ClerkRuntime {
  client: ClerkClient;
  timeoutMs: number;
  maxRetryAfterSeconds: number;
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
    runtime = {
      client: createConsoleClerkClient(env),
      timeoutMs: env.clerkTimeoutMs,
      maxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS,
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
      }
    : null;
}

class UpstreamTimeout extends Error {}

/**
 * @clerk/backend 3.25.0 takes no fetch, AbortSignal or timeout (its request builder calls the global fetch
 * directly), so a call is raced against a timer. The abandoned request is left to finish in the background and
 * its result is dropped; its rejection is swallowed so it can't surface as an unhandled rejection.
 */
function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamTimeout()), ms);
  });
  call.catch(() => {});
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
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

/**
 * Runs one SDK call with a timeout and the console's retry policy, and turns every failure into a
 * ConsoleApiError. Reads are retried once, after a 429 whose Retry-After is short enough or a refused/reset
 * connection. Writes are never retried: a revoke repeated after a lost answer would fail with 400 and hide
 * the fact that the first one worked.
 */
export async function callClerk<T>(opts: CallOptions, fn: (client: ClerkClient) => Promise<T>): Promise<T> {
  const rt = currentRuntime();
  for (let attempt = 0; ; attempt++) {
    let call: Promise<T>;
    try {
      call = fn(rt.client);
    } catch (e) {
      throw toConsoleApiError(e, opts.resource);
    }
    try {
      return await withTimeout(call, rt.timeoutMs);
    } catch (e) {
      if (e instanceof UpstreamTimeout) {
        throw new ConsoleApiError({
          kind: 'unavailable',
          userMessage: opts.write ? MESSAGES.outcomeUnknown : MESSAGES.timedOut,
          outcomeUnknown: opts.write,
        });
      }
      const mapped = toConsoleApiError(e, opts.resource);
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
}
