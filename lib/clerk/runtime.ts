import 'server-only';
// First: the guarded fetch must be in place before the SDK module binds the global fetch (see upstream-fetch.ts).
import { installUpstreamFetch } from './upstream-fetch';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import type { Db } from '@/lib/db';
import { getEnv, type Env } from '@/lib/env';
import { clerkBudget, type ClerkBudget } from './budget';

installUpstreamFetch();

/** Longest Retry-After a read waits out before its single retry; beyond it the caller is told to come back. */
export const MAX_RETRY_AFTER_SECONDS = 5;
/** Users and JWT templates change rarely and pages ask for them again and again: reused this long. */
export const READ_CACHE_MS = 5_000;

export interface ClerkRuntime {
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

/** Which SDK client, deadline and request budget a Clerk call uses: the test client's, else the configured one. */
export function currentRuntime(): ClerkRuntime {
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
