import { expect, test, type Page } from '@playwright/test';
import { api, storageStateFor, userByEmail } from './support';
import { getAs, sessionCookieOf, userInBand, type SessionJson } from './security-helpers';

/**
 * Hostile data shown as text only: the seed's hostile users (markup in names, devices and cities, a bidi override,
 * a 2,000-character name) and a staff-typed reason full of markup. No dialog may fire, no element may come from
 * the data, and no link may carry a `javascript:` (or other script) URL.
 */

const HOSTILE_USERS = ['hostile.html@example.com', 'hostile.rtl@example.com', 'hostile.long@example.com'];

const REACT_FORM_SENTINEL = "javascript:throw new Error('React form unexpectedly submitted.')";

/** Collects dialogs instead of letting one pass unnoticed. */
function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return seen;
}

async function expectInert(page: Page) {
  const inline = await page
    .locator('script:not([src])')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  for (const text of inline) {
    // Next's flight-data scripts carry the data as JSON strings with `<` escaped (\u003c), so nothing in them can
    // end the script or start an element. Any other inline script must not be data at all.
    expect(text).not.toMatch(/<\/?script|<img/i);
    if (/alert\(/.test(text)) expect(text.trimStart()).toMatch(/^\(?self\.__next_f/);
  }
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('[onerror], [onload], [onclick], [onmouseover], [onfocus]')).toHaveCount(0);
  await expect(page.locator('b', { hasText: 'Bold' })).toHaveCount(0);
  const urls = await page.evaluate(() =>
    [...document.querySelectorAll('[href], [src], [action], [formaction]')].flatMap((el) =>
      ['href', 'src', 'action', 'formaction']
        .map((a) => el.getAttribute(a))
        .filter((v): v is string => v !== null),
    ),
  );
  for (const url of urls) {
    // React itself puts this exact sentinel on forms whose action is a function (it throws if ever navigated to).
    if (url === REACT_FORM_SENTINEL) continue;
    expect(url.replace(/[\s\u0000-\u001f]/g, '')).not.toMatch(/^(javascript|vbscript|data):/i);
  }
  // A bidi override from upstream stays inside an isolating wrapper, so it can't reorder the text around it.
  const unisolated = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent?.includes('\u202E') || !el || el.closest('script, style, [hidden], title')) continue;
      const isolated =
        el.closest('.upstream-text, bdi') ??
        (getComputedStyle(el).unicodeBidi.includes('isolate') ? el : null);
      if (!isolated) out.push(n.textContent.slice(0, 60));
    }
    return out;
  });
  expect(unisolated).toEqual([]);
}

async function sessionsOf(userId: string): Promise<SessionJson[]> {
  const { body } = await api(`/v1/sessions?user_id=${userId}&limit=10`);
  return body as SessionJson[];
}

