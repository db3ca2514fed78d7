import 'server-only';
import { z } from 'zod';
import { DEFAULT_LOCAL_CLERK_SECRET_KEY } from '@/lib/local-clerk/constants';
import {
  ConfigError,
  flag,
  int,
  isLoopback,
  parse,
  parseUrl,
  portSchema,
  raw,
  type EnvSource,
} from './parse';

export type ConsoleMode = 'local' | 'remote';

export const DEFAULT_CLERK_API_URL = 'https://api.clerk.com';
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 3_600;
export const TOKEN_MAX_LIFETIME_CEILING_SECONDS = 30 * 24 * 3_600;

const secretKeySchema = z.string().regex(/^sk_(test|live)_[A-Za-z0-9_-]{16,200}$/);
const testSecretKeySchema = z.string().regex(/^sk_test_[A-Za-z0-9_-]{16,200}$/);

export interface ClerkConfig {
  mode: ConsoleMode;
  clerkSecretKey: string;
  /** Without `/v1`: the SDK appends the version segment itself. */
  clerkApiUrl: string;
  clerkTimeoutMs: number;
  localClerkPort: number;
  tokenMaxLifetimeSeconds: number;
}

// A path, query, fragment or credentials are refused, not dropped: they would point the secret key elsewhere.
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

export function parseClerk(source: EnvSource, allowLoopbackHttp: boolean): ClerkConfig {
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
    const allowCustom = flag(source, 'CLERK_API_URL_ALLOW_CUSTOM');
    // The secret key goes wherever this points: another host only when the deployer says so in so many words.
    const optedLoopback = clerkApiUrl.startsWith('http:');
    if (clerkApiUrl !== DEFAULT_CLERK_API_URL && !optedLoopback && !allowCustom) {
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

  const clerkTimeoutMs = int(
    source,
    'CLERK_TIMEOUT_MS',
    { min: 50, max: 120_000, fallback: 10_000 },
    'CLERK_TIMEOUT_MS must be a whole number of milliseconds from 50 to 120000.',
  );
  const tokenMaxLifetimeSeconds = int(
    source,
    'TOKEN_MAX_LIFETIME_SECONDS',
    { min: 30, max: TOKEN_MAX_LIFETIME_CEILING_SECONDS, fallback: DEFAULT_TOKEN_MAX_LIFETIME_SECONDS },
    `TOKEN_MAX_LIFETIME_SECONDS must be a whole number of seconds from 30 to ${TOKEN_MAX_LIFETIME_CEILING_SECONDS} (30 days).`,
  );
  return { mode, clerkSecretKey, clerkApiUrl, clerkTimeoutMs, localClerkPort, tokenMaxLifetimeSeconds };
}
