import { expect, test } from '@playwright/test';
import {
  api,
  createStaff,
  expectNoSeriousAxeViolations,
  signIn,
  storageStateFor,
  userByEmail,
  HOME_URL,
} from './support';

const SEARCH = 'Search users, sessions, clients';

async function adaActive() {
  const ada = await userByEmail('ada.lovelace@example.com');
  const { body } = await api(`/v1/sessions?user_id=${ada.id}&status=active&limit=100`);
  return { ada, sessions: body as { id: string; client_id: string }[] };
}

test.describe('shell as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('shows who is signed in, the sections for the role, and one search box', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    const header = page.getByRole('banner');
    await expect(header.getByText('support@example.com')).toBeVisible();
    await expect(header.getByText('support', { exact: true })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('link', { name: 'Users' })).not.toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await expect(page.getByLabel(SEARCH)).toHaveCount(1);
    await expect(header.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  test('the search box sends ids to their views', async ({ page }) => {
    const { ada, sessions } = await adaActive();
    const session = sessions[0]!;
    const search = async (q: string) => {
      await page.getByLabel(SEARCH).fill(q);
      await page.getByLabel(SEARCH).press('Enter');
    };
    await page.goto('/users');
    await search(session.id);
    await expect(page).toHaveURL(new RegExp(`/sessions/${session.id}$`));

    await search(session.client_id);
    await expect(page).toHaveURL(new RegExp(`/sessions\\?client_id=${session.client_id}$`));
    await expect(page.locator(`tbody tr[data-session-id="${session.id}"]`)).toBeVisible();

    await search(`  ${ada.id} `);
    await expect(page).toHaveURL(new RegExp(`/sessions\\?user_id=${ada.id}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();

    await search('Lovelace');
    await expect(page).toHaveURL(/\/users\?query=Lovelace$/);
  });

  test('an email or phone number that is exactly one user’s goes straight to their sessions; a partial one to the search', async ({
    page,
  }) => {
    const { ada } = await adaActive();
    const search = async (q: string) => {
      await page.getByLabel(SEARCH).fill(q);
      await page.getByLabel(SEARCH).press('Enter');
    };
    await page.goto('/users');
    await search('Ada.Lovelace@example.com');
    await expect(page).toHaveURL(new RegExp(`/sessions\\?user_id=${ada.id}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();

    await page.goto('/users');
    await search('+1 555 010 0001');
    await expect(page).toHaveURL(new RegExp(`/sessions\\?user_id=${ada.id}$`));

    await search('lovelace@example.com');
    await expect(page).toHaveURL(/\/users\?query=lovelace%40example\.com$/);
    await search('nobody.at.all@example.com');
    await expect(page).toHaveURL(/\/users\?query=nobody\.at\.all%40example\.com$/);
    await expect(page.getByText('No users found')).toBeVisible();
  });

  test('an unknown address shows the 404 page', async ({ page }) => {
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to Users' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  test('keyboard users can skip to the content', async ({ page }) => {
    await page.goto('/users');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
  });
});

test.describe('shell as admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('an admin also sees Audit', async ({ page }) => {
    await page.goto('/users');
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }),
    ).toBeVisible();
    await expect(page.getByRole('banner').getByText('admin', { exact: true })).toBeVisible();
  });
});

test.describe('shell as viewer', () => {
  test.use({ storageState: storageStateFor('viewer') });

  test('a page beyond the role shows the 403 page with the role', async ({ page }) => {
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
    await expect(page.getByRole('main').getByText('viewer', { exact: true })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe('signing out', () => {
  test('ends this browser session and returns to sign-in', async ({ page }) => {
    // Signing out ends every session of that staff member, so this uses an account of its own.
    const member = await createStaff('support');
    await signIn(page, member.email, member.password);
    await expect(page).toHaveURL(HOME_URL);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto('/users');
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fusers/);
  });
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a console page sends to the sign-in form, which passes axe', async ({ page }) => {
    await page.goto('/users');
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByLabel('Email')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});
