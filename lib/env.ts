import 'server-only';
import * as React from 'react';
import { z } from 'zod';
import { parseApprovals, type ApprovalsConfig } from '@/lib/env/approvals';
import { parseAuth, type AuthConfig } from '@/lib/env/auth';
import { parseBudget, type BudgetConfig } from '@/lib/env/budget';
import { parseClerk, type ClerkConfig } from '@/lib/env/clerk';
import { parseStorage, type StorageConfig } from '@/lib/env/database';
import { parseJobs, parseWatchlist, type JobsConfig, type WatchlistConfig } from '@/lib/env/jobs';
import { ConfigError, flag, parse, portSchema, raw, type EnvSource } from '@/lib/env/parse';
import { parseStream, type StreamConfig } from '@/lib/env/stream';
import { parseNotify, type NotifyConfig } from '@/lib/env/notify';
import { parseReasons, type ReasonsConfig } from '@/lib/env/reasons';
import { parseWebhooks, type WebhooksConfig } from '@/lib/env/webhooks';

// The only module that reads process.env; every error names the variable and never echoes its value.

export { ConfigError };

export interface Env extends ClerkConfig, StorageConfig, AuthConfig {
  port: number;
  logLevel: string;
  budget: BudgetConfig | null;
  jobs: JobsConfig;
  watchlist: WatchlistConfig;
  stream: StreamConfig;
  notify: NotifyConfig;
  reasons: ReasonsConfig;
  webhooks: WebhooksConfig;
  approvals: ApprovalsConfig;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadEnv(source: EnvSource): Env {
  const nodeEnv = raw(source, 'NODE_ENV');
  const allowLoopbackHttp = nodeEnv === 'test' || flag(source, 'CONSOLE_ALLOW_LOOPBACK_API') === true;

  const clerk = parseClerk(source, allowLoopbackHttp);
  const storage = parseStorage(source);
  const auth = parseAuth(source, { mode: clerk.mode, nodeEnv, dataDir: storage.dataDir, allowLoopbackHttp });
  const port = parse(portSchema, raw(source, 'PORT') ?? 3000, 'PORT must be a whole number from 1 to 65535.');
  const logLevel = parse(
    z.enum(LOG_LEVELS),
    raw(source, 'LOG_LEVEL')?.toLowerCase() ?? 'info',
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`,
  );

  return deepFreeze({
    ...clerk,
    ...storage,
    ...auth,
    port,
    logLevel,
    budget: parseBudget(source, clerk.mode, clerk.clerkSecretKey),
    jobs: parseJobs(source, clerk.clerkTimeoutMs),
    watchlist: parseWatchlist(source),
    stream: parseStream(source, { allowLoopbackHttp, ...storage, authUrl: auth.authUrl, port }),
    notify: parseNotify(source, clerk.mode),
    reasons: parseReasons(source),
    webhooks: parseWebhooks(source),
    approvals: parseApprovals(source),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

type TaintUniqueValue = (message: string, lifetime: object, value: string) => void;

// React's taint API refuses to send these secrets to a browser; it exists only under react-server + experimental.taint.
function taintSecrets(env: Env): void {
  const taint = (React as unknown as Record<string, unknown>)['experimental_taintUniqueValue'];
  if (typeof taint !== 'function') return;
  const apply = taint as TaintUniqueValue;
  try {
    apply('The Clerk secret key must never be sent to the browser.', env, env.clerkSecretKey);
    apply('AUTH_SECRET must never be sent to the browser.', env, env.authSecret);
    if (env.oidc)
      apply('The OIDC client secret must never be sent to the browser.', env, env.oidc.clientSecret);
    if (env.databaseUrl) apply('DATABASE_URL must never be sent to the browser.', env, env.databaseUrl);
    if (env.databaseMigrationUrl)
      apply('DATABASE_MIGRATION_URL must never be sent to the browser.', env, env.databaseMigrationUrl);
    for (const r of env.stream.receivers)
      apply('An audit stream secret must never be sent to the browser.', env, r.secret);
    if (env.stream.ssf?.signingKey)
      apply('SSF_SIGNING_KEY must never be sent to the browser.', env, env.stream.ssf.signingKey);
    if (env.stream.ssf?.authorization)
      apply(
        'SSF_RECEIVER_AUTHORIZATION must never be sent to the browser.',
        env,
        env.stream.ssf.authorization,
      );
    if (env.notify.smtpUrl) apply('SMTP_URL must never be sent to the browser.', env, env.notify.smtpUrl);
    if (env.webhooks.signingSecret)
      apply(
        'CLERK_WEBHOOK_SIGNING_SECRET must never be sent to the browser.',
        env,
        env.webhooks.signingSecret,
      );
  } catch {
    // Tainting is defence in depth; a React build without it must not stop the console from starting.
  }
}

let cached: Env | null = null;

export function getEnv(): Env {
  if (!cached) {
    const env = loadEnv(process.env);
    taintSecrets(env);
    cached = env;
  }
  return cached;
}

export function resetEnvForTests(): void {
  if (process.env.NODE_ENV !== 'test')
    throw new Error('resetEnvForTests() is only available when NODE_ENV=test.');
  cached = null;
}
