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

async function activeCount(userId: string): Promise<number> {
  const { body } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=1&paginated=true`);
  return (body as { total_count: number }).total_count;
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
    await dialog.getByRole('button', { name: 'Revoke 5 sessions' }).click();

    const bar = dialog.getByRole('progressbar', { name: 'Revoke progress' });
    await expect(bar).toHaveAttribute('aria-valuemax', '5');
    await expect(bar).toHaveAttribute('aria-valuenow', '5');
    await expect(
      dialog.getByRole('status').filter({ hasText: 'Done. 5 of 5 sessions revoked.' }),
    ).toBeVisible();
    const outcomes = dialog.getByRole('list', { name: 'Outcomes' }).getByRole('listitem');
    await expect(outcomes).toHaveCount(5);
    await expect(outcomes.filter({ hasText: 'Revoked' })).toHaveCount(5);

    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(dialog).toBeHidden();
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
    await dialog.getByRole('button', { name: 'Revoke 2 sessions' }).click();
    await expect(
      dialog.getByRole('status').filter({ hasText: 'Done. 2 of 2 sessions revoked.' }),
    ).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    const stillActive = await activeIds(target!.userId);
    expect(stillActive.sort()).toEqual(target!.active.filter((id) => !chosen.includes(id)).sort());
  });

  test('Cancel stops after the batch in flight and says what was not attempted', async ({ page }) => {
    const heavy = await userByEmail('heavy.user@example.com');
    const before = await activeCount(heavy.id);
    expect(before).toBeGreaterThan(100);
    await page.goto(`/sessions?user_id=${heavy.id}`);
    await page.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere' });
    await expect(dialog.getByTestId('bulk-question')).toHaveText(
      `Revoke ${before.toLocaleString('en-US')} active sessions of Heavy User?`,
    );
    await dialog.getByLabel('Reason').fill('e2e bulk: cancel test');
    await dialog.getByRole('button', { name: /^Revoke [\d,]+ sessions$/ }).click();
    await expect(dialog.getByRole('progressbar', { name: 'Revoke progress' })).toBeVisible();
    // While running, Escape does not close the dialog: the run would continue unseen.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: /^Cancelled\. / })).toBeVisible();

    const summary = (await dialog
      .getByRole('status')
      .filter({ hasText: /^Cancelled\. / })
      .textContent())!;
    const revoked = Number(/(\d+) of [\d,]+ sessions revoked/.exec(summary)![1]);
    const skipped = Number(/([\d,]+) not attempted/.exec(summary)![1]!.replace(/,/g, ''));
    expect(revoked % 10).toBe(0);
    expect(revoked).toBeGreaterThanOrEqual(10);
    expect(revoked).toBeLessThan(before);
    expect(revoked + skipped).toBe(before);
    expect(await activeCount(heavy.id)).toBe(before - revoked);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(dialog).toBeHidden();
  });
});
