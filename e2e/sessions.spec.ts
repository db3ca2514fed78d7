import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { api, expectNoSeriousAxeViolations, setFaults, storageStateFor, userByEmail } from './support';
import { readCsv } from '../lib/testing/read-csv';

interface SessionJson {
  id: string;
  client_id: string;
  status: string;
}

const rows = (page: Page) => page.locator('tbody tr[data-session-id]');

test.describe('sessions as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test("Ada's page: exactly her 3 active sessions, then all 6", async ({ page }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    const { body } = await api(`/v1/sessions?user_id=${ada.id}&status=active&limit=100`);
    const active = (body as SessionJson[]).map((s) => s.id).sort();
    expect(active).toHaveLength(3);

    await page.goto(`/sessions?user_id=${ada.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
    await expect(page.getByText('ada.lovelace@example.com')).toBeVisible();
    await expect(page.getByText(ada.id, { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Copy user id' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Active', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(rows(page)).toHaveCount(3);
    expect(
      (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')))).sort(),
    ).toEqual(active);
    await expect(rows(page).filter({ hasText: 'Active' })).toHaveCount(3);
    await expect(page.getByText(/^Updated /)).toBeVisible();
    await expect(page.getByTestId('total-count')).toHaveText('3');

    // Each row links to its detail and to its client.
    const first = rows(page).first();
    const sid = await first.getAttribute('data-session-id');
    await expect(first.getByRole('link', { name: sid! })).toHaveAttribute('href', `/sessions/${sid}`);
    await expect(first.getByRole('link', { name: /^client_/ })).toHaveAttribute(
      'href',
      /\/sessions\?client_id=client_/,
    );
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('link', { name: 'All', exact: true }).click();
    await expect(page).toHaveURL(/status=all/);
    await expect(rows(page)).toHaveCount(6);
    for (const status of ['Revoked', 'Ended', 'Expired'])
      await expect(rows(page).filter({ hasText: status })).toHaveCount(1);
    // Newest first.
    const created = await rows(page)
      .locator('td[data-column="lastActiveAt"] time', { hasText: /^created / })
      .evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime')!)));
    expect(created).toHaveLength(6);
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  test('heavy.user: the total of 5,000, paging and page size', async ({ page }) => {
    const heavy = await userByEmail('heavy.user@example.com');
    await page.goto(`/sessions?user_id=${heavy.id}&status=all`);
    const nav = page.getByRole('navigation', { name: 'Pagination' });
    await expect(page.getByTestId('total-count')).toHaveText('5,000');
    await expect(nav.getByText('Page 1 of 200')).toBeVisible();
    await expect(rows(page)).toHaveCount(25);
    const firstIds = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute('data-session-id')),
    );

    await nav.getByRole('link', { name: 'Next' }).click();
    await expect(page).toHaveURL(/offset=25/);
    await expect(nav.getByText(/Showing 26–50 of/)).toBeVisible();
    const secondIds = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute('data-session-id')),
    );
    expect(secondIds).toHaveLength(25);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);

    await nav.getByLabel('Per page').selectOption('100');
    await expect(page).toHaveURL(/limit=100/);
    await expect(page).not.toHaveURL(/offset=/);
    await expect(rows(page)).toHaveCount(100);
    await expect(nav.getByText('Page 1 of 50')).toBeVisible();
    await expect(page.getByTestId('total-count')).toHaveText('5,000');

    await nav.getByRole('link', { name: 'Last' }).click();
    await expect(nav.getByText('Page 50 of 50')).toBeVisible();
    await expect(nav.getByText(/Showing 4,901–5,000 of/)).toBeVisible();
  });

  test('a bad user id in the URL gets a clear message, an unknown one a 404', async ({ page }) => {
    await page.goto('/sessions?user_id=../x');
    await expect(page.getByText('Not a user id (user_…).')).toBeVisible();
    await expect(rows(page)).toHaveCount(0);
    await page.goto('/sessions');
    await expect(page.getByText('Give a user id or a client id.')).toBeVisible();
    await page.goto('/sessions?user_id=user_doesnotexist000');
    await expect(page.getByRole('main').getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('main')).toHaveCount(1);
    await expect(page.getByLabel('Search users, sessions, clients')).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  test('a client view lists the sessions on that client', async ({ page }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    const { body } = await api(`/v1/sessions?user_id=${ada.id}&status=active&limit=100`);
    const byClient = new Map<string, string[]>();
    for (const s of body as SessionJson[])
      byClient.set(s.client_id, [...(byClient.get(s.client_id) ?? []), s.id]);
    const [clientId, ids] = [...byClient.entries()].find(([, list]) => list.length >= 2)!;
    await page.goto(`/sessions?client_id=${clientId}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Client' })).toBeVisible();
    await expect(page.getByText(clientId, { exact: true }).first()).toBeVisible();
    expect(
      (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')))).sort(),
    ).toEqual([...ids].sort());
    await expect(page.getByRole('link', { name: ada.id })).toBeVisible();
  });

  test("a row's Revoke is on screen without scrolling, at the console's full width and at 1024 px", async ({
    page,
  }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`/sessions?user_id=${ada.id}`);
      const first = rows(page).first();
      const sid = await first.getAttribute('data-session-id');
      await expect(
        first.getByRole('button', { name: `Revoke session ${sid}` }),
        `${width} px`,
      ).toBeInViewport({
        ratio: 1,
      });
      await expect(first.getByRole('button', { name: `Keep only this session ${sid}` })).toBeInViewport({
        ratio: 1,
      });
      // The client is named under the device, not in a column of its own.
      await expect(
        first.locator('td[data-column="device"]').getByRole('link', { name: /^client_/ }),
      ).toBeVisible();
    }
    // At 1024 px the table is wider than the page and scrolls: the actions stay at its right edge.
    const frame = page.locator('div:has(> table)').filter({ has: rows(page).first() });
    expect(await frame.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  });

  test('polls: a session revoked elsewhere leaves the active list within one interval', async ({ page }) => {
    const { body: users } = await api('/v1/users?limit=60&offset=300');
    let target: { userId: string; active: string[] } | null = null;
    for (const u of users as { id: string }[]) {
      const { body } = await api(`/v1/sessions?user_id=${u.id}&status=active&limit=100`);
      const active = (body as SessionJson[]).map((s) => s.id);
      if (active.length >= 2) {
        target = { userId: u.id, active };
        break;
      }
    }
    expect(target, 'an ordinary user with 2 active sessions').toBeTruthy();
    await page.clock.install();
    await page.goto(`/sessions?user_id=${target!.userId}`);
    await expect(rows(page)).toHaveCount(target!.active.length);
    const gone = target!.active[0]!;
    expect((await api(`/v1/sessions/${gone}/revoke`, { method: 'POST' })).status).toBe(200);
    const isList = (r: { url(): string; method(): string }) =>
      r.method() === 'GET' && new URL(r.url()).pathname === '/api/sessions';
    const poll = page.waitForRequest(isList);
    await page.clock.runFor(16_000);
    // A background poll (a GET, so it never queues behind a revoke) says so: it must not keep the session alive.
    expect((await (await poll).allHeaders())['x-console-poll']).toBe('1');
    await expect(rows(page)).toHaveCount(target!.active.length - 1);
    await expect(page.locator(`tr[data-session-id="${gone}"]`)).toHaveCount(0);
    await expect(page.getByText('Updated just now')).toBeVisible();

    // Refresh is the staff member's own request: no poll header.
    const asked = page.waitForRequest(isList);
    await page.getByRole('button', { name: 'Refresh' }).click();
    expect((await (await asked).allHeaders())['x-console-poll']).toBeUndefined();
  });

  test('an upstream failure shows a plain message with the trace id, and Try again recovers', async ({
    page,
  }) => {
    const rtl = await userByEmail('hostile.rtl@example.com');
    await setFaults([{ method: 'GET', path: `^/v1/users/${rtl.id}$`, status: 503, times: 1 }]);
    await page.goto(`/sessions?user_id=${rtl.id}`);
    const alert = page.getByRole('alert').filter({ hasText: 'The Clerk API could not be reached.' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(/Trace id: [0-9a-f]{32}/);
    await expect(page.getByText(/service_unavailable|Error:|at \w+ \(/)).toHaveCount(0);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(rows(page)).toHaveCount(2);
  });

  test('exports the rows shown as CSV', async ({ page }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    await page.goto(`/sessions?user_id=${ada.id}&status=all`);
    await expect(rows(page)).toHaveCount(6);
    const shown = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-session-id'), tr.getAttribute('data-status')]),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^sessions-${ada.id}-all-p1-\\d{8}T\\d{4}Z\\.csv$`),
    );
    const records = readCsv(fs.readFileSync((await download.path())!, 'utf8'));
    expect(records[0]!.slice(0, 4)).toEqual(['session_id', 'status', 'user_id', 'client_id']);
    expect(records.slice(1).map((r) => r.slice(0, 2))).toEqual(shown);
  });
});

test.describe('sessions as viewer', () => {
  test.use({ storageState: storageStateFor('viewer') });

  test('sees the sessions but no revoke controls', async ({ page }) => {
    const ada = await userByEmail('ada.lovelace@example.com');
    await page.goto(`/sessions?user_id=${ada.id}`);
    await expect(rows(page)).toHaveCount(3);
    await expect(page.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export CSV' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});
