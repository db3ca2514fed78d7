import { spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CANARY_SECRET_KEY, DEMO_PASSWORD, E2E_API_PORT, E2E_DATA_DIR, E2E_PORT } from '../playwright.config';
import { withoutConsoleEnv } from '../lib/testing/console-env';

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
 * Runs the staff CLI (scripts/staff.ts, under the react-server condition as `npm run staff` does) on the e2e data.
 * Asynchronously: a worker blocked in a synchronous child process for seconds keeps pooled keep-alive sockets the
 * server closes meanwhile, and its next fetch then fails with "other side closed".
 */
export function runStaffCli(
  args: string[],
  input?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', ...args],
      {
        env: {
          ...withoutConsoleEnv(process.env),
          DATA_DIR: E2E_DATA_DIR,
          CLERK_SECRET_KEY: '',
          LOG_LEVEL: 'warn',
          CONSOLE_INSTANCE_ID: 'e2e-cli',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/**
 * A throwaway staff account made with the staff CLI, for specs that sign out (signing out ends every session of
 * that staff member, so the stored demo sessions must not be used for it) or trip the sign-in throttle.
 */
export async function createStaff(
  role: StaffRole,
  password = 'throwaway-password-123',
): Promise<{ email: string; password: string }> {
  const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@console.test`;
  const r = await runStaffCli(['add', email, role, '--password-stdin'], `${password}\n`);
  if (r.status !== 0) throw new Error(`staff CLI failed: ${r.stderr}`);
  return { email, password };
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
