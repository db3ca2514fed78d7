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
}

export interface LocalClerkServer {
  url: string;
  secretKey: string;
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
  try {
    const seeded = seedStore(store, opts.seed ?? DEFAULT_SEED);
    if (seeded)
      log(
        `seeded ${seeded.users} users, ${seeded.clients} clients, ${seeded.sessions} sessions, ${seeded.templates} JWT templates in ${seeded.ms} ms`,
      );
    const key = await instanceKey(store);
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
    store.close();
    throw e;
  }

  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    secretKey: opts.secretKey ?? DEFAULT_LOCAL_CLERK_SECRET_KEY,
    close() {
      closing ??= new Promise<void>((resolve) => {
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
