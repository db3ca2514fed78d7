import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DEMO_STAFF_PASSWORD } from '@/lib/demo-accounts';
import type { ConsoleMode } from './clerk';
import { parseOidc, type OidcConfig } from './oidc';
import { ConfigError, int, parse, parseUrl, raw, type EnvSource } from './parse';

export const AUTH_SECRET_FILE = 'auth-secret';

export interface AuthConfig {
  authSecret: string;
  /** Local mode only; always null in remote mode so demo accounts can never exist against a real instance. */
  demoStaffPassword: string | null;
  oidc: OidcConfig | null;
  authUrl: string | null;
  hsts: boolean;
  secureCookies: boolean;
  trustedProxyHops: number;
  signInMaxPerMinute: number;
  signInMaxPerAccount: number;
  signInMaxPerDevice: number;
}

// `wx` makes creation atomic when two processes start together; the loser reads the winner's file.
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

export function parseAuth(
  source: EnvSource,
  o: { mode: ConsoleMode; nodeEnv: string | undefined; dataDir: string; allowLoopbackHttp: boolean },
): AuthConfig {
  const authSecretValue = raw(source, 'AUTH_SECRET');
  let authSecret: string;
  if (authSecretValue !== undefined) {
    authSecret = parse(
      z.string().min(32).max(4096),
      authSecretValue,
      'AUTH_SECRET must be at least 32 characters long (generate one with `openssl rand -base64 32`).',
    );
  } else if (o.mode === 'remote') {
    throw new ConfigError(
      'AUTH_SECRET is required when CLERK_SECRET_KEY is set (generate one with `openssl rand -base64 32`).',
    );
  } else {
    authSecret = localAuthSecret(o.dataDir);
  }

  const demoStaffPassword =
    o.mode === 'local'
      ? parse(
          z.string().min(8).max(1024),
          raw(source, 'DEMO_STAFF_PASSWORD') ?? DEFAULT_DEMO_STAFF_PASSWORD,
          'DEMO_STAFF_PASSWORD must be 8 to 1024 characters long.',
        )
      : null;

  const oidc = parseOidc(source, o.allowLoopbackHttp);

  const authUrl = raw(source, 'AUTH_URL');
  if (authUrl !== undefined) {
    const url = parseUrl(authUrl, 'AUTH_URL');
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new ConfigError('AUTH_URL must be an http or https URL.');
  } else if (o.mode === 'remote') {
    // Without it next-auth builds its callback and redirect URLs from the request's Host and X-Forwarded-* headers.
    throw new ConfigError(
      'AUTH_URL is required when CLERK_SECRET_KEY is set (the public URL of the console, like https://console.example.com).',
    );
  }
  const trustedProxyHops = int(
    source,
    'TRUSTED_PROXY_HOPS',
    { min: 0, max: 10, fallback: 0 },
    'TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (the proxies that append to X-Forwarded-For).',
  );
  const signInMaxPerMinute = int(
    source,
    'SIGN_IN_MAX_PER_MINUTE',
    { min: 1, max: 100_000, fallback: 60 },
    'SIGN_IN_MAX_PER_MINUTE must be a whole number from 1 to 100000.',
  );
  const signInMaxPerAccount = int(
    source,
    'SIGN_IN_MAX_PER_ACCOUNT',
    { min: 1, max: 1000, fallback: 5 },
    'SIGN_IN_MAX_PER_ACCOUNT must be a whole number from 1 to 1000.',
  );
  const signInMaxPerDevice = int(
    source,
    'SIGN_IN_MAX_PER_DEVICE',
    { min: 1, max: 1000, fallback: 5 },
    'SIGN_IN_MAX_PER_DEVICE must be a whole number from 1 to 1000.',
  );
  const https = Boolean(authUrl?.startsWith('https://'));
  return {
    authSecret,
    demoStaffPassword,
    oidc,
    authUrl: authUrl ?? null,
    hsts: https,
    secureCookies: https || (o.mode === 'remote' && o.nodeEnv === 'production'),
    trustedProxyHops,
    signInMaxPerMinute,
    signInMaxPerAccount,
    signInMaxPerDevice,
  };
}
