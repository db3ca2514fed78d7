/**
 * `npm run local-clerk`: runs the embedded Clerk-compatible Backend API on its own.
 * Env: LOCAL_CLERK_PORT (3001), LOCAL_CLERK_SECRET_KEY (documented default), DATA_DIR (.data), SEED,
 * LOCAL_CLERK_RATE_LIMIT (requests per 10 s, 0 = off), LOCAL_CLERK_FAULTS=1 (fault-injection controls),
 * LOCAL_CLERK_WEBHOOK_URL (endpoints, none by default) signed with CLERK_WEBHOOK_SIGNING_SECRET (else the data
 * dir's own), LOCAL_CLERK_LIVE_TRAFFIC=on (simulated users).
 */
import path from 'node:path';
import { DEFAULT_LOCAL_CLERK_SECRET_KEY, startLocalClerk } from '../lib/local-clerk/server';
import { liveTrafficOn, localWebhookEndpoints, localWebhookSecret } from '../lib/local-clerk/webhook-config';

const env = process.env;

function intEnv(name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) {
    console.error(`local-clerk: ${name} must be a whole number, got "${raw}"`);
    process.exit(1);
  }
  return Number(raw);
}

async function main() {
  const secretKey = env.LOCAL_CLERK_SECRET_KEY || DEFAULT_LOCAL_CLERK_SECRET_KEY;
  const dataDir = path.resolve(env.DATA_DIR || '.data');
  const endpoints = localWebhookEndpoints(env.LOCAL_CLERK_WEBHOOK_URL, null);
  const server = await startLocalClerk({
    webhooks: endpoints.length
      ? { endpoints, secret: localWebhookSecret(dataDir, env.CLERK_WEBHOOK_SIGNING_SECRET) }
      : undefined,
    liveTraffic: liveTrafficOn(env.LOCAL_CLERK_LIVE_TRAFFIC, undefined) ? {} : undefined,
    port: intEnv('LOCAL_CLERK_PORT') ?? 3001,
    dataDir,
    secretKey,
    seed: env.SEED || undefined,
    rateLimit: intEnv('LOCAL_CLERK_RATE_LIMIT'),
    faults: env.LOCAL_CLERK_FAULTS === '1',
    quiet: env.LOCAL_CLERK_QUIET === '1',
  });
  console.log('');
  console.log(`Embedded Clerk Backend API on ${server.url}/v1`);
  console.log(`  apiUrl:     ${server.url}`);
  console.log(
    `  secret key: ${server.secretKey}${server.secretKey === DEFAULT_LOCAL_CLERK_SECRET_KEY ? ' (the documented default)' : ''}`,
  );
  if (env.LOCAL_CLERK_FAULTS === '1') console.log(`  faults:     ${server.url}/__faults (same key)`);
  console.log('Ctrl-C to stop.');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`local-clerk: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
