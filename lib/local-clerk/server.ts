import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FaultInjector } from './faults';
import { ensurePrivateDir } from './private-files';
import { createRequestHandler } from './http';
import { ID_PREFIX, newId } from './ids';
import { SlidingWindowLimiter } from './rate-limit';
import { DEFAULT_SEED, seedStore } from './seed';
import { LocalClerkStore } from './store';
import { generateInstanceKey, type InstanceKey } from './tokens';
import { startLiveTraffic, type LiveTraffic } from './live-traffic';
import { setWebhooksOn } from './webhook-outbox';
import { startWebhookSender, type RetryPolicy, type WebhookSender } from './webhook-sender';

import { DEFAULT_LOCAL_CLERK_SECRET_KEY } from './constants';
export { DEFAULT_LOCAL_CLERK_SECRET_KEY };
export const DEFAULT_LOCAL_CLERK_PORT = 3001;
export const DEFAULT_LOCAL_CLERK_ISSUER = 'https://local-clerk.session-console.test';
/** Clerk's development-instance limit: 100 requests per 10 s per secret key. */
export const DEFAULT_LOCAL_CLERK_RATE_LIMIT = 100;
export const LOCAL_CLERK_DB_FILE = 'local-clerk.sqlite';

export interface LocalClerkOptions {
  port?: number;
  host?: string;
  dataDir: string;
  secretKey?: string;
  seed?: string;
  rateLimit?: number;
  faults?: boolean;
  issuer?: string;
  quiet?: boolean;
  /** Clerk's webhooks, signed with `secret` (whsec_…), to each endpoint; none when absent. */
  webhooks?: { endpoints: string[]; secret: string; retry?: RetryPolicy };
  /** Simulated users signing in and out (a step every `intervalMs` on average); off when absent. */
  liveTraffic?: { intervalMs?: number; auto?: boolean };
}

export interface LocalClerkServer {
  url: string;
  secretKey: string;
  webhooks: WebhookSender | null;
  traffic: LiveTraffic | null;
  close(): Promise<void>;
}

function checkOptions(o: LocalClerkOptions): void {
  const port = o.port ?? DEFAULT_LOCAL_CLERK_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`local-clerk: invalid port ${String(o.port)}`);
  const limit = o.rateLimit ?? DEFAULT_LOCAL_CLERK_RATE_LIMIT;
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError(`local-clerk: invalid rateLimit ${String(o.rateLimit)}`);
  if (o.secretKey !== undefined && !/^\S{8,}$/.test(o.secretKey)) {
    throw new RangeError('local-clerk: the secret key must be at least 8 characters with no whitespace');
  }
  if (!o.dataDir) throw new TypeError('local-clerk: dataDir is required');
}

async function instanceKey(store: LocalClerkStore): Promise<InstanceKey> {
  const stored = store.getMeta('instance_key');
  if (stored) return JSON.parse(stored) as InstanceKey;
  const key = await generateInstanceKey(store.getMeta('instance_id') ?? newId(ID_PREFIX.instance));
  // Another process may have won the race while we generated: keep whichever key was stored first.
  return JSON.parse(store.setMetaIfAbsent('instance_key', JSON.stringify(key))) as InstanceKey;
}

export async function startLocalClerk(opts: LocalClerkOptions): Promise<LocalClerkServer> {
  checkOptions(opts);
  const log = opts.quiet ? () => {} : (line: string) => console.log(`[local-clerk] ${line}`);
  const dataDir = path.resolve(opts.dataDir);
  ensurePrivateDir(dataDir);
  const store = new LocalClerkStore(path.join(dataDir, LOCAL_CLERK_DB_FILE));
  const shutdown = new AbortController();
  let server: http.Server;
  let webhooks: WebhookSender | null = null;
  let traffic: LiveTraffic | null = null;
  try {
    const seeded = seedStore(store, opts.seed ?? DEFAULT_SEED);
    if (seeded)
      log(
        `seeded ${seeded.users} users, ${seeded.clients} clients, ${seeded.sessions} sessions, ${seeded.templates} JWT templates in ${seeded.ms} ms`,
      );
    const key = await instanceKey(store);
    if (opts.webhooks?.endpoints.length) {
      webhooks = startWebhookSender({
        store,
        ...opts.webhooks,
        instanceId: key.kid,
        log: (line) => console.error(`[local-clerk] ${line}`),
      });
    } else setWebhooksOn(store.db, false);
    if (opts.liveTraffic) traffic = startLiveTraffic(store, opts.liveTraffic);
    const handler = createRequestHandler({
      store,
      secretKey: opts.secretKey ?? DEFAULT_LOCAL_CLERK_SECRET_KEY,
      issuer: opts.issuer ?? DEFAULT_LOCAL_CLERK_ISSUER,
      key,
      limiter: new SlidingWindowLimiter(opts.rateLimit ?? DEFAULT_LOCAL_CLERK_RATE_LIMIT),
      faults: opts.faults ? new FaultInjector() : null,
      shutdown: shutdown.signal,
      log,
      logError: (line) => console.error(`[local-clerk] ${line}`),
    });
    server = http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? DEFAULT_LOCAL_CLERK_PORT, opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    traffic?.close();
    await webhooks?.close();
    store.close();
    throw e;
  }

  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    secretKey: opts.secretKey ?? DEFAULT_LOCAL_CLERK_SECRET_KEY,
    webhooks,
    traffic,
    close() {
      closing ??= new Promise<void>((resolve) => {
        traffic?.close();
        void webhooks?.close();
        shutdown.abort();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
