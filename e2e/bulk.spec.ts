import { expect, test, type Page } from '@playwright/test';
import { api, storageStateFor, userByEmail } from './support';

interface SessionJson {
  id: string;
  status: string;
}

const rows = (page: Page) => page.locator('tbody tr[data-session-id]');

async function activeIds(userId: string): Promise<string[]> {
  const { body } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=500`);
  return (body as SessionJson[]).map((s) => s.id);
}

test.describe('bulk revoke as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('signs five.sessions out everywhere: count, progress, outcomes, then none active', async ({
    page,
  }) => {
    const five = await userByEmail('five.sessions@example.com');
    expect(await activeIds(five.id)).toHaveLength(5);
    await page.goto(`/sessions?user_id=${five.id}`);
    await expect(rows(page)).toHaveCount(5);

    await page.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere' });
    await expect(dialog.getByTestId('bulk-question')).toHaveText(
      'Revoke 5 active sessions of Five Sessions?',
    );
    await dialog.getByRole('button', { name: 'Revoke 5 sessions' }).click();
    await expect(dialog.getByText('Give a reason (at least 3 characters).')).toBeVisible();
    await dialog.getByLabel('Reason').fill('e2e bulk: stolen phone, sign out everywhere');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke 5 sessions' }).click();

    // The revoke runs as a job on the server; the dialog hands over to the job's page.
    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('job-state')).toHaveText('Done');
    await expect(page.getByRole('progressbar', { name: 'Job progress' })).toHaveAttribute(
      'aria-valuenow',
      '5',
    );
    await expect(page.getByTestId('count-revoked')).toHaveText('5');
    const items = page.getByTestId('job-item');
    await expect(items).toHaveCount(5);
    await expect(items.filter({ hasText: 'Revoked' })).toHaveCount(5);
    await page.goto(`/sessions?user_id=${five.id}`);
    await expect(page.getByText('No active sessions', { exact: true })).toBeVisible();
    expect(await activeIds(five.id)).toEqual([]);
  });

  test('revokes the selected sessions only', async ({ page }) => {
    const { body } = await api('/v1/users?limit=60&offset=200');
    let target: { userId: string; active: string[] } | null = null;
    for (const u of body as { id: string }[]) {
      const active = await activeIds(u.id);
      if (active.length >= 3) {
        target = { userId: u.id, active };
        break;
      }
    }
    expect(target, 'an ordinary user with 3 active sessions').toBeTruthy();
    await page.goto(`/sessions?user_id=${target!.userId}`);
    await expect(rows(page)).toHaveCount(target!.active.length);
    const chosen = await rows(page).evaluateAll((trs) =>
      trs.slice(0, 2).map((tr) => tr.getAttribute('data-session-id')!),
    );
    for (const id of chosen) await page.getByRole('checkbox', { name: `Select session ${id}` }).check();

    await page.getByRole('button', { name: 'Revoke selected (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke selected sessions' });
    await expect(dialog.getByTestId('bulk-question')).toHaveText(/^Revoke 2 selected sessions of .+\?$/);
    await dialog.getByLabel('Reason').fill('e2e bulk: two stale devices');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke 2 sessions' }).click();
    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('job-state')).toHaveText('Done');
    await expect(page.getByTestId('count-revoked')).toHaveText('2');

    const stillActive = await activeIds(target!.userId);
    expect(stillActive.sort()).toEqual(target!.active.filter((id) => !chosen.includes(id)).sort());
  });
  // Cancelling a running job and the typed confirmation above 50 sessions: e2e/jobs.spec.ts.
});
