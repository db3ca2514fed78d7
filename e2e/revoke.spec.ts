import { expect, test, type Page } from '@playwright/test';
import { api, setFaults, storageStateFor, userByEmail } from './support';

interface SessionJson {
  id: string;
  status: string;
}

const rows = (page: Page) => page.locator('tbody tr[data-session-id]');

/**
 * An ordinary seeded user (not a named fixture other specs count on) with at least `min` active sessions,
 * looked up from a given offset so each test touches its own person.
 */
async function ordinaryUserWithActive(
  offset: number,
  min = 1,
): Promise<{ userId: string; active: string[] }> {
  const { body } = await api(`/v1/users?limit=50&offset=${offset}`);
  for (const u of body as { id: string; email_addresses: { email_address: string }[] }[]) {
    if (
      u.email_addresses.some((e) =>
        /^(ada\.lovelace|five\.sessions|heavy\.user|hostile\.)/.test(e.email_address),
      )
    )
      continue;
    const { body: sessions } = await api(`/v1/sessions?user_id=${u.id}&status=active&limit=100`);
    const active = (sessions as SessionJson[]).map((s) => s.id);
    if (active.length >= min) return { userId: u.id, active };
  }
  throw new Error(`no ordinary user with ${min} active sessions after offset ${offset}`);
}

test.describe('revoking one session as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('asks for a reason, updates the row at once and reports it; the API agrees', async ({ page }) => {
    const { userId, active } = await ordinaryUserWithActive(250);
    await page.goto(`/sessions?user_id=${userId}`);
    await expect(rows(page)).toHaveCount(active.length);
    const row = rows(page).first();
    const sessionId = (await row.getAttribute('data-session-id'))!;

    const person = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
    const device = (await row.locator('td[data-column="device"]').innerText()).split('\n')[0]!.trim();
    await row.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await expect(dialog).toBeVisible();
    // It names the person and the device.
    await expect(dialog).toContainText(person.slice(0, 40));
    if (device !== 'Unknown device') await expect(dialog).toContainText(device);
    await expect(dialog).toContainText(sessionId);

    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
    await expect(dialog.getByText('Give a reason (at least 3 characters).')).toBeVisible();
    await expect(dialog.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');

    await dialog.getByLabel('Reason').fill('e2e revoke: lost laptop, ticket 1001');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toHaveAttribute('data-status', 'revoked');
    await expect(row.getByText('Revoked', { exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: `Session ${sessionId} revoked.` })).toBeVisible();

    const { body } = await api(`/v1/sessions/${sessionId}`);
    expect((body as SessionJson).status).toBe('revoked');
  });

  test('rolls the row back and shows the error with its trace id when Clerk refuses', async ({ page }) => {
    const { userId } = await ordinaryUserWithActive(270);
    await page.goto(`/sessions?user_id=${userId}`);
    const row = rows(page).first();
    const sessionId = (await row.getAttribute('data-session-id'))!;
    await row.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await dialog.getByLabel('Reason').fill('e2e revoke: refused upstream');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await setFaults([{ method: 'POST', path: `^/v1/sessions/${sessionId}/revoke$`, status: 422, times: 1 }]);
    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();

    const alert = page.getByRole('alert').filter({ hasText: `Session ${sessionId} was not revoked.` });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(/Trace id: [0-9a-f]{32}/);
    await expect(row).toHaveAttribute('data-status', 'active');
    await expect(row.getByRole('button', { name: /^Revoke/ })).toBeVisible();
    const { body } = await api(`/v1/sessions/${sessionId}`);
    expect((body as SessionJson).status).toBe('active');
  });

  test('keyboard: the dialog traps focus, Escape closes it and focus returns', async ({ page }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    await page.goto(`/sessions?user_id=${ada.id}`);
    const trigger = rows(page)
      .first()
      .getByRole('button', { name: /^Revoke/ });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Reason')).toBeFocused();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(trigger).toBeFocused();
    // Nothing was revoked.
    await expect(rows(page)).toHaveCount(3);
    await expect(rows(page).filter({ hasText: 'Revoked' })).toHaveCount(0);
  });
});
