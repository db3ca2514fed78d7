import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, storageStateFor, userByEmail } from './support';

const SEARCH = 'Search users, sessions, clients';

/** The laid-out height of the one element the locator resolves to (waits for it, never reads "no box"). */
function heightOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => el.getBoundingClientRect().height);
}

/** Fails the test if any script-driven dialog (alert/confirm/prompt) opens: upstream text must never run. */
function forbidDialogs(page: Page) {
  const fired: string[] = [];
  page.on('dialog', async (d) => {
    fired.push(d.message());
    await d.dismiss();
  });
  return fired;
}

test.describe('users as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('without a query the page says how to find someone', async ({ page }) => {
    await page.goto('/users');
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await expect(page.getByText('Find a user by email, name, phone or id')).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  test('finds Ada by email and reaches her sessions', async ({ page }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    // (The global search box goes straight to her sessions for her exact email: see shell.spec.ts.)
    await page.goto('/users?query=ada.lovelace%40example.com');
    const row = page.locator(`tr[data-user-id="${ada.id}"]`);
    await expect(row).toHaveCount(1);
    await expect(row.getByText('ada.lovelace@example.com')).toBeVisible();
    await expect(row.locator('time').first()).toHaveAttribute('title', /UTC$/);
    await expectNoSeriousAxeViolations(page);

    await row.getByRole('link', { name: 'Ada Lovelace' }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions\\?user_id=${ada.id}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
  });

  test('finds users by name and by phone', async ({ page }) => {
    await page.goto('/users?query=Lovelace');
    await expect(page.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();
    await page.goto(`/users?query=${encodeURIComponent('+15550100001')}`);
    await expect(page.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();
  });

  test('says so when nobody matches', async ({ page }) => {
    await page.goto('/users?query=zz-nobody-by-this-name-zz');
    await expect(page.getByText('No users found')).toBeVisible();
    await expect(page.locator('tbody tr')).toHaveCount(0);
  });

  test('pages through a broad search', async ({ page }) => {
    await page.goto('/users?query=example.com&limit=10');
    const nav = page.getByRole('navigation', { name: 'Pagination' });
    await expect(nav.getByText(/Showing 1–10 of/)).toBeVisible();
    await expect(page.locator('tbody tr')).toHaveCount(10);
    const firstPage = await page.locator('tbody tr').first().getAttribute('data-user-id');
    await nav.getByRole('link', { name: 'Next' }).click();
    await expect(page).toHaveURL(/offset=10/);
    await expect(nav.getByText(/Showing 11–20 of/)).toBeVisible();
    await expect(page.locator('tbody tr').first()).not.toHaveAttribute('data-user-id', firstPage!);
  });

  test('hostile names render as inert text', async ({ page }) => {
    const fired = forbidDialogs(page);
    await page.goto(`/users?query=${encodeURIComponent('hostile.html@example.com')}`);
    await expect(page.getByText('<script>alert(1)</script>', { exact: false }).first()).toBeVisible();
    await expect(page.locator('tbody script, tbody img')).toHaveCount(0);
    await page.getByRole('link', { name: /<script>alert\(1\)<\/script>/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('<script>alert(1)</script>');
    await expect(page.getByText('<b>Bold</b>Browser').first()).toBeVisible();
    await expect(page.getByText('javascript:alert(3)').first()).toBeVisible();
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    await expect(page.locator('main b')).toHaveCount(0);
    expect(fired).toEqual([]);
  });

  test('a bidi override in a name is isolated', async ({ page }) => {
    await page.goto(`/users?query=${encodeURIComponent('hostile.rtl@example.com')}`);
    const name = page.locator('tbody .upstream-text').first();
    await expect(name).toContainText('Mallory');
    expect(await name.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');
  });
});

test.describe('at 720 px wide', () => {
  test.use({ storageState: storageStateFor('support'), viewport: { width: 720, height: 900 } });

  test('a 2,000-character name neither widens the page nor fills it', async ({ page }) => {
    await page.goto(`/users?query=${encodeURIComponent('hostile.long@example.com')}`);
    const name = /Wolfeschlegelsteinhausenbergerdorff/;
    const link = page.getByRole('link', { name });
    await expect(link).toBeVisible();
    expect(await heightOf(link)).toBeLessThan(60);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(720);
    await link.click();
    // The click starts a client-side navigation: until it lands, the h1 on screen is still this page's "Users".
    // Wait for the user's own heading before measuring anything.
    await expect(page).toHaveURL(/\/sessions\?user_id=user_/);
    const heading = page.getByRole('heading', { level: 1, name });
    await expect(heading).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(720);
    expect(await heightOf(heading)).toBeLessThan(80);
    await expect(page.getByLabel(SEARCH)).toBeVisible();
  });
});
