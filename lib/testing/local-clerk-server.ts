// Test helper: the embedded API on a free port in a throwaway directory, and a plain-fetch caller for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalClerk, type LocalClerkOptions, type LocalClerkServer } from '@/lib/local-clerk/server';

export interface CallOptions {
  method?: string;
  /** Sent as-is when a string (so tests can send broken JSON); JSON-encoded otherwise. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Bearer key to send; `null` sends no Authorization header. Defaults to the server's key. */
  key?: string | null;
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface TestServer extends LocalClerkServer {
  dataDir: string;
  call<T = any>(route: string, options?: CallOptions): Promise<CallResult<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Closes the server; also removes the data directory unless `keepDir`. */
  close(keepDir?: boolean): Promise<void>;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'local-clerk-'));
}

export async function startTestServer(opts: Partial<LocalClerkOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const server = await startLocalClerk({ port: 0, rateLimit: 0, quiet: true, ...opts, dataDir });
  return {
    ...server,
    dataDir,
    async call(route, { method = 'GET', body, headers = {}, key = server.secretKey } = {}) {
      const res = await fetch(`${server.url}${route}`, {
        method,
        headers: {
          ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: any = undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close(keepDir = false) {
      await server.close();
      if (!keepDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
