/**
 * `npm start`: builds the console when needed, starts the embedded Clerk-compatible API (local mode, when no
 * CLERK_SECRET_KEY is set) and the console's production server, prints both URLs, and stops both on Ctrl-C.
 * Flags: --no-build (fail instead of building), --quiet.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startLocalClerk,
  DEFAULT_LOCAL_CLERK_SECRET_KEY,
  type LocalClerkServer,
} from '../lib/local-clerk/server';
import { DEFAULT_DEMO_STAFF_PASSWORD, DEMO_STAFF } from '../lib/demo-accounts';
import { isLoopbackBindAddress } from '../lib/local-clerk/host-check';
import { liveTrafficOn, localWebhookEndpoints, localWebhookSecret } from '../lib/local-clerk/webhook-config';

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const env = process.env;
const remote = Boolean(env.CLERK_SECRET_KEY);
const port = Number(env.PORT ?? 3000);
const distDir = env.NEXT_DIST_DIR || '.next';
const dataDir = path.resolve(root, env.DATA_DIR ?? '.data');
const host = env.HOST || '127.0.0.1';

function fail(message: string): never {
  console.error(`session-console: ${message}`);
  process.exit(1);
}

function newestMtime(dir: string): number {
  let newest = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    if (!fs.existsSync(d)) continue;
    if (!fs.statSync(d).isDirectory()) {
      newest = Math.max(newest, fs.statSync(d).mtimeMs);
      continue;
    }
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) stack.push(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  }
  return newest;
}

function buildIfNeeded() {
  const buildId = path.join(root, distDir, 'BUILD_ID');
  const sources = [
    'app',
    'components',
    'lib',
    'proxy.ts',
    'next.config.ts',
    'package-lock.json',
    'instrumentation.ts',
    'instrumentation-node.ts',
  ];
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (built >= newestSource) return;
  if (args.has('--no-build')) fail(`no up-to-date build in ${distDir}: run \`npm run build\` first.`);
  console.log(
    built
      ? 'Sources changed since the last build: building…'
      : 'No build yet: building the console (about a minute)…',
  );
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) fail('the build failed (see above).');
}

async function main() {
  if (!remote && !isLoopbackBindAddress(host)) {
    fail(
      `local mode listens only on this machine (HOST=127.0.0.1, localhost or ::1), not HOST=${JSON.stringify(host)}: its demo accounts have a published password. Set CLERK_SECRET_KEY (remote mode) to serve other machines.`,
    );
  }
  buildIfNeeded();
  let api: LocalClerkServer | null = null;
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    CLERK_TELEMETRY_DISABLED: '1',
    AUTH_TRUST_HOST: 'true',
    DATA_DIR: dataDir,
  };
  if (!remote) {
    const localPort = Number(env.LOCAL_CLERK_PORT ?? 3001);
    const secretKey = env.LOCAL_CLERK_SECRET_KEY || DEFAULT_LOCAL_CLERK_SECRET_KEY;
    const webhookSecret = localWebhookSecret(dataDir, env.CLERK_WEBHOOK_SIGNING_SECRET);
    const endpoints = localWebhookEndpoints(env.LOCAL_CLERK_WEBHOOK_URL, `http://127.0.0.1:${port}`);
    api = await startLocalClerk({
      webhooks: {
        endpoints,
        secret: webhookSecret,
        retry: { baseMs: 500, maxMs: 10_000, giveUpAfterMs: 86_400_000 },
      },
      liveTraffic: liveTrafficOn(env.LOCAL_CLERK_LIVE_TRAFFIC, env.npm_lifecycle_event) ? {} : undefined,
      port: localPort,
      dataDir,
      secretKey,
      seed: env.SEED,
      rateLimit: env.LOCAL_CLERK_RATE_LIMIT === undefined ? undefined : Number(env.LOCAL_CLERK_RATE_LIMIT),
      faults: env.LOCAL_CLERK_FAULTS === '1',
      quiet: true,
    });
    childEnv.LOCAL_CLERK_PORT = String(new URL(api.url).port);
    childEnv.LOCAL_CLERK_SECRET_KEY = secretKey;
    childEnv.CLERK_WEBHOOK_SIGNING_SECRET = webhookSecret;
    // Like the simulated users, the fill from the API is for `npm start`: a test's console stays quiet unless asked.
    if (env.SESSION_INDEX_BACKFILL === undefined && env.npm_lifecycle_event !== 'start')
      childEnv.SESSION_INDEX_BACKFILL = '0';
  }
  const next = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', host],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv },
  );
  // CONSOLE_LOG_FILE keeps a copy of everything the console prints (the security suite greps it for secrets).
  const logFile = env.CONSOLE_LOG_FILE ? fs.createWriteStream(env.CONSOLE_LOG_FILE, { flags: 'a' }) : null;
  next.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    logFile?.write(chunk);
  });
  next.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    logFile?.write(chunk);
  });

  const stop = async (code = 0) => {
    next.kill('SIGTERM');
    await api?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  next.on('exit', (code) => void stop(code ?? 1));

  console.log('');
  console.log(`Session Console (${remote ? 'remote mode: Clerk' : 'local mode: embedded Clerk API'})`);
  console.log(`  console:      http://localhost:${port}`);
  if (api) {
    console.log(
      `  webhooks:     ${api.webhooks ? 'to the console (session index)' : 'off'}${api.traffic ? ', simulated users signing in' : ''}`,
    );
    console.log(
      `  embedded API: ${api.url}/v1  (key: ${api.secretKey === DEFAULT_LOCAL_CLERK_SECRET_KEY ? 'the documented default' : 'LOCAL_CLERK_SECRET_KEY'})`,
    );
    // A password chosen with DEMO_STAFF_PASSWORD is not echoed into logs; the documented default is.
    const password = env.DEMO_STAFF_PASSWORD
      ? 'the password in DEMO_STAFF_PASSWORD'
      : `password: ${DEFAULT_DEMO_STAFF_PASSWORD}`;
    console.log(`  demo accounts (${password}):`);
    for (const { email, role } of DEMO_STAFF) console.log(`    ${role.padEnd(8)} ${email}`);
  }
}

void main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
