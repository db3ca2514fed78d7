import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as React from 'react';
import { DEFAULT_DEMO_STAFF_PASSWORD } from '@/lib/demo-accounts';
import { z } from 'zod';

// The only module that reads secrets from the environment. Every error names the variable and never echoes its
// value: configuration errors end up in terminals, CI logs and crash reports.

export type ConsoleMode = 'local' | 'remote';

export interface RoleRule {
  /** An exact email address, or '@domain' for everyone at that domain (lower-cased). */
  match: string;
  role: 'viewer' | 'support' | 'admin';
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  roles: RoleRule[];
  name: string;
}

export interface Env {
  mode: ConsoleMode;
  clerkSecretKey: string;
  /** An origin (scheme, host, port), without `/v1`: the SDK appends the version segment itself. */
  clerkApiUrl: string;
  /** Per-request timeout for calls to the Clerk Backend API. */
  clerkTimeoutMs: number;
  dataDir: string;
  authSecret: string;
  databaseUrl: string | null;
  /** Local mode only; always null in remote mode so demo accounts can never exist against a real instance. */
  demoStaffPassword: string | null;
  oidc: OidcConfig | null;
  port: number;
  localClerkPort: number;
  logLevel: string;
  secureCookies: boolean;
  /** The longest lifetime a minted token may have: caps both an explicit expiry and a template's own lifetime. */
  tokenMaxLifetimeSeconds: number;
  /** The console's public URL when AUTH_URL is set (always in remote mode). */
  authUrl: string | null;
  /** AUTH_URL is https: browsers are told to use nothing else (HSTS). */
  hsts: boolean;
  /** How many proxies in front of the console append to X-Forwarded-For; 0 = the socket's address is the client. */
  trustedProxyHops: number;
  /** Sign-in attempts per minute over every account and address together. */
  signInMaxPerMinute: number;
  budget: BudgetConfig | null;
  /** Migrations run over this connection (a role that owns the tables) when set; else over databaseUrl. */
  databaseMigrationUrl: string | null;
  jobs: JobsConfig;
}

/** The console's share of the Clerk instance's rate limit (see lib/clerk/budget.ts); null = no budget. */
export interface BudgetConfig {
  /** Upstream requests per 10 s, all console instances together. */
  perWindow: number;
  bulkShare: number;
  backgroundShare: number;
  /** Most of the budget one staff member's interactive calls may take. */
  staffShare: number;
  /** Longest pause a 429's Retry-After imposes on every instance; 0 = a 429 pauses nothing. */
  maxPauseSeconds: number;
}

export interface JobsConfig {
  /** Whether this process runs revocation jobs (JOBS_RUNNER=0 turns a web-only instance's runner off). */
  runner: boolean;
  /** Revokes this process has in flight at once. */
  concurrency: number;
  /** How long a claimed item is this process's before another may take it over. */
  leaseMs: number;
  /** How often an idle runner looks for work. */
  pollMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Documented in the README: the embedded API only listens on loopback, so this key guards nothing real. */
import { DEFAULT_LOCAL_CLERK_SECRET_KEY } from '@/lib/local-clerk/constants';
export { DEFAULT_LOCAL_CLERK_SECRET_KEY };
export const DEFAULT_CLERK_API_URL = 'https://api.clerk.com';
export { DEFAULT_DEMO_STAFF_PASSWORD };
export const AUTH_SECRET_FILE = 'auth-secret';
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 3_600;
export const TOKEN_MAX_LIFETIME_CEILING_SECONDS = 30 * 24 * 3_600;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const secretKeySchema = z.string().regex(/^sk_(test|live)_[A-Za-z0-9_-]{16,200}$/);
const testSecretKeySchema = z.string().regex(/^sk_test_[A-Za-z0-9_-]{16,200}$/);
const portSchema = z.coerce.number().int().min(1).max(65_535);
const printable = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x21-\x7e]+$/);

/** Empty strings count as unset: `KEY=` in an env file means "not configured", not "configured as nothing". */
function raw(source: Record<string, string | undefined>, name: string): string | undefined {
  const value = source[name];
  return value === undefined || value === '' ? undefined : value;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(message);
  return result.data;
}

