import { HOME_URL } from './support';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { LocalClerkServer } from '../lib/local-clerk/server';
import { startApi, startConsole, type ConsoleProcess } from '../lib/testing/processes';
import { readCsv } from '../lib/testing/read-csv';

/**
 * Sign-in limits as an attacker meets them, over raw HTTP to next-auth's own credentials endpoint (what a script
 * would use instead of the form), each on a console of its own so that locking 127.0.0.1 out starves no other spec:
 * - no trusted proxy: X-Forwarded-For and X-Real-IP are ignored, so rotating them does not escape the per-address
 *   limit, and the audit log records the socket's address;
 * - one trusted proxy (TRUSTED_PROXY_HOPS=1): each forwarded client has its own budget, and the overall per-minute
 *   cap (SIGN_IN_MAX_PER_MINUTE) still stops a spray from many addresses;
 * - from outside (one trusted proxy, the attacker choosing addresses): hammering a named admin locks out only the
 *   attacker's sources, never the admin's own browser (device cookie), and refused requests from a whole IPv6 /64 or
 *   from hundreds of addresses add a bounded number of audit rows, each counted exactly.
 * The per-account limit through the form is in e2e/security-auth.spec.ts.
 */
test.describe.configure({ mode: 'serial' });

const KEY = 'sk_test_LIMITSlimits0123456789abcdefg';
const PASSWORD = 'limits-demo-password';
let dataDir: string;
let api: LocalClerkServer;
let direct: ConsoleProcess;
let proxied: ConsoleProcess;
let https: ConsoleProcess;
let outside: ConsoleProcess;

