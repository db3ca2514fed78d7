import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { webhookHeaders } from '../lib/local-clerk/webhook-sign';
import { BASE_URL, expectRefused, recordAction, replayAction, sessionCookieOf } from './security-helpers';
import { api, clearFaults, DEMO_PASSWORD, E2E_DATA_DIR, setFaults, storageStateFor } from './support';

/** Search across all users: sessions given known addresses through signed deliveries to the console's receiver. */

const NET = 1 + Math.floor(Math.random() * 250);
const V4 = `100.64.${NET}`;
const V6 = `2001:db8:${NET.toString(16)}`;
type Picked = { userId: string; sessionId: string; ip: string };
let picked: Picked[] = [];

const secret = () => fs.readFileSync(path.join(E2E_DATA_DIR, 'webhook-secret'), 'utf8').trim();

async function deliver(session: Record<string, unknown>, ip: string) {
  const now = Date.now();
  const body = JSON.stringify({
    data: {
      ...session,
      updated_at: now,
      last_active_at: now,
      latest_activity: {
        ...((session.latest_activity as object | null) ?? {}),
        ip_address: ip,
        city: 'Reykjavik',
        country: 'IS',
      },
    },
    object: 'event',
    type: 'session.created',
    timestamp: now,
    instance_id: 'ins_e2e',
    event_attributes: { http_request: { client_ip: ip, user_agent: 'e2e' } },
  });
  const id = `msg_search_${NET}_${session.id as string}`;
  const res = await fetch(`${BASE_URL}/api/webhooks/clerk`, {
    method: 'POST',
    headers: webhookHeaders(secret(), id, body),
    body,
  });
  expect(res.status, 'the signed delivery is taken').toBe(200);
}

test.beforeAll(async () => {
  const { body: users } = await api('/v1/users?limit=40&offset=230');
  const found: { userId: string; sessions: Record<string, unknown>[] }[] = [];
  for (const u of users as { id: string }[]) {
    const { body } = await api(`/v1/sessions?user_id=${u.id}&status=active&limit=2`);
    const sessions = body as Record<string, unknown>[];
    if (found.length === 0 ? sessions.length >= 2 : sessions.length >= 1)
      found.push({ userId: u.id, sessions });
    if (found.length === 3) break;
  }
  expect(found, 'three ordinary users with active sessions').toHaveLength(3);
  const [a, b, c] = found as [(typeof found)[0], (typeof found)[0], (typeof found)[0]];
  const plan: [Record<string, unknown>, string, string][] = [
    [a.sessions[0]!, a.userId, `${V4}.10`],
    [a.sessions[1]!, a.userId, `${V4}.11`],
    [b.sessions[0]!, b.userId, `${V4}.20`],
    [c.sessions[0]!, c.userId, `${V6}::5`],
  ];
  for (const [s, , ip] of plan) await deliver(s, ip);
  picked = plan.map(([s, userId, ip]) => ({ userId, sessionId: s.id as string, ip }));
});

const rows = (page: import('@playwright/test').Page) => page.getByTestId('search-row');

