// Starting the pieces of a local-mode console as separate processes, for the load script, the benchmarks and the
// crash / multi-instance e2e spec: the embedded API (in this process) and `next start` (a child we can SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalClerk, type LocalClerkServer } from '../local-clerk/server';
import { withoutConsoleEnv } from './console-env';
import { freePort } from './ports';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');

export function distDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXT_DIST_DIR || '.next';
}

export function hasBuild(dir = distDir()): boolean {
  return fs.existsSync(path.join(ROOT, dir, 'BUILD_ID'));
}

export interface ConsoleOptions {
  port?: number;
  apiUrl: string;
  apiKey: string;
  dataDir: string;
  demoPassword: string;
  databaseUrl?: string;
  /** Defaults to the local-mode secret file under dataDir. Two instances sharing sign-ins need the same one. */
  authSecret?: string;
  /** Which console "instance" the audit log attributes intents to (see lib/audit: restarts mark them unknown). */
  instanceId?: string;
  distDir?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface ConsoleProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** The environment the server was started with (what its lib/env parses). */
  env: Readonly<NodeJS.ProcessEnv>;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL now (a crash); resolves once the process is gone. */
  crash(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `next start` of the production build in local mode against the given embedded API. */
export async function startConsole(o: ConsoleOptions): Promise<ConsoleProcess> {
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const api = new URL(o.apiUrl);
  // Nothing inherited that the console reads (a real Clerk, another database, SSO, a seed): only what is set below.
  const env = withoutConsoleEnv(process.env);
  delete env.NEXT_DIST_DIR;
  // A test runner's loader hooks (Playwright registers its own) have no business in the server.
  if (env.NODE_OPTIONS?.includes('playwright')) delete env.NODE_OPTIONS;
  Object.assign(env, {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    CLERK_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: o.distDir ?? distDir(),
    LOCAL_CLERK_PORT: api.port,
    LOCAL_CLERK_SECRET_KEY: o.apiKey,
    DATA_DIR: o.dataDir,
    DEMO_STAFF_PASSWORD: o.demoPassword,
    AUTH_TRUST_HOST: 'true',
    AUTH_URL: url,
    LOG_LEVEL: 'warn',
    // The API is started apart from the console, so the console can't infer its limit (and with it the request
    // budget's default): none unless the caller says so in `env`.
    LOCAL_CLERK_RATE_LIMIT: '0',
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    ...(o.authSecret ? { AUTH_SECRET: o.authSecret } : {}),
    ...(o.instanceId ? { CONSOLE_INSTANCE_ID: o.instanceId } : {}),
    ...o.env,
  });
  // `node next start` is the server itself (no wrapper process), so a signal to this pid reaches the server.
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const proc: ConsoleProcess = {
    url,
    port,
    child,
    env,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(timer);
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited(child);
    },
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the console on port ${port} exited while starting:\n${out.slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`the console on port ${port} did not become healthy:\n${out.slice(-3000)}`);
    }
    await sleep(200);
  }
}

export interface ApiOptions {
  dataDir: string;
  secretKey: string;
  port?: number;
  rateLimit?: number;
  faults?: boolean;
}

/** The embedded Clerk-compatible API, seeded on first start, in this process. */
export function startApi(o: ApiOptions): Promise<LocalClerkServer> {
  return startLocalClerk({
    port: o.port ?? 0,
    dataDir: o.dataDir,
    secretKey: o.secretKey,
    rateLimit: o.rateLimit ?? 0,
    faults: o.faults ?? true,
    quiet: true,
  });
}

/** Direct calls to the embedded API (fault rules, request log, seed look-ups), never through the console. */
export function apiClient(baseUrl: string, secretKey: string) {
  async function call<T>(pathname: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    let text: string;
    // Checks share the key's rate limit with the console under test: wait out a 429 rather than fail.
    for (let attempt = 0; ; attempt++) {
      res = await fetch(`${baseUrl}${pathname}`, {
        ...init,
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      });
      text = await res.text();
      if (res.status !== 429 || attempt >= 10) break;
      await sleep(Math.min(15, Number(res.headers.get('retry-after')) || 1) * 1000);
    }
    if (!res.ok)
      throw new Error(`${init.method ?? 'GET'} ${pathname}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : null) as T;
  }
  return {
    call,
    async userIdByEmail(email: string): Promise<string> {
      const users = await call<{ id: string }[]>(`/v1/users?email_address=${encodeURIComponent(email)}`);
      if (!users[0]) throw new Error(`no seeded user ${email}`);
      return users[0].id;
    },
    /** Every session id of a user with this status (pages of 500). */
    async sessionIds(userId: string, status: string): Promise<string[]> {
      const ids: string[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await call<{ data: { id: string }[]; total_count: number }>(
          `/v1/sessions?user_id=${userId}&status=${status}&limit=500&offset=${offset}&paginated=true`,
        );
        ids.push(...page.data.map((s) => s.id));
        if (page.data.length < 500) return ids;
      }
    },
    setFaults: (rules: Record<string, unknown>[]) =>
      call('/__faults', { method: 'PUT', body: JSON.stringify({ rules }) }),
    clearFaults: () => call('/__faults', { method: 'DELETE' }),
    requests: () =>
      call<{ count: number; requests: { method: string; path: string; query: string; at: number }[] }>(
        '/__faults/requests',
      ),
    clearRequests: () => call('/__faults/requests', { method: 'DELETE' }),
  };
}
export type ApiClient = ReturnType<typeof apiClient>;

/**
 * A throwaway PostgreSQL (lib/testing/pg) run by a helper process; `url` is null when this machine has no
 * PostgreSQL binaries (and CI is not set). stop() removes the cluster.
 */
export async function startPostgresProcess(): Promise<{ url: string | null; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'lib/testing/postgres-daemon.ts')],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-5000)));
  const url = await new Promise<string | null>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string | null }).url);
    });
    child.once('exit', (code) => reject(new Error(`the PostgreSQL helper exited (${code}): ${err}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
