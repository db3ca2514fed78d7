import 'server-only';
// First: the guarded fetch must be in place before the SDK module binds the global fetch.
import { installUpstreamFetch } from './upstream-fetch';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import type { Db } from '@/lib/db';
import { getEnv, type Env } from '@/lib/env';
import { clerkBudget, type ClerkBudget } from './budget';

installUpstreamFetch();

export const MAX_RETRY_AFTER_SECONDS = 5;
export const READ_CACHE_MS = 5_000;

export interface ClerkRuntime {
  client: ClerkClient;
  timeoutMs: number;
  maxRetryAfterSeconds: number;
  budget: (() => Promise<ClerkBudget>) | null;
  maxResponseBytes?: number;
  readCacheMs: number;
}

let runtime: ClerkRuntime | null = null;
let testRuntime: ClerkRuntime | null = null;

// Origin and key are fixed here: nothing derived from a request reaches the SDK except validated ids.
export function createConsoleClerkClient(env: Pick<Env, 'clerkSecretKey' | 'clerkApiUrl'>): ClerkClient {
  return createClerkClient({
    secretKey: env.clerkSecretKey,
    apiUrl: env.clerkApiUrl,
    // No phoning home to clerk-telemetry.com (and local mode has no network for it).
    telemetry: { disabled: true },
  });
}

export function currentRuntime(): ClerkRuntime {
  if (testRuntime) return testRuntime;
  if (!runtime) {
    const env = getEnv();
    const config = env.budget;
    // Per handle: a budget bound to a closed (then reopened) database would refuse every call.
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