test.describe('as a viewer', () => {
  test.use({ storageState: storageStateFor('viewer') });

  test('finds sessions of several users by CIDR, address and IPv6 network', async ({ page }) => {
    await page.goto(`/sessions/search?ip=${encodeURIComponent(`${V4}.0/24`)}`);
    await expect(page.getByTestId('index-health')).toBeVisible();
    await expect(rows(page)).toHaveCount(3);
    for (const p of picked.slice(0, 3))
      await expect(page.getByRole('link', { name: p.sessionId })).toBeVisible();
    await expect(page.getByTestId('search-count')).toHaveText('3 matching sessions');
    await expect(page.getByRole('button', { name: 'Revoke all matching' })).toHaveCount(0);

    await page.goto(`/sessions/search?ip=${V4}.20`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText(picked[2]!.sessionId);
    await page.goto(`/sessions/search?ip=${encodeURIComponent(`${V6}::/48`)}`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText(`${V6}::5`);
  });

  test('filters by place from the form and downloads the matches as CSV, same-origin only', async ({
    page,
  }) => {
    await page.goto('/sessions/search');
    await page.getByLabel('Country code').fill('is');
    await page.getByLabel('City').fill('reykjavik');
    await page.getByLabel('IP address or CIDR').fill(`${V4}.0/24`);
    await page.getByRole('form', { name: 'Search sessions' }).getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/country=IS|country=is/);
    await expect(rows(page)).toHaveCount(3);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const csv = fs.readFileSync(await (await download).path(), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('"session_id","user_id"');
    for (const p of picked.slice(0, 3)) expect(csv).toContain(`"${p.sessionId}"`);
    expect(csv).not.toContain(`"${picked[3]!.sessionId}"`);

    const crossSite = await fetch(`${BASE_URL}/api/sessions/search/export?ip=${V4}.10`, {
      headers: { cookie: `console.session=${sessionCookieOf('viewer')}`, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
  });

  test('the header search takes an address range straight to the sessions search', async ({ page }) => {
    await page.goto('/');
    const box = page.getByLabel('Search users, sessions, clients');
    await box.fill(`${V4}.0/24`);
    await box.press('Enter');
    await expect(page).toHaveURL(/\/sessions\/search\?ip=100\.64\.\d+\.0%2F24$/);
    await expect(rows(page)).toHaveCount(3);
  });

  test('the detail takes device, address and place from the index when Clerk’s answer has no activity', async ({
    page,
  }) => {
    const target = picked[3]!;
    await setFaults([
      { method: 'GET', path: `^/v1/sessions/${target.sessionId}$`, omit: ['latest_activity'] },
    ]);
    try {
      await page.goto(`/sessions/${target.sessionId}`);
      await expect(page.getByTestId('activity-source')).toHaveText(/from the session index/);
      await expect(page.getByText(`${V6}::5`).first()).toBeVisible();
      await expect(page.getByText('Reykjavik').first()).toBeVisible();
    } finally {
      await clearFaults();
    }
  });
});

test.describe('revoke all matching', () => {
  test.describe.configure({ mode: 'serial' });

  test.describe('as support', () => {
    test.use({ storageState: storageStateFor('support') });
    test('is not offered', async ({ page }) => {
      await page.goto(`/sessions/search?ip=${encodeURIComponent(`${V4}.0/24`)}`);
      await expect(rows(page)).toHaveCount(3);
      await expect(page.getByRole('button', { name: 'Revoke all matching' })).toHaveCount(0);
    });
  });

  test.describe('as an admin', () => {
    test.use({ storageState: storageStateFor('admin') });
    test('starts one job over the matching sessions of several users (typed count, password), refused to support', async ({
      page,
    }) => {
      await page.goto(`/sessions/search?ip=${encodeURIComponent(`${V4}.0/24`)}`);
      await expect(rows(page)).toHaveCount(3);
      const rec = await recordAction(page, () =>
        page.getByRole('button', { name: 'Revoke all matching' }).click(),
      );
      expectRefused(await replayAction(rec, { cookie: sessionCookieOf('support') }), 'forbidden');

      const dialog = page.getByRole('dialog', { name: 'Revoke all matching sessions' });
      await expect(dialog.getByTestId('bulk-question')).toHaveText('Revoke 3 active sessions of 2 users?');
      await dialog.getByLabel('Reason').fill('e2e search: sessions from a hostile network');
      await dialog.getByLabel('Category').selectOption('suspected_compromise');
      await dialog.getByRole('button', { name: 'Revoke 3 sessions' }).click();
      await expect(dialog.getByText('Type 3 to confirm.')).toBeVisible();
      await dialog.getByLabel('Type 3 to confirm').fill('3');
      await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
      await dialog.getByRole('button', { name: 'Revoke 3 sessions' }).click();
      await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
      await expect(page.getByTestId('job-state')).toHaveText('Done');
      await expect(page.getByTestId('count-revoked')).toHaveText('3');
      for (const p of picked.slice(0, 3)) {
        const { body } = await api(`/v1/sessions/${p.sessionId}`);
        expect((body as { status: string }).status).toBe('revoked');
      }
      const { body: untouched } = await api(`/v1/sessions/${picked[3]!.sessionId}`);
      expect((untouched as { status: string }).status).toBe('active');
    });
  });
});
