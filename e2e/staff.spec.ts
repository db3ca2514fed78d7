import { expect, test } from '@playwright/test';
import {
  createStaff,
  DEMO_PASSWORD,
  expectNoSeriousAxeViolations,
  signIn,
  storageStateFor,
  HOME_URL,
} from './support';

test.describe('staff management as admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('demoting, signing out and disabling a member bite on their next request', async ({
    page,
    browser,
  }) => {
    const member = await createStaff('support');
    const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const them = await theirs.newPage();
    await signIn(them, member.email, member.password);
    await expect(them).toHaveURL(HOME_URL);
    await expect(them.getByRole('banner').getByText('support', { exact: true })).toBeVisible();

    await page.goto('/staff');
    await expect(page.getByRole('heading', { name: 'Staff' })).toBeVisible();
    await page.getByLabel('Reason').fill('access review 7');
    await page.getByLabel('Category').selectOption('suspected_compromise');
    // Every change is confirmed with the admin's password (it is cleared after each one).
    const confirm = () => page.getByLabel('Your password').fill(DEMO_PASSWORD);
    await confirm();
    await page.getByLabel(`Role of ${member.email}`).selectOption('viewer');
    await expect(page.getByRole('status')).toContainText(`${member.email} is now viewer`);

    await them.reload();
    await expect(them.getByRole('banner').getByText('viewer', { exact: true })).toBeVisible();

    await confirm();
    await page.getByRole('button', { name: `Sign out everywhere (${member.email})` }).click();
    await expect(page.getByRole('status')).toContainText('signed out of every console session');
    await them.goto('/users');
    await expect(them).toHaveURL(/\/sign-in/);

    await confirm();
    await page.getByRole('button', { name: `Disable (${member.email})` }).click();
    await expect(page.getByRole('status')).toContainText('is disabled');
    await signIn(them, member.email, member.password);
    await expect(them.getByRole('alert').filter({ hasText: 'Sign-in failed' })).toBeVisible();
    await theirs.close();

    await page.goto(`/audit?action=staff.manage`);
    await expect(page.getByRole('table').getByText(member.email).first()).toBeVisible();
  });

  test('an admin cannot change their own account, and a change needs a reason', async ({ page }) => {
    await page.goto('/staff');
    await expect(page.getByLabel('Role of admin@example.com')).toBeDisabled();
    const member = await createStaff('viewer');
    await page.reload();
    await page.getByRole('button', { name: `Sign out everywhere (${member.email})` }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'reason' })).toBeVisible();
  });

  test('axe: no serious or critical violation', async ({ page }) => {
    await page.goto('/staff');
    await expect(page).toHaveTitle(/Staff/);
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe('staff management as support', () => {
  test.use({ storageState: storageStateFor('support') });
  test('gets the 403 page and no Staff link', async ({ page }) => {
    expect((await page.goto('/staff'))?.status()).toBe(403);
    await expect(page.getByText("You don't have access to this page")).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }),
    ).toHaveCount(0);
  });
});
