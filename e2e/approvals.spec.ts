// Two-person approval (issue 23): a ban from the incident form waits for a second admin; the requester's own
// Approve, replayed over raw HTTP with their cookie, is refused; a second admin approves from the home panel and the
// job runs; break-glass starts at once and is flagged in the audit log and on the job. Users from [180, 200).
import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, createStaff, DEMO_PASSWORD, storageStateFor } from './support';
import {
  BASE_URL,
  expectRefused,
  readAudit,
  recordAction,
  recordedArgs,
  replayAction,
  sessionCookieOf,
  signInFresh,
  userInBand,
} from './security-helpers';

async function demoAdmin(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL });
  return context.newPage();
}

async function banned(userId: string): Promise<boolean> {
  return ((await api(`/v1/users/${userId}`)).body as { banned: boolean }).banned;
}

/** The incident form up to the submit button: a ban of one user, the approval notice shown. */
async function banForm(page: Page, userId: string, reason: string) {
  await page.goto('/jobs/new');
  await page.getByLabel('Emails or user ids').fill(userId);
  await page.getByRole('button', { name: 'Look up users' }).click();
  await expect(page.getByTestId('incident-summary')).toContainText('1 found, 0 not found');
  await page.getByRole('radio', { name: /Ban the users/ }).check();
  const gate = page.getByTestId('approval-gate');
  await expect(gate).toContainText("This needs a second admin's approval");
  await expect(gate).toContainText('a ban always needs one');
  await page.getByLabel('Reason', { exact: true }).fill(reason);
  await page.getByLabel('Category').selectOption('suspected_compromise');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  return gate;
}

test('a ban waits for a second admin: the requester cannot approve it, even over raw HTTP', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  // The second admin signs in while the requester fills the form.
  const secondAdmin = createStaff('admin');
  const secondReady = secondAdmin.then((account) => signInFresh(browser, account));
  const { userId } = await userInBand(180, 190, 1);
  const requester = await demoAdmin(browser);
  await banForm(requester, userId, 'e2e approvals: ban after phishing report');
  await requester.getByRole('button', { name: 'Ban 1 user: ask a second admin' }).click();
  await expect(requester).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/);
  const approvalPath = new URL(requester.url()).pathname;
  await expect(requester.getByText('Waiting for a second admin')).toBeVisible();
  await expect(requester.getByTestId('approval-facts')).toContainText('a ban always needs one');
  await expect(requester.getByRole('button', { name: /Approve/ })).toHaveCount(0);
  await expect(requester.getByRole('button', { name: 'Cancel this request' })).toBeVisible();
  await expect(
    requester.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }),
  ).toHaveAttribute('aria-current', 'page');
  expect(await banned(userId)).toBe(false);

  const second = await secondReady;
  const { email: secondEmail, password: secondPassword } = await secondAdmin;
  await second.page.goto('/');
  const panel = second.page.getByRole('list', { name: 'Waiting for your approval' });
  await panel.locator(`a[href="${approvalPath}"]`).click();
  await expect(second.page).toHaveURL(approvalPath);
  await expect(second.page.getByTestId('approval-facts')).toContainText(
    'e2e approvals: ban after phishing report',
  );
  const approve = second.page.getByRole('button', { name: 'Approve and start the job' });
  const recorded = await recordAction(
    second.page,
    async () => {
      await second.page.getByLabel('Password').fill(secondPassword);
      await approve.click();
    },
    { abort: true },
  );
  const reply = await replayAction(recorded, {
    args: [{ ...recordedArgs(recorded), idempotencyKey: randomUUID(), password: DEMO_PASSWORD }],
    cookie: sessionCookieOf('admin'),
  });
  expectRefused(reply, 'forbidden');
  expect(reply.text).toContain('your own request');
  expect(await banned(userId)).toBe(false);

  await second.page.reload();
  await second.page.getByLabel('Password').fill(secondPassword);
  await second.page.getByRole('button', { name: 'Approve and start the job' }).click();
  await expect(second.page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(
    second.page.getByText(`Requested by admin@example.com, approved by ${secondEmail}`),
  ).toBeVisible();
  await expect(second.page.getByTestId('job-state')).toHaveText('Done');
  expect(await banned(userId)).toBe(true);
  await requester.goto(approvalPath);
  await expect(requester.getByText('Approved: the job ran')).toBeVisible();
  await api(`/v1/users/${userId}/unban`, { method: 'POST' });
  await second.close();
  await requester.context().close();
});

test('break-glass: one admin bans at once with an emergency reason, flagged in the audit log', async ({
  browser,
}) => {
  const { userId } = await userInBand(190, 200, 1);
  const page = await demoAdmin(browser);
  const gate = await banForm(page, userId, 'e2e approvals: break-glass ban');
  await gate.getByLabel('Emergency: act without a second admin').check();
  await gate.getByLabel('Emergency reason').fill('e2e: takeover in progress, nobody else on call');
  await page.getByRole('button', { name: 'Ban 1 user now (break-glass)' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('alert').filter({ hasText: 'Break-glass' })).toContainText(
    'e2e: takeover in progress, nobody else on call',
  );
  await expect(page.getByTestId('job-state')).toHaveText('Done');
  expect(await banned(userId)).toBe(true);
  const rows = await readAudit(page, { action: 'job.break_glass' });
  expect(rows.find((r) => r.text.includes('e2e: takeover in progress, nobody else on call'))).toMatchObject({
    action: 'job.break_glass',
    outcome: 'succeeded',
  });
  const flagged = page
    .locator('[data-testid="audit-row"][data-action="job.break_glass"]')
    .filter({ hasText: 'e2e: takeover in progress, nobody else on call' });
  await expect(flagged.getByText('Break-glass', { exact: true })).toBeVisible();
  await api(`/v1/users/${userId}/unban`, { method: 'POST' });
  await page.context().close();
});