test.beforeAll(async () => {
  // Three production servers starting at once on a busy 2-core machine.
  test.setTimeout(240_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-limits-'));
  api = await startApi({ dataDir: path.join(dataDir, 'api'), secretKey: KEY, rateLimit: 0 });
  const common = { apiUrl: api.url, apiKey: KEY, demoPassword: PASSWORD, readyTimeoutMs: 180_000 };
  [direct, proxied, https, outside] = await Promise.all([
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
    // The cap lets the attack below lock two sources (ten guesses) and little more: every guess allowed past the
    // account's tenth is slowed by 1 s.
    startConsole({
      ...common,
      dataDir: path.join(dataDir, 'outside'),
      env: { TRUSTED_PROXY_HOPS: '1', SIGN_IN_MAX_PER_MINUTE: '14' },
    }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop(), https?.stop(), outside?.stop()]);
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
): Promise<{ code: string; cookie: string; setCookies: string[] }> {
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
  return { code: code ?? 'signed-in', cookie: cookiesOf(res), setCookies: res.headers.getSetCookie() };
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

test('over https the device cookie is __Host-, Secure, HttpOnly, SameSite=Lax and long-lived', async () => {
  const signedIn = await rawSignIn(https.url, 'viewer@example.com', PASSWORD);
  expect(signedIn.code).toBe('signed-in');
  const device = signedIn.setCookies.filter((c) => /^__Host-console\.device=/.test(c));
  expect(device).toHaveLength(1);
  expect(device[0]).toMatch(/;\s*Secure/i);
  expect(device[0]).toMatch(/;\s*HttpOnly/i);
  expect(device[0]).toMatch(/;\s*SameSite=Lax/i);
  expect(device[0]).toMatch(/;\s*Path=\/(;|$)/i);
  expect(device[0]).not.toMatch(/;\s*Domain=/i);
  expect(Number(/Max-Age=(\d+)/i.exec(device[0]!)?.[1])).toBeGreaterThan(90 * 24 * 3600);
  expect(signedIn.setCookies.some((c) => /^console\.device=/.test(c))).toBe(false);
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

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const DEVICE_COOKIE = 'console.device';

/** A browser at `ip` (the trusted proxy forwards it), on the console behind that proxy. */
const browserAt = (browser: Browser, ip: string) =>
  browser.newContext({ baseURL: outside.url, extraHTTPHeaders: from(ip) });

async function formSignIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function expectFormRefused(page: Page) {
  await expect(page.getByRole('alert').filter({ hasText: 'Too many sign-in attempts' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** The console's own CSV export of the audit log, read with a session cookie. */
async function exportRows(base: string, cookie: string, filters: Record<string, string>) {
  const res = await fetch(`${base}/api/audit/export?${new URLSearchParams(filters).toString()}`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  const [header, ...rows] = readCsv(await res.text());
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

const detailsOf = (row: Record<string, string>) =>
  JSON.parse(row.other_details || '{}') as {
    byWhere?: Record<string, number>;
    byAccount?: Record<string, number>;
  };

/** `n` anonymous export requests, 25 at a time, each from the address `ip(i)`; every one must be refused. */
async function refusedFrom(n: number, ip: (i: number) => string) {
  for (let start = 0; start < n; start += 25) {
    const statuses = await Promise.all(
      Array.from({ length: Math.min(25, n - start) }, async (_, j) => {
        const res = await fetch(`${outside.url}/api/audit/export`, { headers: from(ip(start + j)) });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.every((s) => s === 401)).toBe(true);
  }
}

let outsideAdmin = '';

test('refused requests from 150 addresses of one IPv6 /64 fold into one counted row (two if a minute turns)', async () => {
  const admin = await rawSignIn(outside.url, 'admin@example.com', PASSWORD, from('198.51.100.200'));
  expect(admin.code).toBe('signed-in');
  outsideAdmin = admin.cookie;
  const hex = () => Math.floor(Math.random() * 65536).toString(16);
  await refusedFrom(150, (i) => `2001:db8:42:7:${hex()}:${hex()}:${hex()}:${(i + 1).toString(16)}`);
  const rows = (await exportRows(outside.url, outsideAdmin, { action: 'access.denied' })).filter((r) =>
    r.ip!.startsWith('2001:db8:42:7'),
  );
  expect(rows.length).toBeGreaterThanOrEqual(1);
  expect(rows.length).toBeLessThanOrEqual(2);
  for (const r of rows) expect(r.ip).toBe('2001:db8:42:7::/64');
  expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(150);
});

test('past 100 new denial rows in a minute, one "others" row a minute counts every refusal beyond, exactly', async () => {
  const sent = 250;
  await refusedFrom(sent, (i) => `10.77.${i >> 8}.${i & 255}`);
  const denied = await exportRows(outside.url, outsideAdmin, { outcome: 'denied' });
  const flood = denied.filter((r) => r.ip!.startsWith('10.77.'));
  const others = denied.filter((r) => r.actor_email === '(others)');
  for (const r of flood) expect(Number(r.count)).toBe(1);
  expect(others.length).toBeGreaterThanOrEqual(1);
  for (const r of others) expect(r).toMatchObject({ action: 'access.denied', code: 'overflow', ip: '' });
  const beyond = others.reduce(
    (n, r) => n + (detailsOf(r).byWhere?.['access.denied unauthenticated'] ?? 0),
    0,
  );
  expect(flood.length + beyond).toBe(sent);
  // Per minute: at most 100 rows of sources, and one "others" row.
  const minutes = new Map<string, { rows: number; others: number }>();
  for (const r of denied) {
    const m = minutes.get(r.at!.slice(0, 16)) ?? { rows: 0, others: 0 };
    if (r.actor_email === '(others)') m.others++;
    else m.rows++;
    minutes.set(r.at!.slice(0, 16), m);
  }
  for (const m of minutes.values()) {
    expect(m.rows).toBeLessThanOrEqual(100);
    expect(m.others).toBeLessThanOrEqual(1);
  }
});

test("an attacker hammering a named admin from many addresses, the admin's own included, cannot keep the admin out of their own browser", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const HOME = '198.51.100.10';
  // Earlier: the admin signs in at home; the console gives that browser a device cookie.
  const earlier = await browserAt(browser, HOME);
  await formSignIn(await earlier.newPage(), 'admin@example.com', PASSWORD);
  await expect(earlier.pages()[0]!).toHaveURL(HOME_URL);
  const device = (await earlier.cookies()).find((c) => c.name === DEVICE_COOKIE);
  expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
  expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(90 * 24 * 3600 * 1000);
  await earlier.close();
  // Another member's device cookie, from next-auth's own route this time.
  const support = await rawSignIn(outside.url, 'support@example.com', PASSWORD, from('198.51.100.11'));
  expect(support.code).toBe('signed-in');
  const supportDevice = new RegExp(`${DEVICE_COOKIE}=([^;]+)`).exec(support.cookie)?.[1];
  expect(supportDevice).toBeTruthy();

  // The attack: six wrong passwords from each of six addresses, the admin's own first, until the account is locked
  // for each of them and the console-wide cap is spent.
  const sources = [HOME, '203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5'];
  const codes: string[][] = [];
  for (const ip of sources) {
    const mine: string[] = [];
    for (let i = 0; i < 6; i++)
      mine.push((await rawSignIn(outside.url, 'admin@example.com', `guess-${i}`, from(ip))).code);
    codes.push(mine);
  }
  expect(codes[0]).toEqual([...Array(5).fill('invalid_credentials'), 'throttled']);
  expect(codes.flat()).toContain('busy');
  for (const c of codes.flat()) expect(['invalid_credentials', 'throttled', 'busy']).toContain(c);

  // The admin, at home, in the browser they used before: in at once.
  const own = await browserAt(browser, HOME);
  await own.addCookies([device!]);
  const ownPage = await own.newPage();
  await formSignIn(ownPage, 'admin@example.com', PASSWORD);
  await expect(ownPage).toHaveURL(HOME_URL);
  await own.close();

  // From an attacker's address, the right password without the cookie, with an altered one, or with another
  // member's: refused.
  const last = device!.value.at(-1) === 'A' ? 'B' : 'A';
  for (const cookie of [null, `${device!.value.slice(0, -1)}${last}`, supportDevice!]) {
    const context = await browserAt(browser, '203.0.113.1');
    if (cookie) await context.addCookies([{ ...device!, value: cookie }]);
    const page = await context.newPage();
    await formSignIn(page, 'admin@example.com', PASSWORD);
    await expectFormRefused(page);
    expect((await context.cookies()).some((c) => c.name === 'console.session')).toBe(false);
    await context.close();
  }

  // The log: the admin's sign-in names the known browser; the attacker's refusals are folded per address.
  const signIns = await exportRows(outside.url, outsideAdmin, {
    action: 'auth.sign_in',
    actor: 'admin@example.com',
  });
  expect(
    signIns.filter((r) => r.outcome === 'succeeded' && r.other_details?.includes('knownDevice')),
  ).toHaveLength(1);
});
