import { expect, test } from '@playwright/test';
import { api, expectNoSeriousAxeViolations, storageStateFor, userByEmail } from './support';

interface SessionJson {
  id: string;
  client_id: string;
  user_id: string;
  status: string;
  latest_activity: { browser_name: string | null; city: string | null; ip_address: string | null } | null;
}

async function sessionsOf(email: string, status: string): Promise<SessionJson[]> {
  const user = await userByEmail(email);
  const { body } = await api(`/v1/sessions?user_id=${user.id}&status=${status}&limit=100`);
  return body as SessionJson[];
}

/** An active session of Ada on the client (her laptop) that holds several of her sessions. */
async function adaSharedClientSession() {
  const active = await sessionsOf('ada.lovelace@example.com', 'active');
  const byClient = new Map<string, SessionJson[]>();
  for (const s of active) byClient.set(s.client_id, [...(byClient.get(s.client_id) ?? []), s]);
  const shared = [...byClient.values()].find((list) => list.length >= 2) ?? active;
  const session = shared[0]!;
  const { body: client } = await api(`/v1/clients/${session.client_id}`);
  return { session, client: client as { id: string; session_ids: string[] } };
}

test.describe('session detail as admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('shows every field, the user, and the client with its other sessions', async ({ page }) => {
    const { session, client } = await adaSharedClientSession();
    await page.goto(`/sessions/${session.id}`);

    await expect(page.getByRole('heading', { level: 1, name: /Session/ })).toBeVisible();
    const summary = page.getByRole('region', { name: 'Session', exact: true });
    for (const label of [
      'Status',
      'Session id',
      'User id',
      'Client id',
      'Created',
      'Updated',
      'Last active',
      'Expires',
      'Abandons',
      'Impersonation',
      'Organisation',
    ]) {
      await expect(summary.getByText(label, { exact: true })).toBeVisible();
    }
    await expect(summary.getByText(session.id, { exact: true })).toBeVisible();
    await expect(summary.getByText(session.user_id, { exact: true })).toBeVisible();
    await expect(summary.getByRole('button', { name: 'Copy session id' })).toBeVisible();
    await expect(summary.getByText('Active', { exact: true })).toBeVisible();
    // Relative and exact times side by side, the exact one in UTC.
    await expect(summary.locator('time').first()).toHaveAttribute('datetime', /\d{4}-\d{2}-\d{2}T/);
    await expect(summary.getByText(/UTC$/).first()).toBeVisible();

    const activity = page.getByRole('region', { name: 'Latest activity' });
    for (const label of ['Device', 'Browser', 'Mobile', 'IP address', 'City', 'Country']) {
      await expect(activity.getByText(label, { exact: true })).toBeVisible();
    }
    if (session.latest_activity?.ip_address)
      await expect(activity.getByText(session.latest_activity.ip_address)).toBeVisible();

    const user = page.getByRole('region', { name: 'User', exact: true });
    await expect(user.getByText('Ada Lovelace')).toBeVisible();
    await expect(user.getByText('ada.lovelace@example.com')).toBeVisible();
    await expect(user.getByRole('link', { name: 'All sessions of this user' })).toHaveAttribute(
      'href',
      `/sessions?user_id=${session.user_id}&status=all`,
    );

    const clientPanel = page.getByRole('region', { name: 'Client', exact: true });
    await expect(clientPanel.getByRole('link', { name: 'All sessions of this client' })).toHaveAttribute(
      'href',
      `/sessions?client_id=${client.id}&status=all`,
    );
    const others = client.session_ids.filter((id) => id !== session.id);
    expect(others.length).toBeGreaterThan(0);
    await expect(clientPanel.getByTestId('client-session-row')).toHaveCount(others.length);
    for (const id of others)
      await expect(clientPanel.getByRole('link', { name: id })).toHaveAttribute('href', `/sessions/${id}`);

    // Admins see the session's audit trail and the token form.
    await expect(page.getByRole('region', { name: 'Audit events' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Create a token' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Revoke session' })).toBeVisible();

    // A client session link opens that session.
    await clientPanel.getByRole('link', { name: others[0]! }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${others[0]}$`));
    await expect(
      page.getByRole('region', { name: 'Session', exact: true }).getByText(others[0]!, { exact: true }),
    ).toBeVisible();
  });

  test('an unknown session id shows not-found', async ({ page }) => {
    await page.goto('/sessions/sess_doesnotexist000000000000');
    await expect(page.getByRole('heading', { name: 'Session not found' })).toBeVisible();
  });

  test('a malformed session id is explained, and Clerk is not asked', async ({ page }) => {
    const since = Date.now();
    await page.goto('/sessions/not-a-session%3Cb%3E');
    await expect(page.getByRole('heading', { name: 'Not a session id' })).toBeVisible();
    await expect(page.getByText('is not a session id', { exact: false })).toBeVisible();
    // The log is the whole API's (other workers' requests too): read from this test's start, never cleared.
    const { body } = await api('/__faults/requests');
    const calls = (body as { requests: { path: string; at: number }[] }).requests.filter(
      (r) => r.at >= since && r.path.includes('not-a-session'),
    );
    expect(calls).toEqual([]);
  });

  test('hostile strings render as text', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const [session] = await sessionsOf('hostile.html@example.com', 'active');
    expect(session).toBeTruthy();
    await page.goto(`/sessions/${session!.id}`);
    const user = page.getByRole('region', { name: 'User', exact: true });
    await expect(user.getByText('<script>alert(1)</script>', { exact: false })).toBeVisible();
    const activity = page.getByRole('region', { name: 'Latest activity' });
    await expect(activity.getByText('<b>Bold</b>Browser', { exact: false })).toBeVisible();
    await expect(activity.getByText('javascript:alert(3)', { exact: true })).toBeVisible();
    await expect(page.locator('b', { hasText: 'Bold' })).toHaveCount(0);
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });

  test('axe: no serious or critical violation on the detail page', async ({ page }) => {
    const { session } = await adaSharedClientSession();
    await page.goto(`/sessions/${session.id}`);
    await expect(page.getByRole('region', { name: 'Create a token' }).getByLabel('Template')).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'Client', exact: true }).getByTestId('client-session-row').first(),
    ).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe('session detail as viewer', () => {
  test.use({ storageState: storageStateFor('viewer') });

  test('sees the session but no Revoke, no token form and no audit trail', async ({ page }) => {
    const { session } = await adaSharedClientSession();
    await page.goto(`/sessions/${session.id}`);
    await expect(
      page.getByRole('region', { name: 'Session', exact: true }).getByText(session.id, { exact: true }),
    ).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'User', exact: true }).getByText('Ada Lovelace'),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Revoke session' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Create a token' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Audit events' })).toHaveCount(0);
  });
});

test.describe('session detail as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('sees Revoke but no token form', async ({ page }) => {
    const { session } = await adaSharedClientSession();
    await page.goto(`/sessions/${session.id}`);
    await expect(page.getByRole('button', { name: 'Revoke session' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Create a token' })).toHaveCount(0);
    await expect(page.getByLabel('Template')).toHaveCount(0);
  });

  test('revokes a session from its detail page with a reason', async ({ page }) => {
    // An ordinary seeded user, so the fixtures other specs count on keep their active sessions.
    const { body } = await api('/v1/users?limit=100&offset=150');
    let target: SessionJson | undefined;
    for (const u of body as { id: string }[]) {
      const { body: sessions } = await api(`/v1/sessions?user_id=${u.id}&status=active&limit=1`);
      target = (sessions as SessionJson[])[0];
      if (target) break;
    }
    expect(target, 'an ordinary user with an active session').toBeTruthy();
    await page.goto(`/sessions/${target!.id}`);
    await page.getByRole('button', { name: 'Revoke session' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await dialog.getByLabel('Reason').fill('e2e detail: lost phone, ticket 4711');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke session' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Session revoked.' })).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'Session', exact: true }).getByText('Revoked', { exact: true }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Revoke session' })).toHaveCount(0);
    const { body: after } = await api(`/v1/sessions/${target!.id}`);
    expect((after as SessionJson).status).toBe('revoked');
  });
});
