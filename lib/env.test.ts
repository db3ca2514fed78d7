import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOCAL_CLERK_SECRET_KEY } from '@/lib/local-clerk/constants';
import { ConfigError, getEnv, loadEnv, resetEnvForTests } from './env';

const dirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-env-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const LIVE_KEY = `sk_live_${'Q'.repeat(12)}CANARYkey${'7'.repeat(12)}`;
const AUTH_SECRET = 'a-perfectly-long-auth-secret-0123456789';

function remote(extra: Record<string, string | undefined> = {}) {
  return {
    CLERK_SECRET_KEY: LIVE_KEY,
    AUTH_SECRET,
    AUTH_URL: 'https://console.example.com',
    DATA_DIR: tmpDir(),
    ...extra,
  };
}

/** One sentence that names the variable and never contains the offending value. */
function expectConfigError(source: Record<string, string | undefined>, variable: string, value?: string) {
  let thrown: unknown;
  try {
    loadEnv(source);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  const message = (thrown as ConfigError).message;
  expect(message).toContain(variable);
  expect(message).not.toContain('\n');
  expect(message).toMatch(/\.$/);
  if (value) expect(message).not.toContain(value);
  return message;
}

describe('local mode', () => {
  it('is chosen when CLERK_SECRET_KEY is unset (or empty) and uses the embedded API on loopback', () => {
    for (const key of [undefined, '']) {
      const env = loadEnv({ CLERK_SECRET_KEY: key, DATA_DIR: tmpDir() });
      expect(env.mode).toBe('local');
      expect(env.clerkSecretKey).toBe(DEFAULT_LOCAL_CLERK_SECRET_KEY);
      expect(env.clerkApiUrl).toBe('http://127.0.0.1:3001');
      expect(env.demoStaffPassword).toBe('console-demo-password');
      expect(env.databaseUrl).toBeNull();
      expect(env.oidc).toBeNull();
      expect(env.port).toBe(3000);
      expect(env.logLevel).toBe('info');
      expect(env.clerkTimeoutMs).toBe(10_000);
      expect(env.secureCookies).toBe(false);
    }
  });

  it('follows LOCAL_CLERK_PORT, LOCAL_CLERK_SECRET_KEY and DEMO_STAFF_PASSWORD', () => {
    const key = `sk_test_${'k'.repeat(24)}`;
    const env = loadEnv({
      DATA_DIR: tmpDir(),
      LOCAL_CLERK_PORT: '4123',
      LOCAL_CLERK_SECRET_KEY: key,
      DEMO_STAFF_PASSWORD: 'another-password',
    });
    expect(env.clerkApiUrl).toBe('http://127.0.0.1:4123');
    expect(env.localClerkPort).toBe(4123);
    expect(env.clerkSecretKey).toBe(key);
    expect(env.demoStaffPassword).toBe('another-password');
  });

  it('only accepts a test key as LOCAL_CLERK_SECRET_KEY', () => {
    expectConfigError(
      { DATA_DIR: tmpDir(), LOCAL_CLERK_SECRET_KEY: LIVE_KEY },
      'LOCAL_CLERK_SECRET_KEY',
      LIVE_KEY,
    );
  });

  it('accepts CLERK_API_URL only on loopback (plain http is fine there)', () => {
    expect(loadEnv({ DATA_DIR: tmpDir(), CLERK_API_URL: 'http://localhost:4999' }).clerkApiUrl).toBe(
      'http://localhost:4999',
    );
    expect(loadEnv({ DATA_DIR: tmpDir(), CLERK_API_URL: 'http://[::1]:4999/' }).clerkApiUrl).toBe(
      'http://[::1]:4999',
    );
    expectConfigError({ DATA_DIR: tmpDir(), CLERK_API_URL: 'https://api.clerk.com' }, 'CLERK_API_URL');
    expectConfigError(
      { DATA_DIR: tmpDir(), CLERK_API_URL: 'http://127.0.0.1.evil.example' },
      'CLERK_API_URL',
    );
  });

  it('generates AUTH_SECRET once, stores it with mode 0600 and reuses it', () => {
    const dataDir = path.join(tmpDir(), 'nested', 'data');
    const first = loadEnv({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'auth-secret');
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.authSecret);
    expect(loadEnv({ DATA_DIR: dataDir }).authSecret).toBe(first.authSecret);
    expect(loadEnv({ DATA_DIR: tmpDir() }).authSecret).not.toBe(first.authSecret);
  });

  it('resolves a relative DATA_DIR to an absolute path', () => {
    const base = tmpDir();
    const cwd = process.cwd();
    process.chdir(base);
    try {
      expect(loadEnv({ DATA_DIR: 'rel-data' }).dataDir).toBe(path.join(fs.realpathSync(base), 'rel-data'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('prefers an explicit AUTH_SECRET and writes no file', () => {
    const dataDir = tmpDir();
    expect(loadEnv({ DATA_DIR: dataDir, AUTH_SECRET }).authSecret).toBe(AUTH_SECRET);
    expect(fs.existsSync(path.join(dataDir, 'auth-secret'))).toBe(false);
  });

  it('tightens a stored secret readable by others, and refuses a symlinked or truncated one', () => {
    const loose = tmpDir();
    fs.writeFileSync(path.join(loose, 'auth-secret'), 'x'.repeat(40), { mode: 0o644 });
    fs.chmodSync(path.join(loose, 'auth-secret'), 0o644);
    expect(loadEnv({ DATA_DIR: loose }).authSecret).toBe('x'.repeat(40));
    expect(fs.statSync(path.join(loose, 'auth-secret')).mode & 0o777).toBe(0o600);

    const linked = tmpDir();
    const elsewhere = path.join(tmpDir(), 'planted');
    fs.writeFileSync(elsewhere, 'y'.repeat(40));
    fs.symlinkSync(elsewhere, path.join(linked, 'auth-secret'));
    expectConfigError({ DATA_DIR: linked }, 'DATA_DIR', 'y'.repeat(40));

    const short = tmpDir();
    fs.writeFileSync(path.join(short, 'auth-secret'), 'tooshort', { mode: 0o600 });
    expectConfigError({ DATA_DIR: short }, 'AUTH_SECRET', 'tooshort');
  });
});

describe('remote mode', () => {
  it('is chosen when CLERK_SECRET_KEY is set, with Clerk as the default API and no demo password', () => {
    const env = loadEnv(remote({ DEMO_STAFF_PASSWORD: 'should-be-ignored' }));
    expect(env.mode).toBe('remote');
    expect(env.clerkSecretKey).toBe(LIVE_KEY);
    expect(env.clerkApiUrl).toBe('https://api.clerk.com');
    expect(env.demoStaffPassword).toBeNull();
    expect(fs.existsSync(path.join(env.dataDir, 'auth-secret'))).toBe(false);
  });

  it.each([
    ['a publishable key', `pk_test_${'a'.repeat(30)}`],
    ['an unknown environment', `sk_prod_${'a'.repeat(30)}`],
    ['a too-short key', 'sk_test_abc'],
    ['a key with a trailing newline', `sk_test_${'a'.repeat(30)}\n`],
    ['a key with a space', `sk_test_${'a'.repeat(15)} ${'a'.repeat(15)}`],
    ['a key with a slash', `sk_test_${'a'.repeat(15)}/${'a'.repeat(15)}`],
  ])('rejects %s as CLERK_SECRET_KEY without printing it', (_label, key) => {
    expectConfigError(remote({ CLERK_SECRET_KEY: key }), 'CLERK_SECRET_KEY', key.trim());
  });

  it('requires a long AUTH_SECRET', () => {
    expectConfigError(remote({ AUTH_SECRET: undefined }), 'AUTH_SECRET');
    expectConfigError(remote({ AUTH_SECRET: 'short-CANARY-secret' }), 'AUTH_SECRET', 'short-CANARY-secret');
  });

  it('accepts an https origin for CLERK_API_URL and normalises it', () => {
    expect(loadEnv(remote({ CLERK_API_URL: 'https://api.clerk.com/' })).clerkApiUrl).toBe(
      'https://api.clerk.com',
    );
    expect(
      loadEnv(remote({ CLERK_API_URL: 'https://bapi.example.com:8443', CLERK_API_URL_ALLOW_CUSTOM: '1' }))
        .clerkApiUrl,
    ).toBe('https://bapi.example.com:8443');
  });

  it('refuses a CLERK_API_URL other than api.clerk.com unless CLERK_API_URL_ALLOW_CUSTOM=1', () => {
    const message = expectConfigError(
      remote({ CLERK_API_URL: 'https://attacker.example' }),
      'CLERK_API_URL_ALLOW_CUSTOM',
    );
    expect(message).toContain('https://api.clerk.com');
    expectConfigError(
      remote({ CLERK_API_URL: 'https://attacker.example', CLERK_API_URL_ALLOW_CUSTOM: '0' }),
      'CLERK_API_URL',
    );
    expectConfigError(
      remote({ CLERK_API_URL: 'https://attacker.example', CLERK_API_URL_ALLOW_CUSTOM: 'yes' }),
      'CLERK_API_URL_ALLOW_CUSTOM',
    );
  });

  it('defaults the request budget to half the instance limit the key implies', () => {
    expect(loadEnv(remote({})).budget?.perWindow).toBe(500);
    expect(loadEnv(remote({ CLERK_SECRET_KEY: `sk_test_${'a'.repeat(30)}` })).budget?.perWindow).toBe(50);
    expect(loadEnv({ DATA_DIR: tmpDir() }).budget?.perWindow).toBe(50);
    expect(loadEnv({ DATA_DIR: tmpDir(), LOCAL_CLERK_RATE_LIMIT: '2000' }).budget?.perWindow).toBe(1000);
    expect(loadEnv({ DATA_DIR: tmpDir(), LOCAL_CLERK_RATE_LIMIT: '0' }).budget).toBeNull();
    expect(
      loadEnv({ DATA_DIR: tmpDir(), LOCAL_CLERK_RATE_LIMIT: '0', CLERK_RATE_BUDGET: '30' }).budget?.perWindow,
    ).toBe(30);
    expect(loadEnv(remote({ CLERK_RATE_BUDGET: 'off' })).budget).toBeNull();
    expect(loadEnv(remote({})).budget).toMatchObject({
      bulkShare: 0.4,
      backgroundShare: 0.1,
      staffShare: 0.3,
    });
    expectConfigError(remote({ CLERK_RATE_BUDGET: '0' }), 'CLERK_RATE_BUDGET');
    expectConfigError(remote({ CLERK_BUDGET_BULK_SHARE: '1.5' }), 'CLERK_BUDGET_BULK_SHARE');
    expectConfigError(
      remote({ CLERK_BUDGET_BULK_SHARE: '0.8', CLERK_BUDGET_BACKGROUND_SHARE: '0.2' }),
      'CLERK_BUDGET_BULK_SHARE',
    );
  });

  it('accepts DATABASE_MIGRATION_URL only alongside DATABASE_URL', () => {
    const pgUrl = 'postgres://console@db.internal/console';
    const owner = 'postgres://owner:CANARYowner@db.internal/console';
    expect(loadEnv(remote({ DATABASE_URL: pgUrl, DATABASE_MIGRATION_URL: owner })).databaseMigrationUrl).toBe(
      owner,
    );
    expectConfigError(remote({ DATABASE_MIGRATION_URL: owner }), 'DATABASE_MIGRATION_URL', 'CANARYowner');
    expectConfigError(
      remote({ DATABASE_URL: pgUrl, DATABASE_MIGRATION_URL: 'mysql://CANARYowner@x/y' }),
      'DATABASE_MIGRATION_URL',
      'CANARYowner',
    );
  });

  it.each([
    ['plain http', 'http://api.clerk.com'],
    ['a path', 'https://api.clerk.com/v1'],
    ['a path prefix', 'https://proxy.example.com/clerk'],
    ['a query', 'https://api.clerk.com/?x=1'],
    ['an empty query', 'https://api.clerk.com?'],
    ['a fragment', 'https://api.clerk.com/#x'],
    ['credentials', 'https://user:CANARYpass@api.clerk.com'],
    ['another scheme', 'javascript:alert(1)'],
    ['a file URL', 'file:///etc/passwd'],
    ['whitespace', 'https://api.clerk.com\n'],
    ['garbage', 'not a url'],
  ])('rejects CLERK_API_URL with %s', (_label, url) => {
    const message = expectConfigError(remote({ CLERK_API_URL: url }), 'CLERK_API_URL');
    expect(message).not.toContain('CANARYpass');
  });

  it('allows loopback http for the API only in tests or with CONSOLE_ALLOW_LOOPBACK_API=1', () => {
    const url = 'http://127.0.0.1:4010';
    expectConfigError(remote({ CLERK_API_URL: url }), 'CLERK_API_URL');
    expectConfigError(remote({ CLERK_API_URL: url, NODE_ENV: 'production' }), 'CLERK_API_URL');
    expect(loadEnv(remote({ CLERK_API_URL: url, NODE_ENV: 'test' })).clerkApiUrl).toBe(url);
    expect(loadEnv(remote({ CLERK_API_URL: url, CONSOLE_ALLOW_LOOPBACK_API: '1' })).clerkApiUrl).toBe(url);
    expectConfigError(remote({ CLERK_API_URL: 'http://10.0.0.5:4010', NODE_ENV: 'test' }), 'CLERK_API_URL');
    expectConfigError(remote({ CONSOLE_ALLOW_LOOPBACK_API: 'yes' }), 'CONSOLE_ALLOW_LOOPBACK_API');
  });

  it('sets secure cookies for an https AUTH_URL, or in production', () => {
    expect(loadEnv(remote({ AUTH_URL: 'https://console.example.com' })).secureCookies).toBe(true);
    expect(loadEnv(remote({ AUTH_URL: 'http://localhost:3000' })).secureCookies).toBe(false);
    expect(
      loadEnv(remote({ AUTH_URL: 'http://console.internal:3000', NODE_ENV: 'production' })).secureCookies,
    ).toBe(true);
    expect(loadEnv({ DATA_DIR: tmpDir(), NODE_ENV: 'production' }).secureCookies).toBe(false);
    expectConfigError(remote({ AUTH_URL: 'ftp://x' }), 'AUTH_URL');
  });

  it('refuses to start without AUTH_URL, in one sentence', () => {
    for (const value of [undefined, '']) {
      const message = expectConfigError(remote({ AUTH_URL: value }), 'AUTH_URL');
      expect(message.split('. ').length).toBe(1);
    }
  });

  it('turns on HSTS only for an https AUTH_URL', () => {
    expect(loadEnv(remote()).hsts).toBe(true);
    expect(loadEnv(remote({ AUTH_URL: 'http://localhost:3000' })).hsts).toBe(false);
    expect(loadEnv({ DATA_DIR: tmpDir() }).hsts).toBe(false);
    expect(loadEnv({ DATA_DIR: tmpDir(), AUTH_URL: 'https://console.example.com' }).hsts).toBe(true);
  });
});

describe('client address and sign-in caps', () => {
  it('trusts no forwarding proxy and caps sign-ins at 60 a minute by default', () => {
    const env = loadEnv({ DATA_DIR: tmpDir() });
    expect(env.trustedProxyHops).toBe(0);
    expect(env.signInMaxPerMinute).toBe(60);
    expect(env.signInMaxPerAccount).toBe(5);
    expect(env.signInMaxPerDevice).toBe(5);
  });

  it('reads SIGN_IN_MAX_PER_ACCOUNT and SIGN_IN_MAX_PER_DEVICE', () => {
    const env = loadEnv({ DATA_DIR: tmpDir(), SIGN_IN_MAX_PER_ACCOUNT: '8', SIGN_IN_MAX_PER_DEVICE: '3' });
    expect(env.signInMaxPerAccount).toBe(8);
    expect(env.signInMaxPerDevice).toBe(3);
  });

  it('reads TRUSTED_PROXY_HOPS and SIGN_IN_MAX_PER_MINUTE', () => {
    const env = loadEnv({ DATA_DIR: tmpDir(), TRUSTED_PROXY_HOPS: '2', SIGN_IN_MAX_PER_MINUTE: '500' });
    expect(env.trustedProxyHops).toBe(2);
    expect(env.signInMaxPerMinute).toBe(500);
  });

  it.each([
    ['TRUSTED_PROXY_HOPS', '-1'],
    ['TRUSTED_PROXY_HOPS', 'all'],
    ['TRUSTED_PROXY_HOPS', '1.5'],
    ['SIGN_IN_MAX_PER_MINUTE', '0'],
    ['SIGN_IN_MAX_PER_MINUTE', 'lots'],
    ['SIGN_IN_MAX_PER_ACCOUNT', '0'],
    ['SIGN_IN_MAX_PER_DEVICE', '1001'],
  ])('refuses %s=%s', (name, value) => {
    expectConfigError({ DATA_DIR: tmpDir(), [name]: value }, name);
  });
});

describe('other variables', () => {
  it('parses DATABASE_URL without ever printing it', () => {
    const url = 'postgres://console:CANARYpw@db.internal:5432/console';
    expect(loadEnv(remote({ DATABASE_URL: url })).databaseUrl).toBe(url);
    expect(loadEnv(remote({ DATABASE_URL: 'postgresql://db/console' })).databaseUrl).toBe(
      'postgresql://db/console',
    );
    expectConfigError(
      remote({ DATABASE_URL: 'mysql://root:CANARYpw@db/console' }),
      'DATABASE_URL',
      'CANARYpw',
    );
    expectConfigError(remote({ DATABASE_URL: 'CANARYpw' }), 'DATABASE_URL', 'CANARYpw');
  });

  it('validates PORT, LOCAL_CLERK_PORT, LOG_LEVEL, CLERK_TIMEOUT_MS and DEMO_STAFF_PASSWORD', () => {
    expect(loadEnv(remote({ PORT: '8080', LOG_LEVEL: 'DEBUG', CLERK_TIMEOUT_MS: '2500' }))).toMatchObject({
      port: 8080,
      logLevel: 'debug',
      clerkTimeoutMs: 2500,
    });
    for (const port of ['0', '65536', 'abc', '80.5']) expectConfigError(remote({ PORT: port }), 'PORT');
    expectConfigError({ DATA_DIR: tmpDir(), LOCAL_CLERK_PORT: '-1' }, 'LOCAL_CLERK_PORT');
    expectConfigError(remote({ LOG_LEVEL: 'verbose' }), 'LOG_LEVEL');
    expectConfigError(remote({ CLERK_TIMEOUT_MS: '10' }), 'CLERK_TIMEOUT_MS');
    expectConfigError({ DATA_DIR: tmpDir(), DEMO_STAFF_PASSWORD: 'short' }, 'DEMO_STAFF_PASSWORD', 'short');
  });

  it('caps minted tokens at TOKEN_MAX_LIFETIME_SECONDS: one hour unless set, never above 30 days', () => {
    expect(loadEnv(remote({})).tokenMaxLifetimeSeconds).toBe(3_600);
    expect(loadEnv(remote({ TOKEN_MAX_LIFETIME_SECONDS: '600' })).tokenMaxLifetimeSeconds).toBe(600);
    for (const value of ['29', '2592001', '315360000', '1.5', 'abc', '-60'])
      expectConfigError(remote({ TOKEN_MAX_LIFETIME_SECONDS: value }), 'TOKEN_MAX_LIFETIME_SECONDS');
  });

  it('reads the watchlist scan settings, with defaults, and refuses nonsense', () => {
    expect(loadEnv(remote()).watchlist).toEqual({ intervalSeconds: 120, maxRequests: 60, windowHours: 24 });
    expect(
      loadEnv(
        remote({
          WATCHLIST_INTERVAL_SECONDS: '0',
          WATCHLIST_MAX_REQUESTS: '12',
          WATCHLIST_WINDOW_HOURS: '6',
        }),
      ).watchlist,
    ).toEqual({ intervalSeconds: 0, maxRequests: 12, windowHours: 6 });
    for (const v of ['-1', '1.5', 'often'])
      expectConfigError(remote({ WATCHLIST_INTERVAL_SECONDS: v }), 'WATCHLIST_INTERVAL_SECONDS');
    for (const v of ['1', '5000'])
      expectConfigError(remote({ WATCHLIST_MAX_REQUESTS: v }), 'WATCHLIST_MAX_REQUESTS');
    expectConfigError(remote({ WATCHLIST_WINDOW_HOURS: '0' }), 'WATCHLIST_WINDOW_HOURS');
  });
});

describe('single sign-on', () => {
  const oidc = {
    AUTH_OIDC_ISSUER: 'https://login.example.com/tenant/v2.0/',
    AUTH_OIDC_CLIENT_ID: 'console-client',
    AUTH_OIDC_CLIENT_SECRET: 'CANARY-oidc-client-secret',
    AUTH_OIDC_ROLES: 'Alice@Corp.com=admin, @corp.com=viewer,bob@corp.com=SUPPORT',
  };

  it('parses a complete configuration, lower-casing role rules', () => {
    const env = loadEnv(remote(oidc));
    expect(env.oidc).toEqual({
      issuer: 'https://login.example.com/tenant/v2.0',
      clientId: 'console-client',
      clientSecret: 'CANARY-oidc-client-secret',
      roles: [
        { match: 'alice@corp.com', role: 'admin' },
        { match: '@corp.com', role: 'viewer' },
        { match: 'bob@corp.com', role: 'support' },
      ],
      name: 'Single sign-on',
    });
    expect(loadEnv(remote({ ...oidc, AUTH_OIDC_NAME: 'Corp SSO' })).oidc?.name).toBe('Corp SSO');
  });

  it.each(['AUTH_OIDC_ISSUER', 'AUTH_OIDC_CLIENT_ID', 'AUTH_OIDC_CLIENT_SECRET', 'AUTH_OIDC_ROLES'])(
    'is all-or-none: missing %s',
    (name) => {
      expectConfigError(remote({ ...oidc, [name]: undefined }), name, 'CANARY-oidc-client-secret');
    },
  );

  it('treats AUTH_OIDC_NAME alone as an incomplete configuration', () => {
    expectConfigError(remote({ AUTH_OIDC_NAME: 'Corp SSO' }), 'AUTH_OIDC_ISSUER');
  });

  it('rejects a non-https issuer, bad role entries and conflicting rules without printing them', () => {
    expectConfigError(remote({ ...oidc, AUTH_OIDC_ISSUER: 'http://login.example.com' }), 'AUTH_OIDC_ISSUER');
    for (const roles of [
      'alice@corp.com=owner',
      'alice@corp.com',
      'corp.com=viewer',
      '=admin',
      'alice@corp.com=admin,,',
      'alice@corp.com=admin,alice@corp.com=viewer',
    ]) {
      expectConfigError(remote({ ...oidc, AUTH_OIDC_ROLES: roles }), 'AUTH_OIDC_ROLES', 'alice@corp.com');
    }
    expectConfigError(
      remote({ ...oidc, AUTH_OIDC_CLIENT_SECRET: 'short' }),
      'AUTH_OIDC_CLIENT_SECRET',
      'short',
    );
    expectConfigError(remote({ ...oidc, AUTH_OIDC_NAME: '<script>' }), 'AUTH_OIDC_NAME', '<script>');
  });
});

describe('getEnv', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    resetEnvForTests();
  });

  it('parses process.env once; later changes to process.env cannot move the API or swap the key', () => {
    process.env.CLERK_SECRET_KEY = LIVE_KEY;
    process.env.AUTH_SECRET = AUTH_SECRET;
    process.env.AUTH_URL = 'https://console.example.com';
    process.env.DATA_DIR = tmpDir();
    delete process.env.CLERK_API_URL;
    resetEnvForTests();
    const env = getEnv();
    process.env.CLERK_API_URL = 'https://attacker.example';
    process.env.CLERK_SECRET_KEY = `sk_live_${'z'.repeat(30)}`;
    expect(getEnv()).toBe(env);
    expect(getEnv().clerkApiUrl).toBe('https://api.clerk.com');
    expect(getEnv().clerkSecretKey).toBe(LIVE_KEY);
  });

  it('returns a deeply frozen object', () => {
    process.env.DATA_DIR = tmpDir();
    delete process.env.CLERK_SECRET_KEY;
    resetEnvForTests();
    const env = getEnv();
    expect(Object.isFrozen(env)).toBe(true);
    expect(() => {
      (env as { clerkApiUrl: string }).clerkApiUrl = 'https://attacker.example';
    }).toThrow(TypeError);
  });
});

describe('React taint', () => {
  afterEach(() => {
    vi.doUnmock('react');
    vi.resetModules();
  });

  it('taints the secret key and AUTH_SECRET when the react-server build offers the API', async () => {
    const taint = vi.fn();
    vi.resetModules();
    vi.doMock('react', () => ({ experimental_taintUniqueValue: taint }));
    const fresh = await import('./env');
    const saved = { ...process.env };
    try {
      process.env.CLERK_SECRET_KEY = LIVE_KEY;
      process.env.AUTH_SECRET = AUTH_SECRET;
      process.env.AUTH_URL = 'https://console.example.com';
      process.env.DATA_DIR = tmpDir();
      fresh.resetEnvForTests();
      const env = fresh.getEnv();
      const tainted = taint.mock.calls.map((call) => call[2]);
      expect(tainted).toContain(LIVE_KEY);
      expect(tainted).toContain(AUTH_SECRET);
      for (const call of taint.mock.calls) {
        expect(call[1]).toBe(env);
        expect(call[0]).not.toContain(call[2]);
      }
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      fresh.resetEnvForTests();
    }
  });

  it('starts normally when the taint API is missing or throws', async () => {
    vi.resetModules();
    vi.doMock('react', () => ({
      experimental_taintUniqueValue: () => {
        throw new Error('taint unavailable');
      },
    }));
    const fresh = await import('./env');
    const saved = { ...process.env };
    try {
      process.env.DATA_DIR = tmpDir();
      delete process.env.CLERK_SECRET_KEY;
      fresh.resetEnvForTests();
      expect(fresh.getEnv().mode).toBe('local');
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      fresh.resetEnvForTests();
    }
  });
});
