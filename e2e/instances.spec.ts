// Crash and multi-instance behaviour, against servers this file starts itself (not the config's shared ones): a
// console SIGKILLed in the middle of a bulk revoke, then restarted on the same data; and two consoles sharing one
// PostgreSQL. Each describe has its own embedded API, data folders and ports, and stops them afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { signInAt } from './support';
import type { LocalClerkServer } from '../lib/local-clerk/server';
import {
  apiClient,
  startApi,
  startConsole,
  startPostgresProcess,
  type ApiClient,
  type ConsoleProcess,
  type ConsoleOptions,
} from '../lib/testing/processes';

const KEY = 'sk_test_INSTANCESinstances0123456789xyz';
const signedIn = (browser: Browser, base: string, email: string) => signInAt(browser, base, email, PASSWORD);
const PASSWORD = 'instances-demo-password';
const REVOKE_PATH = '^/v1/sessions/[^/]+/revoke$';

test.describe('a console killed with SIGKILL in the middle of a revocation job', () => {
  test.describe.configure({ mode: 'serial' });
  let dataDir: string;
  let api: LocalClerkServer;
  let client: ApiClient;
  let options: ConsoleOptions;
  let consoleProc: ConsoleProcess | null = null;

  test.beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-crash-'));
    api = await startApi({ dataDir: path.join(dataDir, 'api'), secretKey: KEY, rateLimit: 0, faults: true });
    client = apiClient(api.url, KEY);
    // The same instance id before and after the crash: the restarted process is "the same console, restarted".
    // A short lease so the restarted runner takes over the dead one's items quickly.
    options = {
      apiUrl: api.url,
      apiKey: KEY,
      dataDir: path.join(dataDir, 'console'),
      demoPassword: PASSWORD,
      instanceId: 'crash-test-console',
      // Four runner workers: at most four revokes are in flight when the process is killed (the bound below).
      env: {
        CLERK_TIMEOUT_MS: '2000',
        JOBS_LEASE_SECONDS: '5',
        JOBS_POLL_MS: '200',
        JOBS_CONCURRENCY: '4',
        // This tests the job engine over heavy.user's sessions; e2e/approvals.spec.ts tests the approval gate.
        APPROVAL_MIN_SESSIONS: '10000000',
      },
    };
    consoleProc = await startConsole(options);
  });

  test.afterAll(async () => {
    await consoleProc?.stop();
    await api?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the restarted console finishes the job: 0 sessions lost, none revoked twice', async ({ browser }) => {
    test.setTimeout(180_000);
    const heavy = await client.userIdByEmail('heavy.user@example.com');
    const before = await client.sessionIds(heavy, 'active');
    await client.setFaults([{ method: 'POST', path: REVOKE_PATH, latencyMs: 800 }]);
    await client.clearRequests();

    const support = await signedIn(browser, consoleProc!.url, 'support@example.com');
    await support.goto(`/sessions?user_id=${heavy}`);
    await support.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = support.getByRole('dialog', { name: 'Sign out everywhere' });
    await dialog.getByLabel('Reason').fill('e2e crash: stolen laptop, ticket 77');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByLabel(`Type ${before.length} to confirm`).fill(String(before.length));
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: /^Revoke [\d,]+ sessions$/ }).click();
    await expect(support).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    const jobPath = new URL(support.url()).pathname;

    // Kill once a dozen revokes have reached Clerk and one is still inside its 800 ms delay: its attempt is
    // recorded and its answer never comes back.
    await expect
      .poll(
        async () => {
          const revokes = (await client.requests()).requests.filter(
            (r) => r.method === 'POST' && r.path.endsWith('/revoke'),
          );
          const last = revokes.at(-1);
          return revokes.length >= 12 && last !== undefined && Date.now() - last.at < 400;
        },
        { timeout: 30_000, intervals: [50] },
      )
      .toBe(true);
    await consoleProc!.crash();
    await support.context().close();
    await client.clearFaults();
    expect((await client.sessionIds(heavy, 'active')).length).toBeGreaterThan(0);

    consoleProc = await startConsole(options);
    await expect
      .poll(async () => (await client.sessionIds(heavy, 'active')).length, {
        timeout: 150_000,
        intervals: [1000],
      })
      .toBe(0);
    const admin = await signedIn(browser, consoleProc.url, 'admin@example.com');
    await admin.goto(jobPath);
    await expect(admin.getByTestId('job-state')).toHaveText('Done');
    // Every session is credited exactly once: nothing lost, nothing counted twice or called "already inactive".
    await expect(admin.getByTestId('count-revoked')).toHaveText(before.length.toLocaleString('en-US'));
    await expect(admin.getByTestId('count-already_inactive')).toHaveText('0');
    await expect(admin.getByTestId('count-failed')).toHaveText('0');
    const revokes = (await client.requests()).requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/revoke'),
    );
    const perSession = new Map<string, number>();
    for (const r of revokes) perSession.set(r.path, (perSession.get(r.path) ?? 0) + 1);
    // Only a revoke cut off by the kill (at most one per worker) may be sent again, after reading the session
    // back showed it still active (the embedded API drops a request whose client vanished).
    expect([...perSession.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(4);
    expect([...perSession.values()].every((n) => n <= 2)).toBe(true);
    expect(perSession.size).toBe(before.length);
    await admin.context().close();
  });
});

