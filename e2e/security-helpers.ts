/**
 * Shared tools for the security and fault suites. Everything here works black-box against the running console
 * (and the embedded API's fault/request-log endpoints): server actions are recorded from a real browser call and
 * replayed by hand, audit rows are read through the /audit page, staff accounts are managed through the staff CLI.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '@auth/core/jwt';
import { expect, type Browser, type Page, type Request } from '@playwright/test';
import { E2E_LOG_FILE, E2E_PORT } from '../playwright.config';
import { readCsv } from '../lib/testing/read-csv';
import {
  api,
  CANARY_SECRET_KEY,
  E2E_DATA_DIR,
  createStaff as createStaffAccount,
  runStaffCli,
  signInOverHttp,
  storageStateFor,
  type StaffAccount,
  type StaffRole,
} from './support';
import type { FaultRuleInput as FaultRule } from '../lib/local-clerk/faults';

export type { FaultRule };

export { E2E_LOG_FILE, CANARY_SECRET_KEY };

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The staff session cookie over plain http (over https it is `__Host-console.session`). */
export const SESSION_COOKIE = 'console.session';

/** A marker the fault suite puts in every upstream body: it must never reach a page, a message or a log. */
export const UPSTREAM_MARKER = 'UPSTREAM-MARKER-123';

/**
 * The SSO client secret the e2e server is configured with (read from playwright.config.ts, where it is set inline),
 * or null when SSO is not configured there.
 */
export function readOidcClientSecret(): string | null {
  const config = fs.readFileSync(path.join(root, 'playwright.config.ts'), 'utf8');
  return /AUTH_OIDC_CLIENT_SECRET:\s*['"`]([^'"`]+)['"`]/.exec(config)?.[1] ?? null;
}

export function readAuthSecret(): string {
  return fs.readFileSync(path.join(E2E_DATA_DIR, 'auth-secret'), 'utf8').trim();
}

/** The session cookie stored by auth.setup for a demo role (those accounts are never signed out by a spec). */
export function sessionCookieOf(role: StaffRole): string {
  const state = JSON.parse(fs.readFileSync(path.resolve(root, storageStateFor(role)), 'utf8')) as {
    cookies: { name: string; value: string }[];
  };
  const cookie = state.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no ${SESSION_COOKIE} cookie stored for ${role}`);
  return cookie.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Server actions, recorded and replayed

export interface RecordedAction {
  /** The page the browser posted the action to. */
  url: string;
  actionId: string;
  routerStateTree: string | null;
  contentType: string;
  body: string;
}

/**
 * Runs `trigger` in the page and captures the first server action call it makes. With `abort`, the call never
 * reaches the server (for recording a side-effecting action, e.g. a revoke, without doing it).
 */
export async function recordAction(
  page: Page,
  trigger: () => Promise<void>,
  opts: { abort?: boolean } = {},
): Promise<RecordedAction> {
  let resolve!: (r: RecordedAction) => void;
  const captured = new Promise<RecordedAction>((r) => (resolve = r));
  let done = false;
  const handler = async (route: import('@playwright/test').Route) => {
    const req: Request = route.request();
    const headers = req.headers();
    if (done || req.method() !== 'POST' || !headers['next-action']) return route.fallback();
    done = true;
    resolve({
      url: req.url(),
      actionId: headers['next-action'],
      routerStateTree: headers['next-router-state-tree'] ?? null,
      contentType: headers['content-type'] ?? 'text/plain;charset=UTF-8',
      body: req.postData() ?? '',
    });
    return opts.abort ? route.abort() : route.continue();
  };
  await page.route('**/*', handler);
  try {
    await trigger();
    return await Promise.race([
      captured,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no server action was called')), 15_000),
      ),
    ]);
  } finally {
    await page.unroute('**/*', handler);
  }
}

