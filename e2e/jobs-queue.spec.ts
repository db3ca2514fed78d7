// Jobs you can trust, where it crosses Next: a member who loses access has their job paused (and the job page
// says why), and the job's CSV export refuses a cross-site request while a same-origin one gets the file.
import { expect, test } from '@playwright/test';
import { clearFaults, createStaff, runStaffCli, setFaults, signInAt, storageStateFor } from './support';
import { activeSessionsOf, sessionCookieOf, userInBand, BASE_URL } from './security-helpers';

const JOB_URL = /\/jobs\/([0-9a-f-]{36})$/;

test.describe.configure({ mode: 'serial' });

let jobId = '';
let sessionIds: string[] = [];
let memberEmail = '';
let userIdOfJob = '';

test.afterAll(async () => {
  await clearFaults();
});

test('a disabled member’s job is paused, and its page says why and who may resume it', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const member = await createStaff('support');
  memberEmail = member.email;
  const { userId, active } = await userInBand(320, 340, 2);
  userIdOfJob = userId;
  sessionIds = active.map((s) => s.id);
  // Every revoke of the job is refused with a 429 until the member is disabled: nothing of it can finish before.
  // (Only these sessions: another worker's revokes go through.)
  await setFaults([
    { method: 'POST', path: `^/v1/sessions/(${sessionIds.join('|')})/revoke$`, status: 429, retryAfter: 1 },
  ]);
  const page = await signInAt(browser, BASE_URL, member.email, member.password);
  await page.goto(`/sessions?user_id=${userId}`);
  await page.getByRole('button', { name: 'Revoke all active sessions' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out everywhere' });
  await dialog.getByLabel('Reason').fill('e2e jobs-queue: member loses access');
  await dialog.getByLabel('Category').selectOption('suspected_compromise');
  await dialog.getByRole('button', { name: /^Revoke \d+ sessions?$/ }).click();
  await expect(page).toHaveURL(JOB_URL);
  jobId = JOB_URL.exec(page.url())![1]!;
  await page.context().close();

  const disabled = await runStaffCli(['disable', member.email]);
  expect(disabled.status, disabled.stderr).toBe(0);
  await clearFaults();

  const admin = await (
    await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL })
  ).newPage();
  await admin.goto(`/jobs/${jobId}`);
  await expect(admin.getByTestId('job-state')).toHaveText('Paused', { timeout: 30_000 });
  await expect(admin.getByTestId('job-paused-reason')).toHaveText(
    `Paused: ${member.email} lost access — an administrator can resume it as themselves.`,
  );
  await expect(admin.getByTestId('job-runs-as')).toHaveText(`${member.email}, who started it`);
  expect((await activeSessionsOf(userId)).map((s) => s.id).sort()).toEqual([...sessionIds].sort());
  await admin.context().close();
});

test('the job export refuses cross-site requests and streams the CSV to the console itself', async () => {
  expect(jobId).not.toBe('');
  const cookie = `console.session=${sessionCookieOf('admin')}`;
  const url = `${BASE_URL}/api/jobs/${jobId}/export`;
  for (const headers of [
    { 'Sec-Fetch-Site': 'cross-site' },
    { 'Sec-Fetch-Site': 'same-site' },
    { Origin: 'https://evil.example' },
    { Referer: 'https://evil.example/page' },
  ] as Record<string, string>[]) {
    const res = await fetch(url, { headers: { cookie, ...headers } });
    expect(res.status, JSON.stringify(headers)).toBe(403);
    expect(await res.text()).toBe('Open this export from the console itself.\n');
  }
  const ok = await fetch(url, { headers: { cookie, 'Sec-Fetch-Site': 'same-origin' } });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const lines = (await ok.text())
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe(
    '"job_id","session_id","user_id","outcome","attempts","trace_id","code","finished_at","reason"',
  );
  expect(
    lines
      .slice(1)
      .map((l) => l.split(',')[1]!.replace(/"/g, ''))
      .sort(),
  ).toEqual([...sessionIds].sort());
});

test('an administrator cancels every job of the member from the job page: nothing more is revoked', async ({
  browser,
}) => {
  expect(jobId).not.toBe('');
  const admin = await (
    await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL })
  ).newPage();
  await admin.goto(`/jobs/${jobId}`);
  await admin.getByRole('button', { name: `Cancel all jobs of ${memberEmail}` }).click();
  const dialog = admin.getByRole('dialog', { name: `Cancel all jobs of ${memberEmail}` });
  await dialog.getByRole('button', { name: 'Cancel all their jobs' }).click();
  await expect(dialog.getByText('Give a reason (at least 3 characters).')).toBeVisible();
  await dialog.getByLabel('Reason').fill('e2e jobs-queue: member left the company');
  await dialog.getByLabel('Category').selectOption('suspected_compromise');
  await dialog.getByRole('button', { name: 'Cancel all their jobs' }).click();
  await expect(dialog.getByRole('status')).toHaveText('1 job cancelled.');
  await expect(admin.getByTestId('job-state')).toHaveText('Cancelled');
  expect((await activeSessionsOf(userIdOfJob)).map((s) => s.id).sort()).toEqual([...sessionIds].sort());
  await admin.context().close();
});