test.describe('hostile upstream data', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('users search, sessions lists and client lists render it as text', async ({ page }) => {
    const dialogs = watchDialogs(page);
    await page.goto(`/users?query=hostile`);
    await expect(page.getByText('hostile.html@example.com')).toBeVisible();
    await expectInert(page);
    for (const email of HOSTILE_USERS) {
      const user = await userByEmail(email);
      await test.step(email, async () => {
        await page.goto(`/users?query=${encodeURIComponent(email)}`);
        await expect(page.getByText(email).first()).toBeVisible();
        await expectInert(page);
        await page.goto(`/sessions?user_id=${user.id}&status=all`);
        await expect(page.locator('tbody tr[data-session-id]').first()).toBeVisible();
        await expectInert(page);
        const [first] = await sessionsOf(user.id);
        await page.goto(`/sessions?client_id=${first!.client_id}&status=all`);
        await expect(page.locator('tbody tr[data-session-id]').first()).toBeVisible();
        await expectInert(page);
      });
    }
    // The markup is there to read, as text.
    const html = await userByEmail('hostile.html@example.com');
    await page.goto(`/sessions?user_id=${html.id}&status=all`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('<script>alert(1)</script>');
    await expect(page.getByText('<b>Bold</b>Browser').first()).toBeVisible();
    await expect(page.getByText('javascript:alert(3)').first()).toBeVisible();
    expect(dialogs).toEqual([]);
  });

  test('session detail, the revoke and sign-out-everywhere dialogs and the token warning render it as text', async ({
    page,
  }) => {
    const dialogs = watchDialogs(page);
    for (const email of HOSTILE_USERS) {
      const user = await userByEmail(email);
      await test.step(email, async () => {
        const active = (await sessionsOf(user.id)).find((s) => s.status === 'active');
        expect(active, `an active session of ${email}`).toBeTruthy();
        await page.goto(`/sessions/${active!.id}`);
        await expect(page.getByRole('region', { name: 'Create a token' })).toBeVisible();
        await expectInert(page);

        await page.getByRole('button', { name: 'Revoke session' }).click();
        const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
        await expect(dialog).toBeVisible();
        await expectInert(page);
        await dialog.getByRole('button', { name: 'Cancel' }).click();

        await page.goto(`/sessions?user_id=${user.id}`);
        await page.getByRole('button', { name: 'Revoke all active sessions' }).click();
        const everywhere = page.getByRole('dialog', { name: 'Sign out everywhere' });
        await expect(everywhere.getByTestId('bulk-question')).toBeVisible();
        await expectInert(page);
        await everywhere.getByRole('button', { name: 'Cancel' }).click();
      });
    }
    expect(dialogs).toEqual([]);
  });

  test('the HTML of those pages carries the markup only escaped; their RSC payloads are never served as HTML', async () => {
    const admin = sessionCookieOf('admin');
    const user = await userByEmail('hostile.html@example.com');
    const active = (await sessionsOf(user.id)).find((s) => s.status === 'active')!;
    for (const p of [`/sessions?user_id=${user.id}`, `/sessions/${active.id}`]) {
      const html = await getAs(p, admin);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      // In the HTML the data never appears raw: only HTML-escaped (text) or \u003c-escaped (flight data).
      expect(html.text).not.toContain('<script>alert(1)</script>');
      expect(html.text).not.toContain('<img src=x onerror=alert(2)>');
      expect(html.text).not.toContain('<b>Bold</b>');
      // The RSC payload does carry the markup, as JSON strings: opened directly it must never be read as HTML.
      const rsc = await getAs(p, admin, { RSC: '1' });
      expect(rsc.text).toContain('alert(1)');
      expect(rsc.headers.get('content-type')).toMatch(/^text\/x-component/);
      expect(rsc.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

test.describe('a staff-typed reason full of markup', () => {
  test.use({ storageState: storageStateFor('support') });

  const REASON =
    '=HYPERLINK("https://evil.example","x") <img src=x onerror=alert(4)><script>alert(5)</script> javascript:alert(6)';

  test('is stored and shown as text on the audit log, the session page and in the CSV export', async ({
    page,
    browser,
  }) => {
    const { userId, active } = await userInBand(45, 60, 1);
    const sessionId = active[0]!.id;
    await page.goto(`/sessions?user_id=${userId}`);
    const row = page.locator(`tbody tr[data-session-id="${sessionId}"]`);
    await row.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await dialog.getByLabel('Reason').fill(REASON);
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
    await expect(row).toHaveAttribute('data-status', 'revoked');

    const context = await browser.newContext({ storageState: storageStateFor('admin') });
    const admin = await context.newPage();
    const dialogs = watchDialogs(admin);
    await admin.goto(`/audit?target=${sessionId}`);
    const auditRow = admin.locator('[data-testid="audit-row"][data-action="session.revoke"]').first();
    await expect(auditRow).toContainText('<img src=x onerror=alert(4)><script>alert(5)</script>');
    await expectInert(admin);
    await admin.goto(`/sessions/${sessionId}`);
    await expect(
      admin.getByRole('region', { name: 'Audit events' }).getByText(/onerror=alert\(4\)/),
    ).toBeVisible();
    await expectInert(admin);
    expect(dialogs).toEqual([]);
    await context.close();

    // A spreadsheet must not read the reason as a formula.
    const csv = await getAs(`/api/audit/export?target=${sessionId}`, sessionCookieOf('admin'));
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('HYPERLINK');
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});
