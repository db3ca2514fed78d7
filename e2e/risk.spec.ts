// Risk signals where the agent decides: the seed's planted users (lib/local-clerk/seed-risk.ts) show their badges
// with evidence on focus, the travellers show none, "Needs a look" filters, a signal can be marked reviewed by
// support (not by a viewer, even by a raw action POST), and the home page's watchlist (on a console of its own,
// since the shared one runs no background scan) lists the high-severity users within its request budget.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { RISK_FIXTURES } from '../lib/local-clerk/seed-risk';
import type { LocalClerkServer } from '../lib/local-clerk/server';
import { apiClient, startApi, startConsole, type ConsoleProcess } from '../lib/testing/processes';
import { api, expectNoSeriousAxeViolations, signInAt, storageStateFor, userByEmail } from './support';
import { auditExport, expectRefused, recordAction, replayAction, sessionCookieOf } from './security-helpers';

async function activeSessions(email: string) {
  const user = await userByEmail(email);
  const { body } = await api(`/v1/sessions?user_id=${user.id}&status=active&limit=100`);
  return { user, sessions: body as { id: string; latest_activity: { city: string; device_type: string } }[] };
}

const signalButtons = (page: Page) => page.locator('button[data-signal]');

test.describe('planted users as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('Hélène Huet: impossible travel with its evidence on focus, a summary line, and Needs a look', async ({
    page,
  }) => {
    const { user } = await activeSessions(RISK_FIXTURES.impossibleTravel);
    await page.goto(`/sessions?user_id=${user.id}`);
    await expect(page.getByTestId('risk-summary')).toHaveText('3 signals on 1 session');
    const travel = page.getByRole('button', { name: 'Impossible travel' });
    await expect(travel).toHaveCount(1);
    await expect(page.getByRole('tooltip')).toHaveCount(0);
    await travel.focus();
    const tip = page.getByRole('tooltip');
    await expect(tip).toHaveText(
      'High severity. Neubrandenburg, Germany, 13 h ago: 930 km from Villejuif, France 40 min earlier (1,390 km/h).',
    );
    await expect(travel).toHaveAccessibleDescription(/930 km from Villejuif, France/);
    const row = page.getByRole('row').filter({ has: travel });
    await expect(row.getByRole('button', { name: 'Several countries' })).toBeVisible();
    await expect(row.getByRole('button', { name: 'New country' })).toBeVisible();
    // The place under the IP names the country (the API only has its code).
    await expect(row.getByText('Neubrandenburg, Germany', { exact: true })).toBeVisible();
    // Five other active sessions, in Villejuif, carry no badge.
    await expect(page.locator('tbody tr')).toHaveCount(6);
    await expect(signalButtons(page)).toHaveCount(3);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('link', { name: 'Needs a look' }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions\\?user_id=${user.id}&look=1$`));
    await expect(page.getByRole('link', { name: /Needs a look/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await expect(
      page.locator('tbody tr').getByText('Neubrandenburg, Germany', { exact: true }),
    ).toBeVisible();
  });

  test('each planted case shows its badge, and the hover shows the evidence', async ({ page }) => {
    const cases = [
      [RISK_FIXTURES.newCountry, 'New country', /Spain \(ES\): none of the 2 older sessions was used there/],
      [RISK_FIXTURES.severalCountries, 'Several countries', /India \(1 session\), United Arab Emirates/],
      [
        RISK_FIXTURES.newDevice,
        'New device',
        /Edge on Windows: none of the 3 older sessions used Windows or Edge/,
      ],
      [
        RISK_FIXTURES.impersonated,
        'Impersonation',
        /Active session opened by user_\w+ via https:\/\/dashboard\.clerk\.com/,
      ],
      [RISK_FIXTURES.stale, 'Stale', /Active but unused for 45 days/],
    ] as const;
    for (const [email, label, evidence] of cases) {
      const { user } = await activeSessions(email);
      await page.goto(`/sessions?user_id=${user.id}`);
      await expect(page.getByTestId('risk-summary'), email).toHaveText('1 signal on 1 session');
      const badge = page.getByRole('button', { name: label, exact: true });
      await badge.hover();
      await expect(page.getByRole('tooltip')).toHaveText(evidence);
      await expect(signalButtons(page)).toHaveCount(1);
    }
  });

  test('the travellers are not flagged: a train within a country, a flight, two sessions in one city', async ({
    page,
  }) => {
    for (const email of [RISK_FIXTURES.train, RISK_FIXTURES.flight, RISK_FIXTURES.oneCity]) {
      const { user, sessions } = await activeSessions(email);
      await page.goto(`/sessions?user_id=${user.id}`);
      await expect(page.getByTestId('risk-summary'), email).toHaveText('No signals');
      await expect(page.locator('tbody tr')).toHaveCount(sessions.length);
      await expect(signalButtons(page)).toHaveCount(0);
      await page.goto(`/sessions?user_id=${user.id}&look=1`);
      await expect(page.getByText('No active sessions need a look')).toBeVisible();
    }
  });

  test('marking a signal reviewed keeps it shown, as reviewed, audited with the note', async ({ page }) => {
    const { user, sessions } = await activeSessions(RISK_FIXTURES.newCountry);
    const madrid = sessions.find((s) => s.latest_activity.city === 'Madrid')!;
    await page.goto(`/sessions/${madrid.id}`);
    const panel = page.getByRole('region', { name: 'Risk signals' });
    await expect(
      panel.getByText('Spain (ES): none of the 2 older sessions was used there (they were in Portugal)', {
        exact: true,
      }),
    ).toBeVisible();
    await panel.getByText('Mark reviewed').click();
    await panel.getByLabel('Note on “New country”').fill('Moved to Madrid, confirmed by phone (ticket 981)');
    await panel.getByRole('button', { name: 'Save review' }).click();
    // The review line itself (the badge's hidden tooltip repeats it for screen readers).
    const reviewLine = panel.locator('p').filter({ hasText: /^Reviewed by support@example\.com/ });
    await expect(reviewLine).toBeVisible();
    await expect(reviewLine).toContainText('Moved to Madrid, confirmed by phone (ticket 981)');
    await expect(panel.getByRole('button', { name: 'New country (reviewed)' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    await page.goto(`/sessions?user_id=${user.id}`);
    await expect(page.getByTestId('risk-summary')).toHaveText('No signals (1 reviewed)');
    await expect(page.getByRole('button', { name: 'New country (reviewed)' })).toBeVisible();
    await page.goto(`/sessions?user_id=${user.id}&look=1`);
    await expect(page.getByText('No active sessions need a look')).toBeVisible();

    const rows = await auditExport({ action: 'risk.review', target: madrid.id });
    expect(rows.map((r) => [r.outcome, r.actor_email, r.reason])).toEqual([
      ['succeeded', 'support@example.com', 'Moved to Madrid, confirmed by phone (ticket 981)'],
    ]);
  });

  test('a viewer cannot review, even by posting the action by hand', async ({ page, browser }) => {
    const { sessions } = await activeSessions(RISK_FIXTURES.newDevice);
    const windows = sessions.find((s) => s.latest_activity.device_type === 'Windows')!;
    await page.goto(`/sessions/${windows.id}`);
    const panel = page.getByRole('region', { name: 'Risk signals' });
    await panel.getByText('Mark reviewed').click();
    await panel.getByLabel('Note on “New device”').fill('recorded, never sent');
    const rec = await recordAction(page, () => panel.getByRole('button', { name: 'Save review' }).click(), {
      abort: true,
    });
    const reply = await replayAction(rec, { cookie: sessionCookieOf('viewer') });
    expectRefused(reply, 'forbidden');

    const viewer = await browser.newContext({ storageState: storageStateFor('viewer') });
    const viewerPage = await viewer.newPage();
    await viewerPage.goto(`/sessions/${windows.id}`);
    const viewerPanel = viewerPage.getByRole('region', { name: 'Risk signals' });
    await expect(viewerPanel.getByRole('button', { name: 'New device' })).toBeVisible();
    await expect(viewerPanel.getByText('Mark reviewed')).toHaveCount(0);
    await viewer.close();
    expect(await auditExport({ action: 'risk.review', target: windows.id })).toEqual([]);
  });
});

test.describe('the home page watchlist, on a console of its own', () => {
  test.describe.configure({ mode: 'serial' });
  const KEY = 'sk_test_WATCHLISTwatchlist0123456789xyz';
  const PASSWORD = 'watchlist-demo-password';
  const CAP = 60;
  const INTERVAL_S = 1;
  let dataDir: string;
  let clerk: LocalClerkServer;
  let consoleProc: ConsoleProcess;

  test.beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-watchlist-'));
    clerk = await startApi({
      dataDir: path.join(dataDir, 'api'),
      secretKey: KEY,
      rateLimit: 0,
      faults: true,
    });
    consoleProc = await startConsole({
      apiUrl: clerk.url,
      apiKey: KEY,
      dataDir: path.join(dataDir, 'console'),
      demoPassword: PASSWORD,
      env: { WATCHLIST_INTERVAL_SECONDS: String(INTERVAL_S), WATCHLIST_MAX_REQUESTS: String(CAP) },
    });
  });

  test.afterAll(async () => {
    await consoleProc?.stop();
    await clerk?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('lists the high-severity users, not the travellers, within the scan budget', async ({ browser }) => {
    test.setTimeout(150_000);
    const page = await signInAt(browser, consoleProc.url, 'support@example.com', PASSWORD);

    // A full pass over the ~300 users active in the last 24 h takes several capped refreshes.
    const helene = page.getByTestId('watchlist-entry').filter({ hasText: 'Hélène Huet' });
    await expect(async () => {
      await page.goto('/');
      await expect(helene).toBeVisible({ timeout: 1_000 });
      await expect(page.getByTestId('watchlist-entry').filter({ hasText: 'Priya Raman' })).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 120_000, intervals: [INTERVAL_S * 1000] });

    await expect(helene).toContainText(
      'Impossible travel: Neubrandenburg, Germany, 13 h ago: 930 km from Villejuif, France 40 min earlier (1,390 km/h)',
    );
    await expect(page.getByTestId('watchlist-status')).toContainText(
      /Scanned [\d,]+ of [\d,]+ users, last at/,
    );
    for (const name of ['Lukas Becker', 'Claire Martin', 'Sam Lee', 'Kenji Watanabe', 'Olga Petrova'])
      await expect(page.getByTestId('watchlist-entry').filter({ hasText: name })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Revocation jobs running now' })).toHaveCount(0);
    await expectNoSeriousAxeViolations(page);

    // Only the scan talks to Clerk here (the home page reads the stored result). Refreshes are INTERVAL_S
    // apart and each one's requests follow each other within milliseconds: split the log at the pauses and
    // every refresh must have stayed within CAP.
    const { requests } = await apiClient(clerk.url, KEY).requests();
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const refreshes: number[] = [];
    let last = -Infinity;
    for (const at of requests.map((r) => r.at).sort((a, b) => a - b)) {
      if (at - last > (INTERVAL_S * 1000) / 2) refreshes.push(0);
      refreshes[refreshes.length - 1]! += 1;
      last = at;
    }
    expect(refreshes.length).toBeGreaterThan(1);
    expect(Math.max(...refreshes)).toBeLessThanOrEqual(CAP);

    await helene.getByRole('link', { name: 'Hélène Huet' }).click();
    await expect(page).toHaveURL(/look=1$/);
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await page.context().close();
  });
});
