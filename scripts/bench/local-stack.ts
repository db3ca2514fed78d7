// A throwaway local-mode console (embedded API in this process + `next start` of the production build) in a temp
// folder, for the load script and the benchmarks. Stopped and removed by stop().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalClerkServer } from '../../lib/local-clerk/server';
import { newWebhookSecret } from '../../lib/local-clerk/webhook-sign';
import {
  apiClient,
  distDir,
  hasBuild,
  startApi,
  startConsole,
  type ApiClient,
  type ConsoleProcess,
} from '../../lib/testing/processes';

export interface LocalStack {
  url: string;
  dataDir: string;
  api: LocalClerkServer;
  apiClient: ApiClient;
  apiKey: string;
  demoPassword: string;
  console: ConsoleProcess;
  stop(): Promise<void>;
}

export class NoBuildError extends Error {
  constructor(dir: string) {
    super(
      `no production build in ${dir}: run \`npm run build\` (or set NEXT_DIST_DIR to a folder that has one)`,
    );
  }
}

export async function startLocalStack(o: {
  rateLimit: number;
  faults?: boolean;
  port?: number;
  label: string;
  /** A webhook secret and the background fill: the console reads risk from a session index it fills itself. */
  index?: boolean;
}): Promise<LocalStack> {
  if (!hasBuild()) throw new NoBuildError(distDir());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `console-${o.label}-`));
  // Random per run: these consoles only listen on loopback and live for one run.
  const apiKey = `sk_test_${o.label.replace(/[^A-Za-z0-9]/g, '')}${randomBytes(12).toString('hex')}`;
  const demoPassword = randomBytes(12).toString('base64url');
  let api: LocalClerkServer | null = null;
  try {
    api = await startApi({
      dataDir: path.join(dataDir, 'api'),
      secretKey: apiKey,
      rateLimit: o.rateLimit,
      faults: o.faults ?? true,
    });
    const proc = await startConsole({
      port: o.port,
      apiUrl: api.url,
      apiKey,
      dataDir: path.join(dataDir, 'console'),
      demoPassword,
      instanceId: `${o.label}-console`,
      // The console's own Clerk request budget follows the same switch as the embedded API's limit (0 = off).
      env: {
        CLERK_TIMEOUT_MS: '15000',
        LOCAL_CLERK_RATE_LIMIT: String(o.rateLimit),
        ...(o.index ? { CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(), SESSION_INDEX_BACKFILL: '1' } : {}),
      },
    });
    const started = api;
    return {
      url: proc.url,
      dataDir,
      api: started,
      apiClient: apiClient(started.url, apiKey),
      apiKey,
      demoPassword,
      console: proc,
      async stop() {
        await proc.stop();
        await started.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await api?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
