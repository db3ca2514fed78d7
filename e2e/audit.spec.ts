import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  api,
  clearFaults,
  DEMO_PASSWORD,
  expectNoSeriousAxeViolations,
  setFaults,
  storageStateFor,
  userByEmail,
} from './support';

async function activeAdaSession(): Promise<string> {
  const ada = await userByEmail('ada.lovelace@example.com');
  const { body } = await api(`/v1/sessions?user_id=${ada.id}&status=active&limit=10`);
  // The last one: token.spec mints on the first, and this spec counts rows for its session.
  const session = (body as { id: string }[]).at(-1);
  expect(session, 'an active session of Ada').toBeTruthy();
  return session!.id;
}

/** Mints a token through the UI and returns the JWT (revealed), so the audit page can be checked against it. */
async function mintToken(page: Page, sessionId: string, reason: string): Promise<string> {
  await page.goto(`/sessions/${sessionId}`);
  const form = page.getByRole('region', { name: 'Create a token' });
  await form.getByLabel('Template').selectOption('hasura');
  await form.getByLabel('Reason').fill(reason);
  await form.getByLabel('Category').selectOption('suspected_compromise');
  await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Create token' }).click();
  await form.getByRole('button', { name: 'Reveal token' }).click();
  const jwt = (await form.getByTestId('token-jwt').textContent())?.trim() ?? '';
  expect(jwt).toMatch(/^eyJ/);
  return jwt;
}

function rows(page: Page) {
  return page.getByTestId('audit-row');
}

