// Incident jobs that contain (issue 21): the incident form chooses the action for the whole list, and the job page
// shows each user's step with its outcome and Clerk's trace id; Clerk's own state is read back afterwards.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, DEMO_PASSWORD, storageStateFor } from './support';
import { userInBand, BASE_URL } from './security-helpers';

async function as(browser: Browser, role: 'admin'): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role), baseURL: BASE_URL });
  return context.newPage();
}

async function lockedOf(userId: string): Promise<boolean> {
  const { body } = await api(`/v1/users/${userId}`);
  return (body as { locked: boolean }).locked;
}

test('an admin locks a list of two users from the incident form; each user reads locked', async ({
  browser,
}) => {
  const one = await userInBand(200, 210, 1);
  const two = await userInBand(210, 220, 1);
  const admin = await as(browser, 'admin');
  await admin.goto('/jobs/new');
  await admin.getByLabel('Emails or user ids').fill([one.userId, two.userId].join('\n'));
  await admin.getByRole('button', { name: 'Look up users' }).click();
  await expect(admin.getByTestId('incident-summary')).toContainText('2 found, 0 not found');
  await admin.getByRole('radio', { name: /Lock the accounts/ }).check();
  await admin.getByLabel('Reason').fill('e2e contain: credential stuffing from one ASN');
  await admin.getByLabel('Category').selectOption('suspected_compromise');
  await admin.getByLabel('Type 2 to confirm').fill('2');
  await admin.getByLabel('Password').fill(DEMO_PASSWORD);
  await admin.getByRole('button', { name: 'Lock 2 users' }).click();
  await expect(admin).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(admin.getByTestId('job-action')).toHaveText('Lock the accounts');
  await expect(admin.getByTestId('job-state')).toHaveText('Done');
  await expect(admin.getByTestId('count-done')).toHaveText('2');
  const rows = admin.locator('[data-testid="job-item"][data-step="lock"]');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Locked.');
  expect(await lockedOf(one.userId)).toBe(true);
  expect(await lockedOf(two.userId)).toBe(true);
  for (const u of [one.userId, two.userId]) await api(`/v1/users/${u}/unlock`, { method: 'POST' });
  await admin.context().close();
});
