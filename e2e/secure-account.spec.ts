import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, DEMO_PASSWORD, storageStateFor, type StaffRole } from './support';
import {
  BASE_URL,
  expectRefused,
  faultScope,
  readAudit,
  recordAction,
  recordedArgs,
  replayAction,
  sessionCookieOf,
} from './security-helpers';

// "Secure this account" and its undos, per role. Users come from the oldest end of the seed ([343, 359)), taken
// from the last one up; the bands other specs take their first user from end before it. Each test takes its own.
interface SeedUser {
  id: string;
  banned: boolean;
  locked: boolean;
  password_enabled: boolean;
  email_addresses: { email_address: string }[];
}

const FIXTURE =
  /^(ada\.lovelace|five\.sessions|heavy\.user|hostile\.|banned\.demo|locked\.demo|compromised\.password|secured\.account)/;
let band: string[] | null = null;
async function nextUser(minActive = 1): Promise<string> {
  if (!band) {
    const { body } = await api('/v1/users?limit=16&offset=343');
    band = (body as SeedUser[])
      .filter((u) => !u.banned && !u.locked && u.password_enabled)
      .filter((u) => !u.email_addresses.some((e) => FIXTURE.test(e.email_address)))
      .map((u) => u.id)
      .reverse();
  }
  const id = band.shift();
  if (!id) throw new Error('no ordinary user with a password left in the band');
  const { body } = await api(`/v1/sessions?user_id=${id}&status=active&limit=100`);
  for (let n = (body as unknown[]).length; n < minActive; n++)
    expect(
      (await api('/v1/sessions', { method: 'POST', body: JSON.stringify({ user_id: id }) })).status,
    ).toBe(200);
  return id;
}

async function pageAs(
  browser: Browser,
  role: StaffRole,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ storageState: storageStateFor(role), baseURL: BASE_URL });
  const page = await context.newPage();
  return { page, close: () => context.close() };
}

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Secure this account' });

async function openDialog(page: Page, userId: string) {
  await page.goto(`/sessions?user_id=${userId}`);
  await page.getByRole('button', { name: 'Secure this account' }).click();
  await expect(dialog(page).getByRole('group', { name: 'Steps' })).toBeVisible();
  return dialog(page);
}

async function secureWithDefaults(page: Page, userId: string, reason: string) {
  const d = await openDialog(page, userId);
  await d.getByRole('button', { name: 'Count what will change' }).click();
  await expect(d.getByRole('list', { name: 'What will change' })).toBeVisible();
  await d.getByLabel('Reason').fill(reason);
  await d.getByLabel('Category').selectOption('suspected_compromise');
  await d.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await d.getByRole('button', { name: 'Secure this account' }).click();
  await expect(d.getByRole('heading', { name: 'What was done' })).toBeVisible();
  return d;
}

const step = (d: ReturnType<typeof dialog>, s: string) => d.locator(`li[data-step="${s}"]`);