test.describe('audit log as admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('lists the token.create event with template and reason, and never the JWT', async ({ page }) => {
    const sessionId = await activeAdaSession();
    const reason = `e2e audit ${Date.now()}: ticket 777`;
    const jwt = await mintToken(page, sessionId, reason);

    await page.goto('/audit?action=token.create');
    const row = rows(page).filter({ hasText: reason });
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-outcome', 'succeeded');
    await expect(row.getByText('admin@example.com')).toBeVisible();
    await expect(row.getByText('hasura', { exact: true })).toBeVisible();
    await expect(row.getByText('Succeeded')).toBeVisible();
    await expect(row.getByRole('link', { name: sessionId })).toHaveAttribute(
      'href',
      `/sessions/${sessionId}`,
    );
    await expect(row.getByRole('cell').first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    // The token's expiry is shown as a time, not a bare epoch number.
    await expect(row.getByText('Token expires')).toBeVisible();
    const html = await page.content();
    expect(html).not.toContain(jwt);
    expect(html).not.toContain(jwt.split('.')[2]!);

    // The session's own detail page lists the same event.
    await page.goto(`/sessions/${sessionId}`);
    await expect(
      page.getByRole('region', { name: 'Audit events' }).getByTestId('audit-row').filter({ hasText: reason }),
    ).toHaveCount(1);
  });

  test('filters by action and outcome through the form, kept in the URL', async ({ page }) => {
    const sessionId = await activeAdaSession();
    await mintToken(page, sessionId, `e2e audit filter ${Date.now()}`);

    await page.goto('/audit');
    const filters = page.getByRole('form', { name: 'Filter the audit log' });
    await filters.getByLabel('Action').selectOption('token.create');
    await filters.getByLabel('Outcome').selectOption('succeeded');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/\/audit\?action=token\.create&outcome=succeeded$/);
    await expect(rows(page).first()).toBeVisible();
    for (const r of await rows(page).all()) {
      await expect(r).toHaveAttribute('data-action', 'token.create');
      await expect(r).toHaveAttribute('data-outcome', 'succeeded');
    }
    await expect(page.getByRole('link', { name: /Export CSV/ })).toHaveAttribute(
      'href',
      '/api/audit/export?action=token.create&outcome=succeeded',
    );

    // A filter nothing matches says so; clearing restores the fields from the URL.
    await page.goto('/audit?action=audit.reconcile&target=sess_nothingmatchesthis');
    await expect(page.getByText('No audit event matches these filters')).toBeVisible();
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(filters.getByLabel('Action')).toHaveValue('');
    await expect(filters.getByLabel('Target')).toHaveValue('');

    // A hand-edited link is not silently "fixed".
    await page.goto('/audit?action=drop.table&target=../etc');
    await expect(page.getByText('Unknown action “drop.table” was ignored.')).toBeVisible();
    await expect(page.getByText(/not a session, user or client id/)).toBeVisible();
  });

  test('the CSV export downloads the filtered rows and is itself audited', async ({ page }) => {
    const sessionId = await activeAdaSession();
    const reason = `e2e csv ${Date.now()}`;
    await mintToken(page, sessionId, reason);

    await page.goto(`/audit?action=token.create&target=${sessionId}`);
    const total = Number((await page.getByTestId('total-count').textContent())?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(0);
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: /Export CSV/ }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(total);
    expect(csv).toContain(reason);
    expect(csv).toContain(sessionId);
    for (const line of lines.slice(1)) expect(line).toContain('token.create');
    expect(csv).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);

    // Headers: an attachment, never cached.
    const res = await page.request.get(`/api/audit/export?action=token.create&target=${sessionId}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="audit-/);
    expect(res.headers()['cache-control']).toContain('no-store');

    await page.goto(`/audit?action=audit.export&target=${sessionId}`);
    await expect(rows(page).first()).toBeVisible();
    await expect(rows(page).first()).toHaveAttribute('data-action', 'audit.export');
  });

  test('an export with a malformed filter is refused', async ({ page }) => {
    const res = await page.request.get('/api/audit/export?target=../../etc/passwd');
    expect(res.status()).toBe(400);
    expect(await res.text()).toMatch(/not a session, user or client id/);
  });

  test('an unknown outcome is shown and explained', async ({ page }) => {
    const sessionId = await activeAdaSession();
    const reason = `e2e unknown ${Date.now()}`;
    // The token call hangs past the console's Clerk timeout: nobody knows whether a token was minted.
    await setFaults([
      { method: 'POST', path: `^/v1/sessions/${sessionId}/tokens/`, latencyMs: 8_000, times: 1 },
    ]);
    try {
      await page.goto(`/sessions/${sessionId}`);
      const form = page.getByRole('region', { name: 'Create a token' });
      await form.getByLabel('Template').selectOption('hasura');
      await form.getByLabel('Reason').fill(reason);
      await form.getByLabel('Category').selectOption('suspected_compromise');
      await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await form.getByRole('button', { name: 'Create token' }).click();
      await expect(form.getByRole('alert').first()).toBeVisible({ timeout: 15_000 });
      await expect(form.getByTestId('token-claims')).toHaveCount(0);
    } finally {
      await clearFaults();
    }
    await page.goto('/audit?action=token.create&outcome=unknown');
    const row = rows(page).filter({ hasText: reason });
    await expect(row).toHaveCount(1);
    await expect(row.getByText('Unknown', { exact: true })).toBeVisible();
    await expect(
      page.getByText('The console stopped before the outcome was known; reconcile by checking the session.'),
    ).toBeVisible();
  });

  test('axe: no serious or critical violation on the audit page', async ({ page }) => {
    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe('audit log as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('gets the 403 page, and cannot export', async ({ page }) => {
    const res = await page.goto('/audit');
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/access/i);
    await expect(page.getByRole('table')).toHaveCount(0);
    const exp = await page.request.get('/api/audit/export');
    expect(exp.status()).toBe(403);
    expect(exp.headers()['content-type']).not.toMatch(/csv/);
  });
});

test.describe('audit log denials', () => {
  test('the denial of support appears in the log for an admin', async ({ browser }) => {
    const support = await browser.newContext({ storageState: storageStateFor('support') });
    const supportPage = await support.newPage();
    const since = Date.now() - 1_000;
    await supportPage.goto('/audit');
    await support.close();

    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const page = await admin.newPage();
    await page.goto('/audit?action=access.denied&outcome=denied&actor=support%40example.com');
    const row = rows(page).first();
    await expect(row).toBeVisible();
    await expect(row.getByText('support@example.com')).toBeVisible();
    // One row per source and minute: "Denied ×N", last refused at or after this test's own refusal.
    await expect(row.getByText(/^Denied ×\d+$/)).toBeVisible();
    const last = row.locator('dt', { hasText: 'Last refused' }).locator('xpath=following-sibling::dd[1]');
    expect(Date.parse((await last.textContent()) ?? '')).toBeGreaterThanOrEqual(since);
    await admin.close();
  });

  test('an anonymous export is refused', async ({ playwright, baseURL }) => {
    const anon = await playwright.request.newContext({ baseURL });
    const res = await anon.get('/api/audit/export');
    expect(res.status()).toBe(401);
    await anon.dispose();
  });
});