function parseUrl(value: string, name: string): URL {
  // URL parsing silently strips tabs and newlines; a value containing them is a paste error, not a URL.
  if (/[\s\x00-\x1f\x7f]/.test(value))
    throw new ConfigError(`${name} must be a URL without spaces or control characters.`);
  try {
    return new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL.`);
  }
}

const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname);

/**
 * The Backend API origin. Only https, except plain http to a loopback address where the caller allows it. A path,
 * query, fragment or credentials are refused rather than dropped: they would point the secret key somewhere else.
 */
function parseApiOrigin(value: string, name: string, allowLoopbackHttp: boolean): string {
  const url = parseUrl(value, name);
  if (url.username || url.password) throw new ConfigError(`${name} must not contain credentials.`);
  if (url.pathname !== '/' || url.search || url.hash || value.includes('?') || value.includes('#')) {
    throw new ConfigError(
      `${name} must be an origin only (like https://api.clerk.com), without a path, query or fragment.`,
    );
  }
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && isLoopback(url)) {
    if (allowLoopbackHttp) return url.origin;
    throw new ConfigError(
      `${name} may use plain http only for a loopback address in tests (set CONSOLE_ALLOW_LOOPBACK_API=1).`,
    );
  }
  throw new ConfigError(`${name} must use https.`);
}

function parseRoles(value: string): RoleRule[] {
  const entries = value.split(',').map((e) => e.trim());
  const rules: RoleRule[] = [];
  const seen = new Map<string, RoleRule['role']>();
  const matchSchema = z.union([
    z.string().regex(/^[^\s@,=]+@[^\s@,=]+\.[^\s@,=]+$/),
    z.string().regex(/^@[^\s@,=]+\.[^\s@,=]+$/),
  ]);
  const roleSchema = z.enum(['viewer', 'support', 'admin']);
  entries.forEach((entry, index) => {
    const position = index + 1;
    const invalid = `AUTH_OIDC_ROLES entry ${position} is invalid: use email=role or @domain=role, with a role of viewer, support or admin.`;
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) throw new ConfigError(invalid);
    const match = parse(matchSchema, entry.slice(0, eq).trim().toLowerCase(), invalid);
    const role = parse(
      roleSchema,
      entry
        .slice(eq + 1)
        .trim()
        .toLowerCase(),
      invalid,
    );
    const prior = seen.get(match);
    if (prior !== undefined && prior !== role) {
      throw new ConfigError(
        `AUTH_OIDC_ROLES entry ${position} gives a second, different role to the same email or domain.`,
      );
    }
    if (prior === undefined) rules.push({ match, role });
    seen.set(match, role);
  });
  if (rules.length === 0)
    throw new ConfigError('AUTH_OIDC_ROLES must list at least one email=role or @domain=role rule.');
  return rules;
}

const OIDC_REQUIRED = [
  'AUTH_OIDC_ISSUER',
  'AUTH_OIDC_CLIENT_ID',
  'AUTH_OIDC_CLIENT_SECRET',
  'AUTH_OIDC_ROLES',
] as const;

function parseOidc(
  source: Record<string, string | undefined>,
  allowLoopbackHttp: boolean,
): OidcConfig | null {
  const present = [...OIDC_REQUIRED, 'AUTH_OIDC_NAME'].filter((name) => raw(source, name) !== undefined);
  if (present.length === 0) return null;
  const missing = OIDC_REQUIRED.find((name) => raw(source, name) === undefined);
  if (missing) {
    throw new ConfigError(
      `${missing} is missing: single sign-on needs AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET and AUTH_OIDC_ROLES together.`,
    );
  }
  const issuerUrl = parseUrl(raw(source, 'AUTH_OIDC_ISSUER')!, 'AUTH_OIDC_ISSUER');
  if (issuerUrl.username || issuerUrl.password || issuerUrl.search || issuerUrl.hash) {
    throw new ConfigError(
      'AUTH_OIDC_ISSUER must be a plain issuer URL, without credentials, query or fragment.',
    );
  }
  const httpAllowed = issuerUrl.protocol === 'http:' && isLoopback(issuerUrl) && allowLoopbackHttp;
  if (issuerUrl.protocol !== 'https:' && !httpAllowed)
    throw new ConfigError('AUTH_OIDC_ISSUER must use https.');
  const issuer = issuerUrl.href.replace(/\/$/, '');
  const clientId = parse(
    printable(1, 512),
    raw(source, 'AUTH_OIDC_CLIENT_ID'),
    'AUTH_OIDC_CLIENT_ID must be 1 to 512 printable characters without spaces.',
  );
  const clientSecret = parse(
    printable(8, 1024),
    raw(source, 'AUTH_OIDC_CLIENT_SECRET'),
    'AUTH_OIDC_CLIENT_SECRET must be 8 to 1024 printable characters without spaces.',
  );
  const roles = parseRoles(raw(source, 'AUTH_OIDC_ROLES')!);
  const name = parse(
    z
      .string()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[^\x00-\x1f\x7f<>]+$/),
    raw(source, 'AUTH_OIDC_NAME') ?? 'Single sign-on',
    'AUTH_OIDC_NAME must be a short label (1 to 60 characters, no angle brackets or control characters).',
  );
  return { issuer, clientId, clientSecret, roles, name };
}