test('support secures a taken-over account in one dialog, and sees what was done and what remains', async ({
  browser,
}) => {
  const userId = await nextUser(2);
  const { body } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=100`);
  const active = (body as { id: string }[]).map((s) => s.id);

  // An admin minted a template token for one of the sessions earlier: no step can recall it.
  const admin = await pageAs(browser, 'admin');
  const form = admin.page.getByRole('region', { name: 'Create a token' });
  await admin.page.goto(`/sessions/${active[0]}`);
  await form.getByLabel('Template').selectOption('hasura');
  await form.getByLabel('Reason').fill('e2e secure: debugging before the takeover');
  await form.getByLabel('Category').selectOption('suspected_compromise');
  await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(form.getByRole('heading', { name: 'Token (shown once)' })).toBeVisible();
  await admin.close();

  const support = await pageAs(browser, 'support');
  const d = await openDialog(support.page, userId);
  await expect(d.getByLabel('Sign out everywhere')).toBeChecked();
  await expect(d.getByLabel('Mark the password compromised')).toBeChecked();
  await expect(d.getByLabel('Lock the account')).not.toBeChecked();
  for (const adminOnly of ['Ban the user', 'Revoke API keys', 'Revoke trusted devices', 'Reset MFA']) {
    await expect(d.getByLabel(adminOnly)).toBeDisabled();
  }
  await expect(d.getByText('· admin only')).toHaveCount(4);
  await d.getByRole('button', { name: 'Count what will change' }).click();
  const preview = d.getByRole('list', { name: 'What will change' });
  await expect(preview).toContainText(`Signs out ${active.length} active sessions.`);
  await expect(preview).toContainText('Flags the password.');
  await d.getByLabel('Reason').fill('e2e secure: caller reports account takeover');
  await d.getByLabel('Category').selectOption('suspected_compromise');
  await d.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await d.getByRole('button', { name: 'Secure this account' }).click();

  // The flag runs first, with revoke_all_sessions: one call signs the user out, so nothing is left for the next step.
  const flagged = step(d, 'password_compromised');
  await expect(flagged.getByText('Done', { exact: true })).toBeVisible();
  await expect(flagged).toContainText(/every session signed out/);
  await expect(flagged).toContainText(/Trace id: [0-9a-f]{32}/);
  await expect(step(d, 'sign_out_all').getByText('Already so', { exact: true })).toBeVisible();
  await expect(d.getByRole('link', { name: 'Open the job' })).toHaveAttribute(
    'href',
    /^\/jobs\/[0-9a-f-]{36}$/,
  );
  await expect(d.getByText(/A session token already issued stays valid for up to a minute/)).toBeVisible();
  const mints = d.getByRole('list', { name: 'Template tokens still valid' });
  await expect(mints).toContainText(`hasura for ${active[0]}: valid until`);
  await expect(mints).toContainText(/valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in (59|60) minutes\)/);
  const { body: after } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=100`);
  expect(after).toEqual([]);
  const { body: user } = await api(`/v1/users/${userId}`);
  expect((user as { requires_password_reset: boolean }).requires_password_reset).toBe(true);
  await support.close();
});