/** Runs `trigger` and returns the body of the first server action answer it causes, as the browser received it. */
export async function captureActionAnswer(page: Page, trigger: () => Promise<void>): Promise<string> {
  let resolve!: (text: string) => void;
  const captured = new Promise<string>((r) => (resolve = r));
  let done = false;
  const handler = async (route: import('@playwright/test').Route) => {
    const req = route.request();
    if (done || req.method() !== 'POST' || !req.headers()['next-action']) return route.fallback();
    done = true;
    const response = await route.fetch();
    const body = await response.text();
    resolve(body);
    return route.fulfill({ response, body });
  };
  await page.route('**/*', handler);
  try {
    await trigger();
    return await Promise.race([
      captured,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no server action answer')), 20_000),
      ),
    ]);
  } finally {
    await page.unroute('**/*', handler);
  }
}

export type ActionResultJson =
  | { ok: true; message: string; data: unknown }
  | {
      ok: false;
      kind: string;
      message: string;
      fieldErrors?: Record<string, string[]>;
      traceId?: string | null;
      retryAfterSeconds?: number | null;
    };

export interface ActionReply {
  status: number;
  headers: Headers;
  text: string;
  /** The action's own return value, when it ran and returned. */
  result: ActionResultJson | null;
  /** The RSC stream carried an error row instead (the action was refused by Next, or threw). */
  errored: boolean;
}

/** Reads a server action's RSC reply: rows like `1:{"ok":false,...}` or `1:E{"digest":"…"}`. */
export function parseActionReply(text: string): { result: ActionResultJson | null; errored: boolean } {
  let result: ActionResultJson | null = null;
  let errored = false;
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (!m) continue;
    const payload = m[2] ?? '';
    if (payload.startsWith('E{')) {
      errored = true;
      continue;
    }
    if (!payload.startsWith('{')) continue;
    try {
      const value = JSON.parse(payload) as Record<string, unknown>;
      if (typeof value.ok === 'boolean' && typeof value.message === 'string')
        result = value as ActionResultJson;
    } catch {
      /* another kind of row */
    }
  }
  return { result, errored };
}

export interface ReplayOptions {
  /** The action's arguments (JSON-encoded as React does for plain values). Ignored when `body` is given. */
  args?: unknown[];
  /** The raw request body. */
  body?: string;
  /** The session cookie value; null sends no cookie. */
  cookie?: string | null;
  /** Origin header; defaults to the console's own origin (what a browser sends). null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  contentType?: string;
  /** Post to another page than the one recorded. */
  url?: string;
}

