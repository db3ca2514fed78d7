import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { LocalClerkServer } from '../lib/local-clerk/server';
import { startApi, startConsole, type ConsoleProcess } from '../lib/testing/processes';
import { readCsv } from '../lib/testing/read-csv';

/**
 * Sign-in limits as an attacker meets them, over raw HTTP to next-auth's own credentials endpoint (what a script
 * would use instead of the form), each on a console of its own so that locking 127.0.0.1 out starves no other spec:
 * - no trusted proxy: X-Forwarded-For and X-Real-IP are ignored, so rotating them does not escape the per-address
 *   limit, and the audit log records the socket's address;
 * - one trusted proxy (TRUSTED_PROXY_HOPS=1): each forwarded client has its own budget, and the overall per-minute
 *   cap (SIGN_IN_MAX_PER_MINUTE) still stops a spray from many addresses.
 * The per-account limit is in e2e/security-auth.spec.ts.
 */
test.describe.configure({ mode: 'serial' });

const KEY = 'sk_test_LIMITSlimits0123456789abcdefg';
const PASSWORD = 'limits-demo-password';
let dataDir: string;
let api: LocalClerkServer;
let direct: ConsoleProcess;
let proxied: ConsoleProcess;
let https: ConsoleProcess;

test.beforeAll(async () => {
  // Three production servers starting at once on a busy 2-core machine.
  test.setTimeout(200_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-limits-'));
  api = await startApi({ dataDir: path.join(dataDir, 'api'), secretKey: KEY, rateLimit: 0 });
  const common = { apiUrl: api.url, apiKey: KEY, demoPassword: PASSWORD, readyTimeoutMs: 180_000 };
  [direct, proxied, https] = await Promise.all([
    startConsole({
      ...common,
      dataDir: path.join(dataDir, 'direct'),
      env: { SIGN_IN_MAX_PER_MINUTE: '1000' },
    }),
    startConsole({
      ...common,
      dataDir: path.join(dataDir, 'proxied'),
      env: { TRUSTED_PROXY_HOPS: '1', SIGN_IN_MAX_PER_MINUTE: '10' },
    }),
    // Served behind TLS termination: its public URL is https even though this test reaches it over http.
    startConsole({
      ...common,
      dataDir: path.join(dataDir, 'https'),
      env: { AUTH_URL: 'https://console.example.test' },
    }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop(), https?.stop()]);
  await api?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The cookies of a response, for the next request: next-auth's proxy wrapper and its route both set a CSRF cookie
 * on /api/auth/csrf, in an order that varies; the one kept is the one that goes with the token in the body. */
const cookiesOf = (res: Response, csrfToken?: string) =>
  [
    ...new Map(
      res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!.split(/=(.*)/s) as [string, string])
        .filter(([k, v]) => !csrfToken || !k.endsWith('csrf-token') || v.startsWith(`${csrfToken}%7C`)),
    ),
  ]
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** One sign-in through next-auth's credentials endpoint; returns the refusal code, or 'signed-in' with the cookie. */
async function rawSignIn(
  base: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ code: string; cookie: string }> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiesOf(csrf, csrfToken),
    },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/users` }),
  });
  await res.arrayBuffer();
  const location = new URL(res.headers.get('location') ?? '/', base);
  const code = location.searchParams.get('code') ?? location.searchParams.get('error');
  return { code: code ?? 'signed-in', cookie: cookiesOf(res) };
}

const forged = (i: number) => ({
  'x-forwarded-for': `203.0.113.${i}`,
  'x-real-ip': `198.51.100.${i}`,
});

test('rotating X-Forwarded-For and X-Real-IP does not escape the per-address limit; the audit log keeps the real address', async () => {
  const admin = await rawSignIn(direct.url, 'admin@example.com', PASSWORD);
  expect(admin.code).toBe('signed-in');
  const codes: string[] = [];
  for (let i = 1; i <= 21; i++) {
    codes.push(
      (await rawSignIn(direct.url, `spray-${i}-${randomUUID()}@example.com`, 'guess', forged(i))).code,
    );
  }
  expect(codes.slice(0, 20)).toEqual(Array(20).fill('invalid_credentials'));
  expect(codes[20]).toBe('throttled');
  // Even the right password, from "another" forged address, is refused: the socket is the same.
  expect((await rawSignIn(direct.url, 'support@example.com', PASSWORD, forged(99))).code).toBe('throttled');

  const res = await fetch(`${direct.url}/api/audit/export?action=auth.sign_in`, {
    headers: { cookie: admin.cookie },
  });
  expect(res.status).toBe(200);
  const [header, ...rows] = readCsv(await res.text());
  const col = (name: string) => header!.indexOf(name);
  expect(col('ip')).toBeGreaterThanOrEqual(0);
  const sprayed = rows.filter((r) => (r[col('actor_email')] ?? '').startsWith('spray-'));
  expect(sprayed.length).toBeGreaterThanOrEqual(20);
  for (const r of sprayed) expect(r[col('ip')]).toBe('127.0.0.1');
});

test('behind one trusted proxy each client has its own budget, and the overall cap stops a spray from many addresses', async () => {
  const codes: string[] = [];
  for (let i = 1; i <= 11; i++) {
    codes.push(
      (await rawSignIn(proxied.url, `wide-${i}-${randomUUID()}@example.com`, 'guess', forged(i))).code,
    );
  }
  // Ten addresses, one guess each: no per-address limit is near, the 11th attempt in the minute hits the cap.
  expect(codes.slice(0, 10)).toEqual(Array(10).fill('invalid_credentials'));
  expect(codes[10]).toBe('busy');
  expect((await rawSignIn(proxied.url, 'support@example.com', PASSWORD, forged(50))).code).toBe('busy');
});

test('HSTS is sent when AUTH_URL is https, and not over plain http', async () => {
  for (const p of ['/sign-in', '/api/health', '/users']) {
    const res = await fetch(`${https.url}${p}`, { redirect: 'manual' });
    await res.arrayBuffer();
    expect(res.headers.get('strict-transport-security'), p).toBe('max-age=63072000; includeSubDomains');
    const plain = await fetch(`${direct.url}${p}`, { redirect: 'manual' });
    await plain.arrayBuffer();
    expect(plain.headers.get('strict-transport-security'), p).toBeNull();
  }
});
