import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { api, DEMO_PASSWORD, storageStateFor } from './support';
import { userInBand } from './security-helpers';

/**
 * What a page view or an action costs in Clerk requests, counted in the embedded API's own request log (the budget
 * is charged per request sent, so this is what each one spends). Cold: every measure uses people nobody read in
 * the last seconds, so no read cache helps. Written to test-results/budget-costs-<port>.json for the README.
 */

test.use({ storageState: storageStateFor('admin') });

interface Logged {
  method: string;
  path: string;
}
const costs: Record<string, { requests: number; sent: string[] }> = {};

function shape(r: Logged): string {
  return `${r.method} ${r.path.replace(/\/(user|sess|client|jtmp)_[A-Za-z0-9]+/g, '/$1_…')}`;
}

async function measure(label: string, run: () => Promise<void>): Promise<number> {
  await api('/__faults/requests', { method: 'DELETE' });
  await run();
  const { body } = await api('/__faults/requests');
  const sent = (body as { requests: Logged[] }).requests.map(shape);
  costs[label] = { requests: sent.length, sent };
  return sent.length;
}

async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
}

test.afterAll(() => {
  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync(`test-results/budget-costs-${E2E_PORT}.json`, `${JSON.stringify(costs, null, 2)}\n`);
});

test('pages and actions spend what the request log shows', async ({ page }) => {
  test.setTimeout(90_000);
  const a = await userInBand(336, 350, 2);
  const b = await userInBand(330, 336, 1);

  // A text search is one list and its count.
  expect(
    await measure('users search (text)', async () => {
      await page.goto('/users?query=smith');
      await settled(page);
    }),
  ).toBe(2);
  await measure('users search (email nobody has)', async () => {
    await page.goto('/users?query=nobody-here%40example.invalid');
    await settled(page);
  });
  await measure("a user's sessions page", async () => {
    await page.goto(`/sessions?user_id=${a.userId}`);
    await expect(page.locator('tbody tr[data-session-id]').first()).toBeVisible();
    await settled(page);
  });
  await measure('session detail', async () => {
    await page.goto(`/sessions/${b.active[0]!.id}`);
    await expect(page.getByRole('region', { name: 'Create a token' })).toBeVisible();
    await settled(page);
  });

  await page.goto(`/sessions?user_id=${a.userId}`);
  const row = page.locator(`tbody tr[data-session-id="${a.active[0]!.id}"]`);
  await row.getByRole('button', { name: /^Revoke/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
  await dialog.getByLabel('Reason').fill('budget costs: measured');
  await dialog.getByLabel('Category').selectOption('suspected_compromise');
  await settled(page);
  await measure('revoke one session (with the list refresh after it)', async () => {
    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
    await expect(row).toHaveAttribute('data-status', 'revoked');
    await settled(page);
  });

  await page.goto(`/sessions/${b.active[0]!.id}`);
  const form = page.getByRole('region', { name: 'Create a token' });
  await form.getByLabel('Template').selectOption('hasura');
  await form.getByLabel('Reason').fill('budget costs: measured');
  await form.getByLabel('Category').selectOption('suspected_compromise');
  await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await settled(page);
  await measure('mint a token', async () => {
    await form.getByRole('button', { name: 'Create token' }).click();
    await expect(form.getByRole('heading', { name: 'Token (shown once)' })).toBeVisible();
    await settled(page);
  });

  await measure('home page', async () => {
    await page.goto('/');
    await settled(page);
  });
  await measure('audit log page', async () => {
    await page.goto('/audit');
    await settled(page);
  });
});
