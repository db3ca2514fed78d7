// Revocation jobs end to end: they run on the server, so a closed browser does not stop them; typed
// confirmation, cancel, "except this device", the incident list, and what a viewer may not do.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, DEMO_PASSWORD, expectNoSeriousAxeViolations, storageStateFor, userByEmail } from './support';
import {
  activeSessionsOf,
  expectRefused,
  recordAction,
  replayAction,
  sessionCookieOf,
  userInBand,
  BASE_URL,
} from './security-helpers';

const JOB_URL = /\/jobs\/[0-9a-f-]{36}$/;

async function activeCount(userId: string): Promise<number> {
  const { body } = await api(`/v1/sessions?user_id=${userId}&status=active&limit=1&paginated=true`);
  return (body as { total_count: number }).total_count;
}

async function as(browser: Browser, role: 'admin' | 'support' | 'viewer'): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role), baseURL: BASE_URL });
  return context.newPage();
}

async function emailOf(userId: string): Promise<string> {
  const { body } = await api(`/v1/users/${userId}`);
  const u = body as {
    email_addresses: { id: string; email_address: string }[];
    primary_email_address_id: string;
  };
  return u.email_addresses.find((e) => e.id === u.primary_email_address_id)!.email_address;
}

test.describe('revocation jobs', () => {
  test('a job started from a tab that is then closed still revokes every session', async ({ browser }) => {
    const { userId, active } = await userInBand(280, 285, 2);
    const page = await as(browser, 'support');
    await page.goto(`/sessions?user_id=${userId}`);
    await page.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere' });
    await expect(dialog.getByTestId('bulk-question')).toHaveText(
      new RegExp(`^Revoke ${active.length} active sessions of .+\\?$`),
    );
    await expect(dialog.getByRole('list', { name: 'First sessions' }).getByRole('listitem')).toHaveCount(
      Math.min(5, active.length),
    );
    await dialog.getByRole('button', { name: `Revoke ${active.length} sessions` }).click();
    await expect(dialog.getByText('Give a reason (at least 3 characters).')).toBeVisible();
    await dialog.getByLabel('Reason').fill('e2e jobs: laptop stolen, tab closed');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: `Revoke ${active.length} sessions` }).click();
    await expect(page).toHaveURL(JOB_URL);
    const jobUrl = page.url();
    await page.context().close();

    await expect.poll(() => activeCount(userId), { timeout: 30_000 }).toBe(0);
    const admin = await as(browser, 'admin');
    await admin.goto(jobUrl);
    await expect(admin.getByTestId('job-state')).toHaveText('Done');
    await expect(admin.getByTestId('count-revoked')).toHaveText(String(active.length));
    // The reason, then the form's default reason code next to it.
    const reason = admin.getByTestId('job-reason');
    await expect(reason).toHaveText(/^e2e jobs: laptop stolen, tab closed/);
    await expect(reason.locator('[data-reason-code="suspected_compromise"]')).toHaveText(
      'Suspected compromise',
    );
    await expect(admin.getByText('support@example.com (support)').first()).toBeVisible();
    await expect(admin.getByTestId('job-item')).toHaveCount(active.length);
    await admin.goto('/jobs');
    await expect(admin.locator(`tr[data-job-id="${jobUrl.split('/').pop()}"]`)).toHaveAttribute(
      'data-state',
      'done',
    );
    await admin.context().close();
  });

  test('above 50 sessions the count must be typed; a running job can be cancelled', async ({ browser }) => {
    test.setTimeout(60_000);
    const heavy = await userByEmail('heavy.user@example.com');
    const before = await activeCount(heavy.id);
    expect(before).toBeGreaterThan(50);
    const page = await as(browser, 'support');
    await page.goto(`/sessions?user_id=${heavy.id}`);
    await page.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere' });
    await dialog.getByLabel('Reason').fill('e2e jobs: cancel test');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    const submit = dialog.getByRole('button', { name: /^Revoke [\d,]+ sessions$/ });
    await submit.click();
    await expect(dialog.getByText(`Type ${before} to confirm.`)).toBeVisible();
    await dialog.getByLabel(`Type ${before} to confirm`).fill(String(before - 1));
    await submit.click();
    await expect(dialog.getByText(`Type ${before} to confirm.`)).toBeVisible();
    expect(await activeCount(heavy.id)).toBe(before);

    await dialog.getByLabel(`Type ${before} to confirm`).fill(String(before));
    // Above 50 sessions the password is asked again, like minting a token: without it nothing starts.
    await submit.click();
    await expect(dialog.getByText('Re-enter your password.')).toBeVisible();
    expect(await activeCount(heavy.id)).toBe(before);
    await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
    await submit.click();
    await expect(page).toHaveURL(JOB_URL);
    await expect(page.getByTestId('running-jobs')).toBeVisible();
    // A page loaded now carries the indicator in its HTML, before any script or poll has run.
    const html = await (await page.request.get('/users')).text();
    expect(html).toMatch(/data-testid="running-jobs"[^>]*>.*?\d+ jobs? running/s);
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Cancelled');
    // Revokes already in flight finish; nothing else is attempted.
    await expect(page.getByTestId('count-pending')).toHaveText('0');
    const count = async (k: string) =>
      Number((await page.getByTestId(`count-${k}`).textContent())!.replace(/,/g, ''));
    const revoked = await count('revoked');
    const notAttempted = await count('not_attempted');
    expect(notAttempted).toBeGreaterThan(0);
    expect(revoked + notAttempted + (await count('already_inactive'))).toBe(before);
    expect(await activeCount(heavy.id)).toBe(before - revoked);
    await page.context().close();
  });

  test('"Sign out everywhere except this device" keeps exactly that session', async ({ browser }) => {
    const { userId, active } = await userInBand(285, 290, 2);
    const kept = active[1]!.id;
    const page = await as(browser, 'support');
    await page.goto(`/sessions/${kept}`);
    await page.getByRole('button', { name: 'Sign out everywhere except this device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere except this device' });
    await expect(dialog.getByTestId('bulk-question')).toHaveText(
      new RegExp(`^Revoke ${active.length - 1} other active sessions? of .+\\?$`),
    );
    await expect(dialog.getByRole('list', { name: 'First sessions' })).not.toContainText(kept);
    await dialog.getByLabel('Reason').fill('e2e jobs: keep this device');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: /^Revoke \d+ sessions?$/ }).click();
    await expect(page).toHaveURL(JOB_URL);
    await expect(page.getByTestId('job-state')).toHaveText('Done');
    expect((await activeSessionsOf(userId)).map((s) => s.id)).toEqual([kept]);
    await page.context().close();
  });

  test('a viewer cannot start a job: no buttons, and the raw action is refused', async ({ browser }) => {
    const { userId, active } = await userInBand(295, 300, 2);
    const viewer = await as(browser, 'viewer');
    await viewer.goto(`/sessions?user_id=${userId}`);
    await expect(viewer.locator('tbody tr[data-session-id]').first()).toBeVisible();
    await expect(viewer.getByRole('button', { name: 'Revoke all active sessions' })).toHaveCount(0);
    await expect(viewer.getByRole('button', { name: /^Keep only this/ })).toHaveCount(0);
    await viewer.goto('/jobs');
    await expect(viewer.getByRole('heading', { name: 'Revocation jobs' })).toBeVisible();
    await viewer.context().close();

    // Record the real "start job" call as support, stopped before it reaches the server.
    const support = await as(browser, 'support');
    await support.goto(`/sessions?user_id=${userId}`);
    await support.getByRole('button', { name: 'Revoke all active sessions' }).click();
    const dialog = support.getByRole('dialog', { name: 'Sign out everywhere' });
    await dialog.getByLabel('Reason').fill('e2e jobs: replayed by a viewer');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    const rec = await recordAction(
      support,
      () => dialog.getByRole('button', { name: /^Revoke \d+ sessions?$/ }).click(),
      { abort: true },
    );
    await support.context().close();

    const reply = await replayAction(rec, { cookie: sessionCookieOf('viewer') });
    expectRefused(reply, 'forbidden');
    const anonymous = await replayAction(rec, { cookie: null });
    expectRefused(anonymous, 'unauthenticated');
    expect((await activeSessionsOf(userId)).length).toBe(active.length);
    const list = await fetch(`${BASE_URL}/api/jobs`, {
      headers: { cookie: `console.session=${sessionCookieOf('viewer')}` },
    });
    expect(list.status).toBe(200);
    const { jobs } = (await list.json()) as { jobs: { reason: string }[] };
    expect(jobs.filter((j) => j.reason === 'e2e jobs: replayed by a viewer')).toEqual([]);
    expect((await fetch(`${BASE_URL}/api/jobs`)).status).toBe(401);
  });

  test('the incident form reports unknown emails and signs the others out in one job', async ({
    browser,
  }) => {
    const one = await userInBand(290, 293, 1);
    const two = await userInBand(293, 295, 1);
    const emails = [await emailOf(one.userId), await emailOf(two.userId)];
    const total = one.active.length + two.active.length;
    const admin = await as(browser, 'admin');
    await admin.goto('/jobs/new');
    await admin
      .getByLabel('Emails or user ids')
      .fill(
        [emails[0], 'nobody.at.all.e2e@example.com', emails[1], 'not an identifier', emails[0]].join('\n'),
      );
    await admin.getByRole('button', { name: 'Look up users' }).click();
    await expect(admin.getByTestId('incident-summary')).toHaveText(
      `2 found, 2 not found, ${total} active sessions (1 duplicate line ignored)`,
    );
    await expectNoSeriousAxeViolations(admin);
    const notFound = admin.getByRole('list', { name: 'Not found' });
    await expect(notFound).toContainText('nobody.at.all.e2e@example.com — no such user');
    await expect(notFound).toContainText('not an identifier — not an email address or user id');
    await admin.getByLabel('Reason').fill('e2e jobs: leaked password list');
    await admin.getByLabel('Category').selectOption('suspected_compromise');
    await admin.getByLabel(`Type ${total} to confirm`).fill(String(total));
    await admin.getByLabel('Password').fill(DEMO_PASSWORD);
    await admin.getByRole('button', { name: `Sign out ${total} sessions` }).click();
    await expect(admin).toHaveURL(JOB_URL);
    const jobPath = new URL(admin.url()).pathname;
    await expect(admin.getByTestId('job-state')).toHaveText('Done');
    await expect(admin.getByTestId('count-revoked')).toHaveText(String(total));
    await expectNoSeriousAxeViolations(admin);
    await admin.goto('/jobs');
    await expect(admin.getByRole('heading', { level: 1, name: 'Revocation jobs' })).toBeVisible();
    await expect(admin.locator(`a[href="${jobPath}"]`).first()).toBeVisible();
    await expectNoSeriousAxeViolations(admin);
    expect(await activeCount(one.userId)).toBe(0);
    expect(await activeCount(two.userId)).toBe(0);

    const support = await as(browser, 'support');
    const res = await support.goto('/jobs/new');
    expect(res?.status()).toBe(403);
    await expect(support.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
    await expect(support.getByLabel('Emails or user ids')).toHaveCount(0);
    await support.context().close();
    await admin.context().close();
  });

  test('a list of more than 200 users is not counted first: the admin confirms the number of users', async ({
    browser,
  }) => {
    const { body } = await api('/v1/users?limit=201&order_by=%2Bcreated_at');
    const ids = (body as { id: string }[]).map((u) => u.id);
    expect(ids).toHaveLength(201);
    const admin = await as(browser, 'admin');
    await admin.goto('/jobs/new');
    await admin.getByLabel('Emails or user ids').fill(ids.join('\n'));
    await admin.getByRole('button', { name: 'Look up users' }).click();
    await expect(admin.getByTestId('incident-summary')).toHaveText(
      '201 found, 0 not found, active sessions counted as the job runs',
    );
    const confirm = admin.getByLabel('Type 201 to confirm');
    await expect(confirm).toBeVisible();
    await expect(admin.getByRole('button', { name: 'Sign out every session of 201 users' })).toBeVisible();
    // A count of sessions is not what this plan asks for; nothing is started.
    await admin.getByLabel('Reason').fill('e2e jobs: long list, not started');
    await admin.getByLabel('Category').selectOption('suspected_compromise');
    await confirm.fill('999');
    await admin.getByRole('button', { name: 'Sign out every session of 201 users' }).click();
    await expect(admin.getByText('Type 201 to confirm.')).toBeVisible();
    await expect(admin).toHaveURL(/\/jobs\/new$/);
    await admin.context().close();
  });
});
