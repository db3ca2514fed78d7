import { expect, test, type Page } from '@playwright/test';
import { api, expectNoSeriousAxeViolations, storageStateFor, userByEmail } from './support';

// The account-state panel on a user's sessions page, as a viewer (read-only staff) sees it for the planted users.
test.use({ storageState: storageStateFor('viewer') });

const panel = (page: Page) => page.getByRole('region', { name: 'Account state' });

async function openUser(page: Page, email: string) {
  const user = await userByEmail(email);
  await page.goto(`/sessions?user_id=${user.id}`);
  await expect(panel(page).getByRole('listitem').first()).toBeVisible();
  return panel(page);
}

test('a banned user reads as banned', async ({ page }) => {
  const p = await openUser(page, 'banned.demo@example.com');
  await expect(p.getByText('Banned', { exact: true })).toBeVisible();
  await expect(p.getByText('Password marked compromised')).toHaveCount(0);
});

test('a locked user reads as locked until an exact time, about a week away', async ({ page }) => {
  const p = await openUser(page, 'locked.demo@example.com');
  await expect(
    p.getByText(/^Locked until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in [67] days\)$/),
  ).toBeVisible();
  await expect(p.getByText('Banned', { exact: true })).toHaveCount(0);
});

test('a flagged password reads as compromised, with the pending session and its task', async ({ page }) => {
  const p = await openUser(page, 'compromised.password@example.com');
  await expect(p.getByText('Password marked compromised')).toBeVisible();
  await expect(p.getByText('1 session waits on: reset password')).toBeVisible();
});

test('a secured account shows MFA on, its one active API key and two trusted devices', async ({ page }) => {
  const p = await openUser(page, 'secured.account@example.com');
  await expect(p.getByText('MFA on', { exact: true })).toBeVisible();
  await expect(p.getByText('1 API key (active)', { exact: true })).toBeVisible();
  await expect(p.getByText('2 trusted devices', { exact: true })).toBeVisible();
  await expect(p.getByText(/Could not be read/)).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
});

test('the page reads the user once; the panel adds one API-key list and one trusted-device list', async ({
  page,
}) => {
  const { body } = await api('/v1/users?limit=1&offset=200');
  const user = (body as { id: string }[])[0]!;
  await api('/__faults/requests', { method: 'DELETE' });
  await page.goto(`/sessions?user_id=${user.id}`);
  await expect(panel(page).getByText(/trusted devices?$/)).toBeVisible();
  await page.waitForLoadState('networkidle');
  const log = await api('/__faults/requests');
  const sent = (log.body as { requests: { method: string; path: string }[] }).requests.map(
    (r) => `${r.method} ${r.path.split('?')[0]!.replace(user.id, 'user_…')}`,
  );
  test.info().annotations.push({ type: 'requests', description: sent.join(', ') });
  expect(sent.filter((r) => r === 'GET /v1/users/user_…')).toHaveLength(1);
  expect(sent.filter((r) => r === 'GET /v1/api_keys')).toHaveLength(1);
  expect(sent.filter((r) => r === 'GET /v1/users/user_…/trusted_devices')).toHaveLength(1);
  expect(sent).toHaveLength(4);
});