/** Replays a recorded server action under different conditions (cookie, origin, arguments, body). */
export async function replayAction(rec: RecordedAction, opts: ReplayOptions = {}): Promise<ActionReply> {
  const headers: Record<string, string> = {
    accept: 'text/x-component',
    'next-action': rec.actionId,
    'content-type': opts.contentType ?? rec.contentType,
    ...(rec.routerStateTree ? { 'next-router-state-tree': rec.routerStateTree } : {}),
    ...(opts.headers ?? {}),
  };
  const origin = opts.origin === undefined ? BASE_URL : opts.origin;
  if (origin !== null) headers.origin = origin;
  if (opts.cookie) headers.cookie = `${SESSION_COOKIE}=${opts.cookie}`;
  const body = opts.body ?? (opts.args ? JSON.stringify(opts.args) : rec.body);
  const res = await fetch(opts.url ?? rec.url, { method: 'POST', headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, ...parseActionReply(text) };
}

/** The recorded call's own arguments (the first, and only, argument object). */
export function recordedArgs(rec: RecordedAction): Record<string, unknown> {
  const args = JSON.parse(rec.body) as unknown[];
  return args[0] as Record<string, unknown>;
}

export function expectRefused(reply: ActionReply, kind: string) {
  expect(reply.result, `a refusal (${kind}), got: ${reply.text.slice(0, 300)}`).not.toBeNull();
  expect(reply.result!.ok).toBe(false);
  expect(reply.result!.ok === false && reply.result!.kind).toBe(kind);
}

// ---------------------------------------------------------------------------------------------------------------
// Forged and replayed cookies

/** A JWE under the console's cookie name, encrypted the way Auth.js does, with any secret and claims. */
export async function forgeSessionCookie(claims: Record<string, unknown>, secret: string): Promise<string> {
  return encode({ token: claims, secret, salt: SESSION_COOKIE, maxAge: 30 * 60 });
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** GET a console URL with exactly the given cookie (or none), not following redirects. */
export async function getAs(
  pathname: string,
  cookie: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const init: RequestInit = {
    headers: { ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}), ...headers },
    redirect: 'manual',
  };
  let res = await fetch(`${BASE_URL}${pathname}`, init);
  // Next 16 answers an RSC request without its cache-busting `_rsc` parameter with a redirect that adds it.
  const location = res.headers.get('location');
  if (
    res.status === 307 &&
    location &&
    /[?&]_rsc(=|&|$)/.test(location) &&
    new URL(location, BASE_URL).origin === BASE_URL
  ) {
    await res.arrayBuffer();
    res = await fetch(new URL(location, BASE_URL), init);
  }
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The GET route the sessions page polls, for one user. */
export const sessionsListPath = (userId: string, extra: Record<string, string> = {}) =>
  `/api/sessions?${new URLSearchParams({ user_id: userId, status: 'all', ...extra })}`;

/** A GET route's refusal: the status, a JSON ActionFailure of that kind, and nothing else. */
export function expectRouteRefused(res: { status: number; headers: Headers; text: string }, kind: string) {
  const status = { unauthenticated: 401, forbidden: 403, invalid_input: 400 }[kind];
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(JSON.parse(res.text)).toMatchObject({ ok: false, kind });
  expect(res.text).not.toMatch(/"data"|sess_/);
}

/** The page answered with the sign-in redirect (a 307 to /sign-in carrying the path as callbackUrl). */
export function expectSignInRedirect(res: { status: number; headers: Headers }, pathname: string) {
  expect([302, 303, 307], `a redirect for ${pathname}`).toContain(res.status);
  const location = new URL(res.headers.get('location') ?? '', BASE_URL);
  expect(location.origin).toBe(BASE_URL);
  expect(location.pathname).toBe('/sign-in');
  expect(location.searchParams.get('callbackUrl')).toBe(pathname);
}

export async function expectHealthy() {
  const res = await fetch(`${BASE_URL}/api/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The embedded API: request log, fault rules, seed look-ups

export interface UpstreamRequest {
  method: string;
  path: string;
  query: string;
  at: number;
}

/** Requests the embedded API received since `since` that match (the log is global: always filter). */
export async function upstreamRequests(filter: {
  since: number;
  method?: string;
  path?: RegExp;
  /** Matches path + '?' + query. */
  target?: RegExp;
}): Promise<UpstreamRequest[]> {
  const { body } = await api('/__faults/requests');
  return (body as { requests: UpstreamRequest[] }).requests.filter(
    (r) =>
      r.at >= filter.since &&
      (!filter.method || r.method === filter.method) &&
      (!filter.path || filter.path.test(r.path)) &&
      (!filter.target || filter.target.test(`${r.path}?${r.query}`)),
  );
}

/** Anything the embedded API received since `since` that mentions `fragment` (raw or URL-encoded). */
export async function upstreamRequestsMentioning(
  since: number,
  fragments: string[],
): Promise<UpstreamRequest[]> {
  const { body } = await api('/__faults/requests');
  const needles = fragments.flatMap((f) => [f, encodeURIComponent(f)]);
  return (body as { requests: UpstreamRequest[] }).requests.filter((r) => {
    if (r.at < since) return false;
    const seen = [r.path, r.query, safeDecode(r.path), safeDecode(r.query)];
    return needles.some((n) => seen.some((field) => field.includes(n)));
  });
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * Fault rules of one test, under a scope of its own: the embedded API replaces and clears a scope's rules only,
 * so specs running in parallel never touch each other's. Every rule is also limited to ids only that test uses.
 */
export function faultScope(label: string) {
  const scope = `sec-${label}-${randomUUID().slice(0, 8)}`.replace(/[^\w-]/g, '-').slice(0, 64);
  let rules: FaultRule[] = [];
  return {
    /** Replaces this scope's rules. */
    async set(next: FaultRule[]) {
      rules = next;
      const res = await api(`/__faults?scope=${scope}`, { method: 'PUT', body: JSON.stringify({ rules }) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    async add(more: FaultRule[]) {
      await this.set([...rules, ...more]);
    },
    async clear() {
      rules = [];
      await api(`/__faults?scope=${scope}`, { method: 'DELETE' });
    },
  };
}

export interface SessionJson {
  id: string;
  user_id: string;
  client_id: string;
  status: string;
}

export async function sessionStatus(sessionId: string): Promise<string> {
  const { status, body } = await api(`/v1/sessions/${sessionId}`);
  expect(status).toBe(200);
  return (body as SessionJson).status;
}

export async function activeSessionsOf(userId: string): Promise<SessionJson[]> {
  const { body } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=100`);
  return body as SessionJson[];
}

const FIXTURE_EMAIL = /^(ada\.lovelace|five\.sessions|heavy\.user|hostile\.)/;

/**
 * An ordinary seeded user (no named fixture) with at least `min` active sessions, taken from the index band
 * [from, to) of the user list. Each test uses its own band (and other spec files use offsets from 150 up), so no
 * two tests ever touch the same person.
 */
export async function userInBand(
  from: number,
  to: number,
  min = 1,
): Promise<{ userId: string; active: SessionJson[] }> {
  const { body } = await api(`/v1/users?limit=${to - from}&offset=${from}`);
  for (const u of body as { id: string; email_addresses: { email_address: string }[] }[]) {
    if (u.email_addresses.some((e) => FIXTURE_EMAIL.test(e.email_address))) continue;
    const active = await activeSessionsOf(u.id);
    if (active.length >= min) return { userId: u.id, active };
  }
  throw new Error(`no ordinary user with ${min} active sessions in users [${from}, ${to})`);
}

// ---------------------------------------------------------------------------------------------------------------
// The audit log, read through the console as an admin

export interface AuditRow {
  action: string;
  outcome: string;
  text: string;
}

/** The rows of /audit for these filters (newest first), read in a page signed in as admin. */
export async function readAudit(page: Page, filters: Record<string, string>): Promise<AuditRow[]> {
  const qs = new URLSearchParams({ ...filters, limit: '100' });
  await page.goto(`/audit?${qs.toString()}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  return page.locator('[data-testid="audit-row"]').evaluateAll((trs) =>
    trs.map((tr) => ({
      action: tr.getAttribute('data-action') ?? '',
      outcome: tr.getAttribute('data-outcome') ?? '',
      text: (tr as HTMLElement).innerText,
    })),
  );
}

/** A page signed in as the demo admin, for reading the audit log. */
export async function adminPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL });
  const page = await context.newPage();
  return { page, close: () => context.close() };
}

/** RFC 4180 records (quoted fields, doubled quotes, CRLF) as objects keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const records = readCsv(text);
  const [header = [], ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** The audit log through the console's own CSV export (every matching row, not one page), read as admin. */
export async function auditExport(filters: Record<string, string>): Promise<Record<string, string>[]> {
  const res = await getAs(
    `/api/audit/export?${new URLSearchParams(filters).toString()}`,
    sessionCookieOf('admin'),
  );
  expect(res.status, res.text.slice(0, 200)).toBe(200);
  return parseCsv(res.text);
}

/**
 * Refusals of this actor at `where` (e.g. `action:session.revoke`) counted in access.denied rows last touched since
 * `since`. One row stands for every refusal of one source in one minute: its `byWhere` counts them per entry point.
 */
export async function deniedSince(actor: string, where: string, since: number): Promise<number> {
  const rows = await auditExport({ actor, action: 'access.denied' });
  let n = 0;
  for (const r of rows) {
    if (r.outcome !== 'denied') continue;
    const other = JSON.parse(r.other_details || '{}') as {
      lastAt?: string;
      byWhere?: Record<string, number>;
    };
    if (Date.parse(other.lastAt ?? r.at ?? '') < since - 1_000) continue;
    n += other.byWhere?.[where] ?? 0;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Staff accounts of the suite's own (the demo accounts stay untouched)

export type { StaffAccount };

/** Runs the staff CLI on the e2e data (see runStaffCli). */
export const staffCli = runStaffCli;

/** A throwaway account of the test's own (see createStaff in ./support); the label names CLI-made ones. */
export const createStaff = (role: StaffRole, label: string): Promise<StaffAccount> =>
  createStaffAccount(role, `sec-${label}`);

/** A staff member's id, from the account itself when the setup project's batch made it, else from the staff CLI. */
export async function staffIdOf(account: StaffAccount): Promise<string | undefined> {
  if (account.id) return account.id;
  const listed = JSON.parse((await staffCli(['list', '--json'])).stdout) as { id: string; email: string }[];
  return listed.find((m) => m.email === account.email)?.id;
}

/** Signs in (signInOverHttp) in a fresh context; returns a blank page of it and its session cookie. */
export async function signInFresh(
  browser: Browser,
  account: StaffAccount,
): Promise<{ page: Page; cookie: string; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const cookies = await signInOverHttp(BASE_URL, account.email, account.password);
  await context.addCookies(cookies);
  const cookie = cookies.find((c) => c.name === SESSION_COOKIE)!;
  return { page: await context.newPage(), cookie: cookie.value, close: () => context.close() };
}

// ---------------------------------------------------------------------------------------------------------------
// Recording the console's actions from the UI

const sessionRows = (page: Page) => page.locator('tbody tr[data-session-id]');

/**
 * Records every session action from real clicks on a user's sessions page (as support: revoke, active ids,
 * bulk revoke; the writes are aborted in flight, so nothing is revoked) and the token action on a session's page
 * (as admin, aborted too). The list itself is a GET route (see sessionsListPath).
 */
export async function recordSessionActions(
  browser: Browser,
  userId: string,
  activeSessionId: string,
): Promise<{
  revoke: RecordedAction;
  activeIds: RecordedAction;
  bulk: RecordedAction;
  token: RecordedAction;
}> {
  const support = await browser.newContext({ storageState: storageStateFor('support'), baseURL: BASE_URL });
  const admin = await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL });
  // The support and admin recordings share nothing: one runs while the other waits on the server.
  const asSupport = async () => {
    const page = await support.newPage();
    await page.goto(`/sessions?user_id=${userId}`);
    await expect(sessionRows(page).first()).toBeVisible();

    const row = page.locator(`tbody tr[data-session-id="${activeSessionId}"]`);
    await row.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await dialog.getByLabel('Reason').fill('security suite: recorded, never sent');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    const revoke = await recordAction(
      page,
      () => dialog.getByRole('button', { name: 'Revoke session', exact: true }).click(),
      { abort: true },
    );
    await page.reload();
    await expect(sessionRows(page).first()).toBeVisible();

    const activeIds = await recordAction(page, () =>
      page.getByRole('button', { name: 'Revoke all active sessions' }).click(),
    );
    const everywhere = page.getByRole('dialog', { name: 'Sign out everywhere' });
    await expect(everywhere.getByTestId('bulk-question')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(everywhere).toBeHidden();

    await page.getByRole('checkbox', { name: `Select session ${activeSessionId}` }).check();
    await page.getByRole('button', { name: /^Revoke selected/ }).click();
    const selected = page.getByRole('dialog', { name: 'Revoke selected sessions' });
    await selected.getByLabel('Reason').fill('security suite: recorded, never sent');
    await selected.getByLabel('Category').selectOption('suspected_compromise');
    const bulk = await recordAction(
      page,
      () => selected.getByRole('button', { name: /^Revoke 1 session$/ }).click(),
      {
        abort: true,
      },
    );
    return { revoke, activeIds, bulk };
  };
  const asAdmin = async () => {
    const adminPageForToken = await admin.newPage();
    await adminPageForToken.goto(`/sessions/${activeSessionId}`);
    const form = adminPageForToken.getByRole('region', { name: 'Create a token' });
    await form.getByLabel('Template').selectOption('hasura');
    await form.getByLabel('Reason').fill('security suite: recorded, never sent');
    await form.getByLabel('Category').selectOption('suspected_compromise');
    await form.getByLabel('Password', { exact: true }).fill('not-the-password');
    return recordAction(adminPageForToken, () => form.getByRole('button', { name: 'Create token' }).click(), {
      abort: true,
    });
  };
  try {
    const [{ revoke, activeIds, bulk }, token] = await Promise.all([asSupport(), asAdmin()]);
    return { revoke, activeIds, bulk, token };
  } finally {
    await support.close();
    await admin.close();
  }
}