/**
 * Local mode's AUTH_SECRET: created once with crypto randomness and kept next to the data so sign-ins survive
 * restarts. `wx` makes creation atomic when two processes start together; the loser reads the winner's file.
 */
function localAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, AUTH_SECRET_FILE);
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch {
    throw new ConfigError('DATA_DIR could not be created; check that the console may write there.');
  }
  const fresh = randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${fresh}\n`, { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(
        'DATA_DIR is not writable, so the local AUTH_SECRET could not be stored; check its permissions.',
      );
    }
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    throw new ConfigError('The local AUTH_SECRET file in DATA_DIR could not be read.');
  }
  // A symlink could make the console trust a secret that lives, and can be changed, somewhere else.
  if (!stat.isFile())
    throw new ConfigError(
      'The local AUTH_SECRET file in DATA_DIR is not a regular file; remove it to have a new one created.',
    );
  if ((stat.mode & 0o077) !== 0) {
    try {
      fs.chmodSync(file, 0o600);
    } catch {
      throw new ConfigError(
        'The local AUTH_SECRET file in DATA_DIR is readable by other users and its permissions could not be fixed.',
      );
    }
  }
  let stored: string;
  try {
    stored = fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new ConfigError('The local AUTH_SECRET file in DATA_DIR could not be read.');
  }
  if (stored.length < 32)
    throw new ConfigError(
      'The local AUTH_SECRET file in DATA_DIR is too short; remove it to have a new one created.',
    );
  return stored;
}

/**
 * Parses configuration from `source`. Pure apart from local mode's AUTH_SECRET file (created under DATA_DIR when
 * AUTH_SECRET is unset). Throws ConfigError with one sentence naming the offending variable.
 */
export function loadEnv(source: Record<string, string | undefined>): Env {
  const nodeEnv = raw(source, 'NODE_ENV');
  const loopbackFlag = raw(source, 'CONSOLE_ALLOW_LOOPBACK_API');
  if (loopbackFlag !== undefined && loopbackFlag !== '0' && loopbackFlag !== '1') {
    throw new ConfigError('CONSOLE_ALLOW_LOOPBACK_API must be 1 or 0.');
  }
  const allowLoopbackHttp = nodeEnv === 'test' || loopbackFlag === '1';

  const remoteKey = raw(source, 'CLERK_SECRET_KEY');
  const mode: ConsoleMode = remoteKey !== undefined ? 'remote' : 'local';
  const localClerkPort = parse(
    portSchema,
    raw(source, 'LOCAL_CLERK_PORT') ?? 3001,
    'LOCAL_CLERK_PORT must be a whole number from 1 to 65535.',
  );

  let clerkSecretKey: string;
  let clerkApiUrl: string;
  const apiUrlValue = raw(source, 'CLERK_API_URL');
  if (mode === 'remote') {
    clerkSecretKey = parse(
      secretKeySchema,
      remoteKey,
      'CLERK_SECRET_KEY must be a Clerk secret key (sk_test_… or sk_live_…).',
    );
    clerkApiUrl =
      apiUrlValue === undefined
        ? DEFAULT_CLERK_API_URL
        : parseApiOrigin(apiUrlValue, 'CLERK_API_URL', allowLoopbackHttp);
    const customFlag = raw(source, 'CLERK_API_URL_ALLOW_CUSTOM');
    if (customFlag !== undefined && customFlag !== '0' && customFlag !== '1') {
      throw new ConfigError('CLERK_API_URL_ALLOW_CUSTOM must be 1 or 0.');
    }
    // The secret key goes wherever this points: another host only when the deployer says so in so many words.
    // (Plain http only gets this far for loopback under CONSOLE_ALLOW_LOOPBACK_API or tests: an opt-in already.)
    const optedLoopback = clerkApiUrl.startsWith('http:');
    if (clerkApiUrl !== DEFAULT_CLERK_API_URL && !optedLoopback && customFlag !== '1') {
      throw new ConfigError(
        `CLERK_API_URL must be ${DEFAULT_CLERK_API_URL}; set CLERK_API_URL_ALLOW_CUSTOM=1 to send the secret key to another host.`,
      );
    }
  } else {
    clerkSecretKey = parse(
      testSecretKeySchema,
      raw(source, 'LOCAL_CLERK_SECRET_KEY') ?? DEFAULT_LOCAL_CLERK_SECRET_KEY,
      'LOCAL_CLERK_SECRET_KEY must be a test secret key (sk_test_ followed by at least 16 letters, digits, _ or -).',
    );
    // Local mode's key is public, so it may only ever be sent to an API on this machine.
    if (apiUrlValue !== undefined) {
      clerkApiUrl = parseApiOrigin(apiUrlValue, 'CLERK_API_URL', true);
      if (!isLoopback(new URL(clerkApiUrl))) {
        throw new ConfigError(
          'CLERK_API_URL must be a loopback address in local mode (set CLERK_SECRET_KEY to use a real Clerk instance).',
        );
      }
    } else {
      clerkApiUrl = `http://127.0.0.1:${localClerkPort}`;
    }
  }

  const clerkTimeoutMs = parse(
    z.coerce.number().int().min(50).max(120_000),
    raw(source, 'CLERK_TIMEOUT_MS') ?? 10_000,
    'CLERK_TIMEOUT_MS must be a whole number of milliseconds from 50 to 120000.',
  );

  const tokenMaxLifetimeSeconds = parse(
    z.coerce.number().int().min(30).max(TOKEN_MAX_LIFETIME_CEILING_SECONDS),
    raw(source, 'TOKEN_MAX_LIFETIME_SECONDS') ?? DEFAULT_TOKEN_MAX_LIFETIME_SECONDS,
    `TOKEN_MAX_LIFETIME_SECONDS must be a whole number of seconds from 30 to ${TOKEN_MAX_LIFETIME_CEILING_SECONDS} (30 days).`,
  );

  const dataDirValue = raw(source, 'DATA_DIR') ?? '.data';
  if (/[\x00-\x1f\x7f]/.test(dataDirValue))
    throw new ConfigError('DATA_DIR must be a path without control characters.');
  const dataDir = path.resolve(/* turbopackIgnore: true */ process.cwd(), dataDirValue);

  const authSecretValue = raw(source, 'AUTH_SECRET');
  let authSecret: string;
  if (authSecretValue !== undefined) {
    authSecret = parse(
      z.string().min(32).max(4096),
      authSecretValue,
      'AUTH_SECRET must be at least 32 characters long (generate one with `openssl rand -base64 32`).',
    );
  } else if (mode === 'remote') {
    throw new ConfigError(
      'AUTH_SECRET is required when CLERK_SECRET_KEY is set (generate one with `openssl rand -base64 32`).',
    );
  } else {
    authSecret = localAuthSecret(dataDir);
  }

  const databaseUrlValue = raw(source, 'DATABASE_URL');
  let databaseUrl: string | null = null;
  if (databaseUrlValue !== undefined) {
    const message = 'DATABASE_URL must be a postgres:// or postgresql:// connection URL.';
    let url: URL;
    try {
      url = new URL(databaseUrlValue);
    } catch {
      throw new ConfigError(message);
    }
    if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname)
      throw new ConfigError(message);
    databaseUrl = databaseUrlValue;
  }

  const demoStaffPassword =
    mode === 'local'
      ? parse(
          z.string().min(8).max(1024),
          raw(source, 'DEMO_STAFF_PASSWORD') ?? DEFAULT_DEMO_STAFF_PASSWORD,
          'DEMO_STAFF_PASSWORD must be 8 to 1024 characters long.',
        )
      : null;

  const oidc = parseOidc(source, allowLoopbackHttp);
  const port = parse(portSchema, raw(source, 'PORT') ?? 3000, 'PORT must be a whole number from 1 to 65535.');
  const logLevel = parse(
    z.enum(LOG_LEVELS),
    raw(source, 'LOG_LEVEL')?.toLowerCase() ?? 'info',
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`,
  );

  const budget = parseBudget(source, mode, clerkSecretKey);
  const migrationUrlValue = raw(source, 'DATABASE_MIGRATION_URL');
  let databaseMigrationUrl: string | null = null;
  if (migrationUrlValue !== undefined) {
    if (!databaseUrl) throw new ConfigError('DATABASE_MIGRATION_URL needs DATABASE_URL to be set too.');
    const message = 'DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// connection URL.';
    let url: URL;
    try {
      url = new URL(migrationUrlValue);
    } catch {
      throw new ConfigError(message);
    }
    if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname)
      throw new ConfigError(message);
    databaseMigrationUrl = migrationUrlValue;
  }

  const authUrl = raw(source, 'AUTH_URL');
  if (authUrl !== undefined) {
    const url = parseUrl(authUrl, 'AUTH_URL');
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new ConfigError('AUTH_URL must be an http or https URL.');
  } else if (mode === 'remote') {
    // Without it next-auth builds its callback and redirect URLs from the request's Host and X-Forwarded-* headers.
    throw new ConfigError(
      'AUTH_URL is required when CLERK_SECRET_KEY is set (the public URL of the console, like https://console.example.com).',
    );
  }
  const trustedProxyHops = parse(
    z.coerce.number().int().min(0).max(10),
    raw(source, 'TRUSTED_PROXY_HOPS') ?? 0,
    'TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (the proxies that append to X-Forwarded-For).',
  );
  const signInMaxPerMinute = parse(
    z.coerce.number().int().min(1).max(100_000),
    raw(source, 'SIGN_IN_MAX_PER_MINUTE') ?? 60,
    'SIGN_IN_MAX_PER_MINUTE must be a whole number from 1 to 100000.',
  );
  const secureCookies =
    Boolean(authUrl?.startsWith('https://')) || (mode === 'remote' && nodeEnv === 'production');

  const jobs = parseJobs(source, clerkTimeoutMs);

  return deepFreeze({
    jobs,
    mode,
    clerkSecretKey,
    clerkApiUrl,
    clerkTimeoutMs,
    dataDir,
    authSecret,
    databaseUrl,
    demoStaffPassword,
    oidc,
    port,
    localClerkPort,
    logLevel,
    secureCookies,
    authUrl: authUrl ?? null,
    hsts: Boolean(authUrl?.startsWith('https://')),
    trustedProxyHops,
    signInMaxPerMinute,
    budget,
    databaseMigrationUrl,
    tokenMaxLifetimeSeconds,
  });
}

const shareSchema = z.coerce.number().gt(0).max(1);

/**
 * Half the instance's limit unless CLERK_RATE_BUDGET says otherwise: Clerk allows 100 requests / 10 s to a
 * development instance (sk_test_) and 1,000 to a production one (sk_live_), and the product needs the rest.
 */
function parseBudget(
  source: Record<string, string | undefined>,
  mode: ConsoleMode,
  secretKey: string,
): BudgetConfig | null {
  const explicit = raw(source, 'CLERK_RATE_BUDGET');
  let perWindow: number;
  if (explicit !== undefined) {
    if (explicit === 'off') return null;
    perWindow = parse(
      z.coerce.number().int().min(1).max(100_000),
      explicit,
      'CLERK_RATE_BUDGET must be a whole number of requests per 10 s from 1 to 100000, or off.',
    );
  } else if (mode === 'local') {
    const limit = parse(
      z.coerce.number().int().min(0).max(1_000_000),
      raw(source, 'LOCAL_CLERK_RATE_LIMIT') ?? 100,
      'LOCAL_CLERK_RATE_LIMIT must be a whole number of requests per 10 s (0 = no limit).',
    );
    // No limit upstream, nothing to share: the load benchmark runs this way.
    if (limit === 0) return null;
    perWindow = Math.max(1, Math.floor(limit / 2));
  } else {
    perWindow = secretKey.startsWith('sk_live_') ? 500 : 50;
  }
  const share = (name: string, fallback: number) =>
    parse(shareSchema, raw(source, name) ?? fallback, `${name} must be a fraction above 0 and at most 1.`);
  const bulkShare = share('CLERK_BUDGET_BULK_SHARE', 0.4);
  const backgroundShare = share('CLERK_BUDGET_BACKGROUND_SHARE', 0.1);
  if (bulkShare + backgroundShare > 0.9) {
    throw new ConfigError(
      'CLERK_BUDGET_BULK_SHARE and CLERK_BUDGET_BACKGROUND_SHARE together must leave at least 0.1 for pages and actions.',
    );
  }
  const staffShare = share('CLERK_BUDGET_STAFF_SHARE', 0.3);
  const maxPauseSeconds = parse(
    z.coerce.number().int().min(0).max(3600),
    raw(source, 'CLERK_BUDGET_MAX_PAUSE_SECONDS') ?? 60,
    'CLERK_BUDGET_MAX_PAUSE_SECONDS must be a whole number of seconds from 0 to 3600.',
  );
  return { perWindow, bulkShare, backgroundShare, staffShare, maxPauseSeconds };
}

function parseJobs(source: Record<string, string | undefined>, clerkTimeoutMs: number): JobsConfig {
  const runnerFlag = raw(source, 'JOBS_RUNNER');
  if (runnerFlag !== undefined && runnerFlag !== '0' && runnerFlag !== '1')
    throw new ConfigError('JOBS_RUNNER must be 1 or 0.');
  const concurrency = parse(
    z.coerce.number().int().min(1).max(32),
    raw(source, 'JOBS_CONCURRENCY') ?? 8,
    'JOBS_CONCURRENCY must be a whole number from 1 to 32.',
  );
  const leaseSeconds = parse(
    z.coerce.number().int().min(5).max(3600),
    raw(source, 'JOBS_LEASE_SECONDS') ?? 30,
    'JOBS_LEASE_SECONDS must be a whole number of seconds from 5 to 3600.',
  );
  // A lease shorter than one Clerk call would let a second instance take over an item whose revoke is still
  // in flight; it would then read the session back (no double revoke) but the work would be done twice.
  if (leaseSeconds * 1000 < 2 * clerkTimeoutMs)
    throw new ConfigError('JOBS_LEASE_SECONDS must be at least twice CLERK_TIMEOUT_MS.');
  const pollMs = parse(
    z.coerce.number().int().min(20).max(60_000),
    raw(source, 'JOBS_POLL_MS') ?? 1000,
    'JOBS_POLL_MS must be a whole number of milliseconds from 20 to 60000.',
  );
  return { runner: runnerFlag !== '0', concurrency, leaseMs: leaseSeconds * 1000, pollMs };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

type TaintUniqueValue = (message: string, lifetime: object, value: string) => void;

/**
 * React's taint API makes React refuse to serialize these strings into a Client Component or an action result,
 * so a slip that would send a secret to a browser fails loudly instead. It only exists under the react-server
 * condition with `experimental.taint`; elsewhere (vitest, scripts) this is a no-op.
 */
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
  } catch {
    // Tainting is defence in depth; a React build without it must not stop the console from starting.
  }
}

let cached: Env | null = null;

/** The process configuration, parsed once: nothing a request does can change it afterwards. */
export function getEnv(): Env {
  if (!cached) {
    const env = loadEnv(process.env);
    taintSecrets(env);
    cached = env;
  }
  return cached;
}

/** Tests only: forget the parsed configuration so the next getEnv() reads process.env again. */
export function resetEnvForTests(): void {
  if (process.env.NODE_ENV !== 'test')
    throw new Error('resetEnvForTests() is only available when NODE_ENV=test.');
  cached = null;
}
