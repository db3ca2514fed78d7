// Reason codes, ticket links and "tell the user" through the browser: the audit log shows the code and links the
// ticket, a notice the member edited reaches the local SMTP catcher and the Outbox with the member's words only,
// and a reason code outside the deployer's list is refused when the action is posted by hand.
// Its own user (seed users 220–230: no other spec touches them); parallel-safe.
import { expect, test, type Page } from '@playwright/test';
import { CANARY_SECRET_KEY, storageStateFor } from './support';
import {
  expectRefused,
  recordAction,
  recordedArgs,
  replayAction,
  sessionCookieOf,
  sessionStatus,
  userInBand,
} from './security-helpers';

const TICKET_BASE = 'https://support.example.com/tickets/';
let user: { userId: string; sessions: string[] };

test.use({ storageState: storageStateFor('admin') });

test.beforeAll(async () => {
  const { userId, active } = await userInBand(220, 230, 3);
  user = { userId, sessions: active.map((s) => s.id) };
});

async function openRevoke(page: Page, sessionId: string) {
  await page.goto(`/sessions?user_id=${user.userId}`);
  const row = page.locator(`tbody tr[data-session-id="${sessionId}"]`);
  await row.getByRole('button', { name: /^Revoke/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
  await expect(dialog.getByLabel('Category')).toBeVisible();
  return { row, dialog };
}

test('a revoke records the category the member chose (none is preselected) and its ticket; the audit log links the ticket', async ({
  page,
}) => {
  const sessionId = user.sessions[0]!;
  const { row, dialog } = await openRevoke(page, sessionId);
  await dialog.getByLabel('Reason').fill('e2e reasons: laptop reported stolen');
  // No category is chosen for the member: sending without one is refused in the form, and nothing reaches Clerk.
  await expect(dialog.getByLabel('Category')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
  await expect(dialog.getByText('Choose a category.', { exact: true })).toBeVisible();
  await expect(dialog.getByLabel('Category')).toHaveAttribute('aria-invalid', 'true');
  await expect(row).toHaveAttribute('data-status', 'active');
  await dialog.getByLabel('Category').selectOption({ label: 'Lost or stolen device' });
  await expect(dialog.getByText('Choose a category.', { exact: true })).toBeHidden();
  await dialog.getByLabel('Ticket (optional)').fill('https://evil.example/x');
  await expect(dialog.getByText(/never a link/)).toBeVisible();
  await dialog.getByLabel('Ticket (optional)').fill('SUP-4711');
  await expect(dialog.getByRole('link', { name: `${TICKET_BASE}SUP-4711` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
  await expect(row).toHaveAttribute('data-status', 'revoked');

  await page.goto(`/audit?target=${sessionId}&reason_code=lost_device&ticket=SUP-4711`);
  const entry = page.locator('tbody tr').filter({ hasText: 'session.revoke' }).first();
  await expect(entry).toContainText('Lost or stolen device');
  const link = entry.getByRole('link', { name: 'Ticket SUP-4711' });
  await expect(link).toHaveAttribute('href', `${TICKET_BASE}SUP-4711`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noreferrer noopener');
  await page.goto(`/audit?target=${sessionId}&reason_code=policy`);
  await expect(page.getByText('No audit event matches these filters')).toBeVisible();
});

test('"tell the user": the edited message reaches the Outbox, caught locally, with nothing internal', async ({
  page,
}) => {
  const sessionId = user.sessions[1]!;
  const internal = `e2e internal note ${Date.now()}`;
  const words = `Hello from the e2e desk ${Date.now()}: we signed you out of the laptop you reported.`;
  const { row, dialog } = await openRevoke(page, sessionId);
  await dialog.getByLabel('Reason').fill(internal);
  await dialog.getByLabel('Category').selectOption('lost_device');
  await dialog.getByLabel('Tell the user by email').check();
  const message = dialog.getByLabel('Message to the user');
  await expect(message).toHaveValue(/reported lost or stolen/);
  await message.fill(words);
  await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
  await expect(row).toHaveAttribute('data-status', 'revoked');
  // The row turns at once (optimistic); the upstream revoke is what counts.
  await expect.poll(() => sessionStatus(sessionId)).toBe('revoked');

  const mail = page.locator('tbody tr').filter({ hasText: words });
  await expect(async () => {
    await page.goto('/outbox');
    await expect(mail).toContainText('sent', { timeout: 1000 });
    await expect(mail).toContainText('caught locally', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  const text = await mail.innerText();
  expect(text).toContain('You were signed out of one of your devices');
  for (const secret of [internal, 'admin@example.com', CANARY_SECRET_KEY, sessionId]) {
    expect(text).not.toContain(secret);
  }
});

test('a reason code outside the list is refused when posted by hand', async ({ page }) => {
  const sessionId = user.sessions[2]!;
  const { dialog } = await openRevoke(page, sessionId);
  await dialog.getByLabel('Reason').fill('e2e reasons: recorded, never sent');
  await dialog.getByLabel('Category').selectOption('suspected_compromise');
  const rec = await recordAction(
    page,
    () => dialog.getByRole('button', { name: 'Revoke session', exact: true }).click(),
    { abort: true },
  );
  const args = recordedArgs(rec);
  expect(args).toMatchObject({ sessionId, reasonCode: 'suspected_compromise' });
  const reply = await replayAction(rec, {
    cookie: sessionCookieOf('admin'),
    args: [{ ...args, idempotencyKey: crypto.randomUUID(), reasonCode: 'because_i_said_so' }],
  });
  expectRefused(reply, 'invalid_input');
  expect(JSON.stringify(reply.result)).toContain('Choose a reason code from the list.');
  expect(await sessionStatus(sessionId)).toBe('active');
});
