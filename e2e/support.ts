import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CANARY_SECRET_KEY, DEMO_PASSWORD, E2E_API_PORT, E2E_DATA_DIR, E2E_PORT } from '../playwright.config';
import { withoutConsoleEnv } from '../lib/testing/console-env';
import { bundledScript } from '../lib/testing/script-bundle';

export { CANARY_SECRET_KEY, DEMO_PASSWORD, E2E_API_PORT, E2E_DATA_DIR };
export type StaffRole = 'admin' | 'support' | 'viewer';
// Per port, so runs on other ports (in parallel on one machine) never overwrite each other's sign-ins.
export const storageStateFor = (role: StaffRole) => `e2e/.auth/${E2E_PORT}/${role}.json`;
export const API_URL = `http://127.0.0.1:${E2E_API_PORT}`;
/** Where a sign-in lands: the home page (watchlist, running jobs, one's own actions). */
export const HOME_URL = /^https?:\/\/[^/]+\/$/;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Talks to the embedded API directly (fault rules, request log, seed look-ups): never through the console. */
export async function api(pathname: string, init: RequestInit = {}) {
  const res = await fetch(`${API_URL}${pathname}`, {
    ...init,
    headers: {
      authorization: `Bearer ${CANARY_SECRET_KEY}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

export async function userByEmail(
  email: string,
): Promise<{ id: string; first_name: string | null; last_name: string | null }> {
  const { body } = await api(`/v1/users?email_address=${encodeURIComponent(email)}`);
  const user = (body as { id: string; first_name: string | null; last_name: string | null }[])[0];
  expect(user, `seed user ${email}`).toBeTruthy();
  return user!;
}

// Fault rules are scoped to this Playwright worker, so specs running in parallel never replace or clear each other's.
const FAULT_SCOPE = `worker-${process.env.TEST_WORKER_INDEX ?? '0'}`;
export async function setFaults(rules: Record<string, unknown>[]) {
  const r = await api(`/__faults?scope=${FAULT_SCOPE}`, { method: 'PUT', body: JSON.stringify({ rules }) });
  expect(r.status, 'fault rules accepted').toBe(200);
}
export async function clearFaults() {
  await api(`/__faults?scope=${FAULT_SCOPE}`, { method: 'DELETE' });
}

/**
 * Runs the staff CLI on the e2e data: scripts/staff.ts bundled once per worker (lib/testing/script-bundle), since
 * compiling it under tsx on every run cost seconds of CPU; the Vitest suite runs it as `npm run staff` spells it.
 * Asynchronously: a worker blocked in a synchronous child process for seconds keeps pooled keep-alive sockets the
 * server closes meanwhile, and its next fetch then fails with "other side closed".
 */
export async function runStaffCli(
  args: string[],
  input?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const script = await bundledScript('scripts/staff.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', script, ...args], {
      env: {
        ...withoutConsoleEnv(process.env),
        DATA_DIR: E2E_DATA_DIR,
        CLERK_SECRET_KEY: '',
        LOG_LEVEL: 'warn',
        CONSOLE_INSTANCE_ID: 'e2e-cli',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export interface StaffAccount {
  email: string;
  password: string;
  /** Known for the accounts of the setup project's batch (see claimStaff). */
  id?: string;
}

// Every staff CLI run is a process opening the database (seconds of CPU a run under tsx), so the setup project makes
// the suite's throwaway accounts in one `add-batch` run and each test claims its own, once. The files live in the data
// folder the web server empties at every start, so no run sees another run's accounts or claims.
const POOL_FILE = path.join(E2E_DATA_DIR, 'e2e-staff-pool.json');
const CLAIMED_DIR = path.join(E2E_DATA_DIR, 'e2e-staff-claimed');
/** Per role: what the specs claim today (3 admin, 7 support, 10 viewer) and a few more; past it, the CLI adds one. */
export const STAFF_POOL: Record<StaffRole, number> = { admin: 5, support: 9, viewer: 12 };

export async function makeStaffPool(): Promise<void> {
  const wanted = (Object.entries(STAFF_POOL) as [StaffRole, number][]).flatMap(([role, n]) =>
    Array.from({ length: n }, (_, i) => ({
      email: `${role}-pool-${i}-${randomUUID().slice(0, 8)}@console.test`,
      role,
      password: `pw-${randomBytes(12).toString('base64url')}`,
    })),
  );
  const r = await runStaffCli(
    ['add-batch', '--json'],
    wanted.map((a) => `${a.email} ${a.role} ${a.password}\n`).join(''),
  );
  if (r.status !== 0) throw new Error(`staff CLI add-batch failed: ${r.stderr}`);
  const ids = new Map((JSON.parse(r.stdout) as { id: string; email: string }[]).map((m) => [m.email, m.id]));
  const pool = wanted.map((a) => ({ ...a, id: ids.get(a.email) }));
  expect(
    pool.filter((a) => !a.id).map((a) => a.email),
    'every pooled account added',
  ).toEqual([]);
  fs.writeFileSync(POOL_FILE, JSON.stringify(pool), { mode: 0o600 });
}

/** An account of the pool nobody has claimed yet (never handed out twice, across workers too), or null. */
function claimStaff(role: StaffRole): Required<StaffAccount> | null {
  let pool: (Required<StaffAccount> & { role: StaffRole })[];
  try {
    pool = JSON.parse(fs.readFileSync(POOL_FILE, 'utf8')) as typeof pool;
  } catch {
    return null;
  }
  fs.mkdirSync(CLAIMED_DIR, { recursive: true });
  for (const account of pool.filter((a) => a.role === role)) {
    try {
      fs.closeSync(fs.openSync(path.join(CLAIMED_DIR, account.email), 'wx'));
    } catch {
      continue;
    }
    return { email: account.email, password: account.password, id: account.id };
  }
  return null;
}

/**
 * A throwaway staff account of a test's own, for specs that sign out (signing out ends every session of that staff
 * member, so the stored demo sessions must not be used for it) or trip the sign-in throttle. From the setup
 * project's pool when it has one left, else made with the staff CLI.
 */
export async function createStaff(
  role: StaffRole,
  label: string = role,
  password?: string,
): Promise<StaffAccount> {
  const pooled = password === undefined ? claimStaff(role) : null;
  if (pooled) return pooled;
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@console.test`;
  const secret = password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const r = await runStaffCli(['add', email, role, '--password-stdin'], `${secret}\n`);
  if (r.status !== 0) throw new Error(`staff CLI failed: ${r.stderr}`);
  return { email, password: secret };
}

/**
 * Signs in through next-auth's own credentials endpoint, where the form's action ends too (the same authorize():
 * throttle, password, audit row, device cookie), without rendering the form and the page after it. For tests about
 * what follows a sign-in; the form itself is tested by e2e/shell, e2e/staff and e2e/security-auth.
 */
export async function signInOverHttp(base: string, email: string, password: string): Promise<Cookie[]> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  // next-auth's proxy wrapper and its route both set a CSRF cookie: keep the one that goes with the token.
  const sent = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !/^[^=]*csrf-token=/.test(c) || c.includes(`=${csrfToken}%7C`));
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sent.join('; ') },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/users` }),
  });
  await res.arrayBuffer();
  const cookies = res.headers
    .getSetCookie()
    .map((c) => asCookie(c, new URL(base).hostname))
    .filter((c) => c.value);
  if (!cookies.some((c) => c.name === 'console.session'))
    throw new Error(`sign-in of ${email} refused: ${res.headers.get('location')}`);
  return cookies;
}

type Cookie = Parameters<BrowserContext['addCookies']>[0][number];

/** A Set-Cookie header as the browser would store it (HttpOnly, SameSite, expiry kept). */
function asCookie(header: string, domain: string): Cookie {
  const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
  const [name = '', value = ''] = pair.split(/=(.*)/s);
  const cookie: Cookie = { name, value, domain, path: '/', expires: -1, httpOnly: false, secure: false };
  let maxAge: number | null = null;
  for (const attribute of attributes) {
    const [key = '', v = ''] = attribute.split(/=(.*)/s);
    const k = key.toLowerCase();
    if (k === 'path') cookie.path = v;
    else if (k === 'max-age') maxAge = Number(v);
    else if (k === 'expires') cookie.expires = Date.parse(v) / 1000;
    else if (k === 'httponly') cookie.httpOnly = true;
    else if (k === 'secure') cookie.secure = true;
    else if (k === 'samesite')
      cookie.sameSite = `${v[0]!.toUpperCase()}${v.slice(1).toLowerCase()}` as Cookie['sameSite'];
  }
  if (maxAge !== null) cookie.expires = Date.now() / 1000 + maxAge;
  return cookie;
}

/** Signs in on another console (its own base URL) in a fresh context with no stored session; returns a blank page. */
export async function signInAt(
  browser: Browser,
  base: string,
  email: string,
  password: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, storageState: { cookies: [], origins: [] } });
  await context.addCookies(await signInOverHttp(base, email, password));
  return context.newPage();
}

/**
 * axe on the page as it stands: no serious or critical violation. Waits for the title first, since Next streams
 * metadata and after a client-side navigation the <title> lands a moment after the content.
 */
export async function expectNoSeriousAxeViolations(page: Page) {
  await expect(page).toHaveTitle(/Session Console/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