test.describe('two consoles sharing one PostgreSQL', () => {
  test.describe.configure({ mode: 'serial' });
  let dataDir: string;
  let api: LocalClerkServer;
  let client: ApiClient;
  let pg: { url: string | null; stop(): Promise<void> } | null = null;
  let a: ConsoleProcess | null = null;
  let b: ConsoleProcess | null = null;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-multi-'));
    pg = await startPostgresProcess();
    if (!pg.url) return; // no PostgreSQL on this machine (and not CI): the tests below say so
    api = await startApi({ dataDir: path.join(dataDir, 'api'), secretKey: KEY, rateLimit: 0, faults: true });
    client = apiClient(api.url, KEY);
    const shared = {
      apiUrl: api.url,
      apiKey: KEY,
      demoPassword: PASSWORD,
      databaseUrl: pg.url,
      authSecret: 'instances-e2e-shared-auth-secret-0123456789',
    };
    // Started together: both migrate the empty database and both create the demo staff at once.
    [a, b] = await Promise.all([
      startConsole({ ...shared, dataDir: path.join(dataDir, 'a'), instanceId: 'console-a' }),
      startConsole({ ...shared, dataDir: path.join(dataDir, 'b'), instanceId: 'console-b' }),
    ]);
  });

  test.afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await api?.close();
    await pg?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a revoke made on instance A is in the audit log on instance B', async ({ browser }) => {
    test.skip(!pg?.url, 'PostgreSQL is not installed here (set TEST_DATABASE_URL or install postgresql)');
    const five = await client.userIdByEmail('five.sessions@example.com');
    const [target] = await client.sessionIds(five, 'active');
    expect(target).toBeTruthy();

    const support = await signedIn(browser, a!.url, 'support@example.com');
    await support.goto(`/sessions/${target}`);
    await support
      .getByRole('button', { name: /^Revoke/ })
      .first()
      .click();
    const dialog = support.getByRole('dialog', { name: 'Revoke session?' });
    await dialog.getByLabel('Reason').fill('e2e multi-instance: ticket 4242');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect
      .poll(async () => (await client.call<{ status: string }>(`/v1/sessions/${target}`)).status)
      .toBe('revoked');

    const admin = await signedIn(browser, b!.url, 'admin@example.com');
    await admin.goto(`/audit?target=${target}`);
    const row = admin.getByTestId('audit-row').filter({ hasText: 'e2e multi-instance: ticket 4242' });
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-action', 'session.revoke');
    await expect(row).toHaveAttribute('data-outcome', 'succeeded');
    await expect(row).toContainText('support@example.com');
    await support.context().close();
    await admin.context().close();
  });

  test('a demotion made on instance A bites on instance B at the next request', async ({ browser }) => {
    test.skip(!pg?.url, 'PostgreSQL is not installed here (set TEST_DATABASE_URL or install postgresql)');
    const five = await client.userIdByEmail('five.sessions@example.com');
    const member = await signedIn(browser, b!.url, 'support@example.com');
    await member.goto(`/sessions?user_id=${five}`);
    await expect(member.getByRole('banner').getByText('support', { exact: true })).toBeVisible();
    await expect(member.getByRole('button', { name: 'Revoke all active sessions' })).toBeVisible();

    const admin = await signedIn(browser, a!.url, 'admin@example.com');
    await admin.goto('/staff');
    await admin.getByLabel('Reason').fill('e2e multi-instance: access review');
    await admin.getByLabel('Category').selectOption('suspected_compromise');
    await admin.getByLabel('Your password').fill(PASSWORD);
    await admin.getByLabel('Role of support@example.com').selectOption('viewer');
    await expect(admin.getByRole('status')).toContainText('support@example.com is now viewer');

    await member.reload();
    await expect(member.getByRole('banner').getByText('viewer', { exact: true })).toBeVisible();
    await expect(member.getByRole('button', { name: 'Revoke all active sessions' })).toHaveCount(0);
    await member.context().close();
    await admin.context().close();
  });
});