test("an admin's dialog offers every step; a viewer sees no button", async ({ browser }) => {
  const userId = await nextUser();
  const admin = await pageAs(browser, 'admin');
  const d = await openDialog(admin.page, userId);
  for (const s of ['Ban the user', 'Revoke API keys', 'Revoke trusted devices', 'Reset MFA']) {
    await expect(d.getByLabel(s)).toBeEnabled();
    await expect(d.getByLabel(s)).not.toBeChecked();
  }
  await expect(d.getByText('· admin only')).toHaveCount(0);
  // The same dialog from a session's detail page.
  const { body } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=1`);
  const [first] = body as { id: string }[];
  await admin.page.goto(`/sessions/${first!.id}`);
  await admin.page.getByRole('button', { name: 'Secure this account' }).click();
  await expect(dialog(admin.page).getByRole('group', { name: 'Steps' })).toBeVisible();
  await admin.close();

  const viewer = await pageAs(browser, 'viewer');
  await viewer.page.goto(`/sessions?user_id=${userId}`);
  await expect(viewer.page.getByRole('region', { name: 'Account state' })).toBeVisible();
  await expect(viewer.page.getByRole('button', { name: 'Secure this account' })).toHaveCount(0);
  await viewer.close();
});

test('raw calls for an admin-only step are refused to support and viewer', async ({ browser }) => {
  const userId = await nextUser();
  const support = await pageAs(browser, 'support');
  const d = await openDialog(support.page, userId);
  const dryRun = await recordAction(
    support.page,
    () => d.getByRole('button', { name: 'Count what will change' }).click(),
    { abort: true },
  );
  await support.close();
  const args = recordedArgs(dryRun);
  for (const role of ['support', 'viewer'] as const) {
    for (const steps of [['ban'], ['sign_out_all', 'reset_mfa']]) {
      const reply = await replayAction(dryRun, { args: [{ ...args, steps }], cookie: sessionCookieOf(role) });
      expectRefused(reply, 'forbidden');
    }
  }
  await api(`/v1/users/${userId}/ban`, { method: 'POST', body: '{}' });
  const admin = await pageAs(browser, 'admin');
  // Banned behind the console's back: its user read (cached up to 5 s) shows it on a read after that.
  await expect
    .poll(async () => {
      await admin.page.goto(`/sessions?user_id=${userId}`);
      return admin.page.getByRole('button', { name: 'Unban' }).count();
    })
    .toBe(1);
  const unban = await recordAction(
    admin.page,
    async () => {
      await admin.page.getByRole('button', { name: 'Unban' }).click();
      await admin.page.getByRole('dialog', { name: 'Unban' }).getByLabel('Reason').fill('e2e record only');
      await admin.page
        .getByRole('dialog', { name: 'Unban' })
        .getByLabel('Category')
        .selectOption('suspected_compromise');
      await admin.page.getByRole('dialog', { name: 'Unban' }).getByRole('button', { name: 'Unban' }).click();
    },
    { abort: true },
  );
  await admin.close();
  for (const role of ['support', 'viewer'] as const) {
    const reply = await replayAction(unban, { cookie: sessionCookieOf(role) });
    expectRefused(reply, 'forbidden');
  }
  const { body: user } = await api(`/v1/users/${userId}`);
  expect((user as { banned: boolean }).banned).toBe(true);
});

test('a step Clerk refuses shows a plain message while the other steps keep their outcome', async ({
  browser,
}) => {
  const userId = await nextUser();
  const faults = faultScope('secure-402');
  await faults.set([{ method: 'POST', path: `^/v1/users/${userId}/password/set_compromised$`, status: 402 }]);
  try {
    const support = await pageAs(browser, 'support');
    const d = await secureWithDefaults(support.page, userId, 'e2e secure: plan refusal');
    await expect(step(d, 'sign_out_all').getByText('Done', { exact: true })).toBeVisible();
    const refused = step(d, 'password_compromised');
    await expect(refused.getByText('Refused by Clerk')).toBeVisible();
    await expect(refused).toContainText(
      /Your Clerk plan does not include [^.]+, so Clerk refused this step\./,
    );
    await expect(refused).toContainText(/Trace id: [0-9a-f]{32}/);
    await expect(d.getByText('The password still works: it was not marked compromised.')).toBeVisible();
    await support.close();
  } finally {
    await faults.clear();
  }
});

test('support undoes a lock and a compromised flag with a reason, and both are in the audit log', async ({
  browser,
}) => {
  const userId = await nextUser();
  await api(`/v1/users/${userId}/lock`, { method: 'POST', body: '{}' });
  await api(`/v1/users/${userId}/password/set_compromised`, { method: 'POST', body: '{}' });
  const support = await pageAs(browser, 'support');
  const p = support.page;
  await p.goto(`/sessions?user_id=${userId}`);
  const panel = p.getByRole('region', { name: 'Account state' });
  await expect(panel.getByRole('button', { name: 'Unban' })).toHaveCount(0);
  for (const [button, reason, gone] of [
    ['Unlock', 'e2e undo: caller verified by phone', /^Locked/],
    [
      'Clear the compromised flag',
      'e2e undo: password was reset by the user',
      /^Password marked compromised$/,
    ],
  ] as const) {
    await panel.getByRole('button', { name: button }).click();
    const d = p.getByRole('dialog', { name: button });
    await d.getByLabel('Reason').fill(reason);
    await d.getByLabel('Category').selectOption('suspected_compromise');
    await d.getByRole('button', { name: button }).click();
    await expect(d).toBeHidden();
    // A fresh page read shows the new state (an account write drops the user from the read cache).
    await expect
      .poll(async () => {
        await p.reload();
        return panel.getByText(gone).count();
      })
      .toBe(0);
  }
  await support.close();

  const admin = await pageAs(browser, 'admin');
  const unlock = await readAudit(admin.page, { action: 'account.unlock', target: userId });
  expect(unlock).toHaveLength(1);
  expect(unlock[0]).toMatchObject({ outcome: 'succeeded' });
  expect(unlock[0]!.text).toContain('e2e undo: caller verified by phone');
  const unset = await readAudit(admin.page, { action: 'account.unset_compromised', target: userId });
  expect(unset[0]!.text).toContain('e2e undo: password was reset by the user');
  await admin.close();
});
