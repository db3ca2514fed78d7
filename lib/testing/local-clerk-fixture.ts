// Starts the embedded Clerk-compatible Backend API in a throwaway directory and hands back the official
// @clerk/backend client pointed at it, so every suite talks to it exactly as production code talks to Clerk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError, type ClerkAPIResponseError } from '@clerk/backend/errors';
import type { FaultRuleInput } from '@/lib/local-clerk/faults';
import { startLocalClerk, type LocalClerkOptions } from '@/lib/local-clerk/server';
import { clearConsoleEnv } from './console-env';

/** One fault-injection rule (`PUT /__faults`); `path` is a RegExp source matched against the `/v1/...` path. */
export type FaultRule = FaultRuleInput;

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  [k: string]: unknown;
}

export interface FaultControl {
  set(rules: FaultRule[]): Promise<void>;
  clear(): Promise<void>;
  requests(): Promise<{ count: number; requests: RecordedRequest[] }>;
  clearRequests(): Promise<void>;
}

export interface LocalClerkFixture {
  url: string;
  secretKey: string;
  dataDir: string;
  clerk: ClerkClient;
  /** Only usable when the fixture was started with `faults: true`. */
  faults: FaultControl;
  close(): Promise<void>;
}

/**
 * Defaults suit tests: any free port, no rate limit, quiet, a fresh temp dir (removed on close unless the caller
 * passed its own `dataDir`, e.g. to prove state survives a restart).
 */
export async function withLocalClerk(opts: Partial<LocalClerkOptions> = {}): Promise<LocalClerkFixture> {
  const ownsDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-clerk-test-'));
  let server;
  try {
    server = await startLocalClerk({ port: 0, rateLimit: 0, quiet: true, ...opts, dataDir });
  } catch (e) {
    if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const { url, secretKey } = server;
  const clerk = createClerkClient({ secretKey, apiUrl: url, telemetry: { disabled: true } });

  const control = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route} failed with ${res.status}: ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };

  const faults: FaultControl = {
    set: async (rules) => void (await control('PUT', '/__faults', { rules })),
    clear: async () => void (await control('DELETE', '/__faults')),
    requests: async () =>
      (await control('GET', '/__faults/requests')) as { count: number; requests: RecordedRequest[] },
    clearRequests: async () => void (await control('DELETE', '/__faults/requests')),
  };

  let closed = false;
  return {
    url,
    secretKey,
    dataDir,
    clerk,
    faults,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Points the console's configuration (process.env, read by the next getEnv()) at this fixture in local mode, with
 * its own data folder and nothing the shell set for the console (a live key, PostgreSQL, a seed, limits);
 * `extra` adds or overrides variables.
 */
export function useFixtureAsConsoleApi(
  fx: Pick<LocalClerkFixture, 'url' | 'secretKey'>,
  dataDir: string,
  extra: Record<string, string> = {},
): void {
  clearConsoleEnv(process.env);
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    LOCAL_CLERK_PORT: new URL(fx.url).port,
    LOCAL_CLERK_SECRET_KEY: fx.secretKey,
    CLERK_TIMEOUT_MS: '5000',
    ...extra,
  });
}

/**
 * Awaits a call that must fail and returns the SDK's error, failing the test if it resolved or threw anything else.
 * The SDK turns every non-2xx and every network failure into a ClerkAPIResponseError.
 */
export async function captureClerkError(call: Promise<unknown>): Promise<ClerkAPIResponseError> {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (e) {
    if (isClerkAPIResponseError(e)) return e;
    throw new Error(`expected a ClerkAPIResponseError, got ${String(e)}`, { cause: e });
  }
  throw new Error(`expected the call to fail, it resolved with ${JSON.stringify(outcome)?.slice(0, 300)}`);
}
