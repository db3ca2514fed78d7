// Crash and multi-instance behaviour, against servers this file starts itself (not the config's shared ones): a
// console SIGKILLed in the middle of a bulk revoke, then restarted on the same data; and two consoles sharing one
// PostgreSQL. Each describe has its own embedded API, data folders and ports, and stops them afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { LocalClerkServer } from '../lib/local-clerk/server';
import {
  apiClient,
  startApi,
  startConsole,
  startPostgresProcess,
  type ApiClient,
  type ConsoleProcess,
  type ConsoleOptions,
} from '../lib/bench/processes';

const KEY = 'sk_test_INSTANCESinstances0123456789xyz';
const PASSWORD = 'instances-demo-password';
const REVOKE_PATH = '^/v1/sessions/[^/]+/revoke$';

async function signedIn(browser: Browser, base: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/users/);
  return page;
}

interface AuditRowView {
  outcome: string;
  sessionId: string | null;
  text: string;
}

async function auditRows(page: Page): Promise<AuditRowView[]> {
  return page.getByTestId('audit-row').evaluateAll((trs) =>
    trs.map((tr) => ({
      outcome: tr.getAttribute('data-outcome') ?? '',
      sessionId: tr.querySelector('a[href^="/sessions/sess_"]')?.getAttribute('href')?.split('/')[2] ?? null,
      text: tr.textContent ?? '',
    })),
  );
}

test.describe('a console killed in the middle of a bulk revoke', () => {
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
    options = {
      apiUrl: api.url,
      apiKey: KEY,
      dataDir: path.join(dataDir, 'console'),
      demoPassword: PASSWORD,
      instanceId: 'crash-test-console',
      env: { CLERK_TIMEOUT_MS: '10000' },
    };
    consoleProc = await startConsole(options);
  });

  test.afterAll(async () => {
    await consoleProc?.stop();
    await api?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('loses no audit row; interrupted revokes read "unknown" and reconcile to what Clerk says', async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const heavy = await client.userIdByEmail('heavy.user@example.com');
    const revokedBefore = new Set(await client.sessionIds(heavy, 'revoked'));
    await client.setFaults([{ method: 'POST', path: REVOKE_PATH, latencyMs: 800 }]);
    await client.clearRequests();

    const support = await signedIn(browser, consoleProc!.url, 'support@example.com');
    await support.goto(`/sessions?user_id=${heavy}`);
    await support.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = support.getByRole('dialog', { name: 'Sign out everywhere' });
    await dialog.getByLabel('Reason').fill('e2e crash: stolen laptop, ticket 77');
    await dialog.getByRole('button', { name: /^Revoke [\d,]+ sessions$/ }).click();

    // Kill once a dozen revokes have reached Clerk and one of them is still inside its 800 ms delay: that one's
    // intent is written and its answer never comes back.
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
    await sleep(1200); // whatever was in flight upstream has settled
    await client.clearFaults();

    const newlyRevoked = (await client.sessionIds(heavy, 'revoked')).filter((id) => !revokedBefore.has(id));
    const sent = (await client.requests()).requests.filter((r) => r.path.endsWith('/revoke')).length;
    // The requests cut off mid-flight may or may not have been carried out (the embedded API drops a request
    // whose client vanished): reconciliation has to find out which.
    expect(newlyRevoked.length).toBeGreaterThan(0);
    expect(newlyRevoked.length).toBeLessThanOrEqual(sent);

    consoleProc = await startConsole(options);
    const admin = await signedIn(browser, consoleProc.url, 'admin@example.com');
    await admin.goto('/audit?action=session.revoke&limit=100');
    let rows = await auditRows(admin);
    expect(rows.length).toBeLessThan(100); // all on one page
    const outcomeOf = new Map(rows.map((r) => [r.sessionId, r.outcome]));
    const unknown = rows.filter((r) => r.outcome === 'unknown');
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => ['succeeded', 'unknown'].includes(r.outcome))).toBe(true);
    // No audit row is lost: every session Clerk now reports revoked has its row, succeeded or unknown.
    for (const id of newlyRevoked) expect(['succeeded', 'unknown'], id).toContain(outcomeOf.get(id));
    // And no row claims a success Clerk does not show.
    for (const r of rows.filter((x) => x.outcome === 'succeeded'))
      expect(newlyRevoked).toContain(r.sessionId);
    await expect(admin.getByText('Unknown outcome:', { exact: false }).first()).toBeVisible();
    const axe = await new AxeBuilder({ page: admin }).analyze();
    expect(
      axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);

    for (let i = 0; i < unknown.length; i++) {
      const row = admin
        .getByTestId('audit-row')
        .filter({ has: admin.getByRole('button', { name: 'Reconcile' }) });
      const button = row.first().getByRole('button', { name: 'Reconcile' });
      const sessionId = (await row.first().locator('a[href^="/sessions/sess_"]').textContent())!.trim();
      await button.click();
      const settled = admin.getByTestId('audit-row').filter({ hasText: sessionId });
      await expect(settled.getByTestId('reconcile-result')).toContainText('Resolved as');
      await expect(settled).not.toHaveAttribute('data-outcome', 'unknown');
      await expect(settled).toContainText('Reconciled by admin@example.com');
    }
    await expect(admin.getByRole('button', { name: 'Reconcile' })).toHaveCount(0);

    await admin.reload();
    rows = await auditRows(admin);
    const apiRevoked = new Set(await client.sessionIds(heavy, 'revoked'));
    for (const r of rows) {
      expect(['succeeded', 'failed'], `${r.sessionId}`).toContain(r.outcome);
      // Reconciled outcomes agree with Clerk: succeeded ⇔ revoked; failed ⇔ not revoked (code not_applied).
      expect(r.outcome === 'succeeded', `${r.sessionId}`).toBe(apiRevoked.has(r.sessionId!));
      if (r.outcome === 'failed') expect(r.text).toContain('not_applied');
    }
    // The reconciliation is itself in the log, once per settled row, by the admin.
    await admin.goto('/audit?action=audit.reconcile&limit=100');
    const reconciles = await auditRows(admin);
    expect(reconciles).toHaveLength(unknown.length);
    for (const r of reconciles) expect(r.text).toContain('admin@example.com');
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
