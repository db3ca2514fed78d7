import { expect, test, type Page } from '@playwright/test';
import { api, DEMO_PASSWORD, storageStateFor, userByEmail } from './support';

interface SessionJson {
  id: string;
  user_id: string;
  status: string;
}

async function adaSession(status: string): Promise<{ userId: string; session: SessionJson }> {
  const ada = await userByEmail('ada.lovelace@example.com');
  const { body } = await api(`/v1/sessions?user_id=${ada.id}&status=${status}&limit=10`);
  const session = (body as SessionJson[])[0];
  expect(session, `a ${status} session of Ada`).toBeTruthy();
  return { userId: ada.id, session: session! };
}

async function tokenRequestsFor(sessionId: string, since: number): Promise<number> {
  const { body } = await api('/__faults/requests');
  return (body as { requests: { method: string; path: string; at: number }[] }).requests.filter(
    (r) => r.method === 'POST' && r.path.startsWith(`/v1/sessions/${sessionId}/tokens`) && r.at >= since,
  ).length;
}

function tokenForm(page: Page) {
  return page.getByRole('region', { name: 'Create a token' });
}

async function fillTokenForm(
  page: Page,
  o: { reason: string; password?: string; expires?: string; template?: string },
) {
  const form = tokenForm(page);
  await form.getByLabel('Template').selectOption(o.template ?? 'hasura');
  if (o.expires !== undefined) await form.getByLabel('Expires in (seconds)').fill(o.expires);
  await form.getByLabel('Reason').fill(o.reason);
  await form.getByLabel('Category').selectOption('suspected_compromise');
  await form.getByLabel('Password', { exact: true }).fill(o.password ?? DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Create token' }).click();
}

test.describe('token form as admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('mints a hasura token: hidden until revealed, claims, verification, live countdown', async ({
    page,
  }) => {
    const { userId, session } = await adaSession('active');
    await page.goto(`/sessions/${session.id}`);
    const form = tokenForm(page);
    await expect(form.getByRole('option', { name: 'hasura — 1 h' })).toHaveCount(1);
    await expect(form.getByRole('option', { name: 'support-debug — 1 min' })).toHaveCount(1);

    await fillTokenForm(page, { reason: 'e2e token: ticket 1234 debugging Hasura permissions' });
    await expect(form.getByRole('heading', { name: 'Token (shown once)' })).toBeVisible();
    await expect(form.getByText('This token acts as the user')).toBeVisible();

    // Hidden by default: the JWT is not in the page until revealed.
    await expect(form.getByTestId('token-jwt')).toHaveCount(0);
    expect(await page.content()).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\./);
    await form.getByRole('button', { name: 'Reveal token' }).click();
    const jwt = (await form.getByTestId('token-jwt').textContent())?.trim() ?? '';
    expect(jwt).toMatch(/^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    await expect(form.getByRole('button', { name: 'Hide token' })).toBeVisible();
    await expect(form.getByRole('button', { name: 'Copy token' })).toBeVisible();

    const claims = JSON.parse((await form.getByTestId('token-claims').textContent()) ?? '{}') as Record<
      string,
      unknown
    >;
    const hasura = claims['https://hasura.io/jwt/claims'] as Record<string, unknown>;
    expect(hasura['x-hasura-user-id']).toBe(userId);
    expect(claims.sub).toBe(userId);
    const header = JSON.parse((await form.getByTestId('token-header').textContent()) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(header.alg).toBe('RS256');
    await expect(form.getByTestId('token-verification')).toHaveText(
      /Signature verified against the instance JWKS/,
    );

    const countdown = form.getByTestId('token-countdown');
    await expect(countdown).toHaveText(/^Expires in (59:\d\d|1:00:00)$/);
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first ?? '', { timeout: 3_000 });

    // Only in component state: not in the URL or storage; leaving the page discards it.
    expect(page.url()).not.toContain(jwt);
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toContain(jwt.split('.')[2]!);
    await page.getByRole('link', { name: 'All sessions of this user' }).click();
    await expect(page).toHaveURL(/\/sessions\?user_id=/);
    await page.goBack();
    await expect(tokenForm(page).getByRole('button', { name: 'Create token' })).toBeVisible();
    await expect(page.getByTestId('token-claims')).toHaveCount(0);
    expect(await page.content()).not.toContain(jwt);
  });

  test('a wrong password shows the error and mints nothing', async ({ page }) => {
    const { session } = await adaSession('active');
    await page.goto(`/sessions/${session.id}`);
    const since = Date.now();
    await fillTokenForm(page, { reason: 'e2e token: wrong password attempt', password: 'not-the-password' });
    const form = tokenForm(page);
    await expect(
      form.getByRole('alert').filter({ hasText: 'Your password was not accepted.' }),
    ).toBeVisible();
    await expect(form.getByText('Re-enter your password.')).toBeVisible();
    await expect(form.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Password', { exact: true })).toHaveValue('');
    // What was typed stays, except the password.
    await expect(form.getByLabel('Reason')).toHaveValue('e2e token: wrong password attempt');
    await expect(form.getByTestId('token-claims')).toHaveCount(0);
    expect(await tokenRequestsFor(session.id, since)).toBe(0);
  });

  test('an out-of-range expiry shows the field error', async ({ page }) => {
    const { session } = await adaSession('active');
    await page.goto(`/sessions/${session.id}`);
    const since = Date.now();
    const form = tokenForm(page);
    await fillTokenForm(page, { reason: 'e2e token: expiry too short', expires: '10' });
    await expect(form.getByText('At least 30 seconds.')).toBeVisible();
    await expect(form.getByLabel('Expires in (seconds)')).toHaveAttribute('aria-invalid', 'true');
    // Ten years: above TOKEN_MAX_LIFETIME_SECONDS (one hour here), refused before step-up or any upstream call.
    await fillTokenForm(page, { reason: 'e2e token: expiry too long', expires: '315360000' });
    await expect(form.getByText('At most 3,600 seconds on this console.')).toBeVisible();
    await expect(form.getByLabel('Expires in (seconds)')).toHaveAttribute('aria-invalid', 'true');
    await fillTokenForm(page, { reason: 'e2e token: expiry not a number', expires: '1.5' });
    await expect(form.getByText('Enter a whole number of seconds, or leave it empty.')).toBeVisible();
    await expect(form.getByTestId('token-claims')).toHaveCount(0);
    expect(await tokenRequestsFor(session.id, since)).toBe(0);
  });

  test('the panel says a token outlives a revoked session; a template above the cap needs a shorter expiry', async ({
    page,
  }) => {
    const { session } = await adaSession('active');
    await page.goto(`/sessions/${session.id}`);
    await expect(
      page.getByText(/stays valid until it expires, even if this session is revoked.*at most 1 h/),
    ).toBeVisible();
    const form = tokenForm(page);
    await expect(
      form.getByRole('option', { name: 'long-lived — 1 d (above the limit: set an expiry)' }),
    ).toHaveCount(1);
    const since = Date.now();
    await fillTokenForm(page, { reason: 'e2e token: long-lived without expiry', template: 'long-lived' });
    await expect(
      form.getByText(/lasts 86,400 seconds, above this console's limit of 3,600 seconds/),
    ).toBeVisible();
    await expect(form.getByLabel('Expires in (seconds)')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByTestId('token-claims')).toHaveCount(0);
    expect(await tokenRequestsFor(session.id, since)).toBe(0);

    await fillTokenForm(page, {
      reason: 'e2e token: long-lived, short expiry',
      template: 'long-lived',
      expires: '600',
    });
    await expect(form.getByTestId('token-countdown')).toHaveText(/^Expires in (9:5\d|10:00)$/);
  });

  test('a double submit mints one token and the token shown stays', async ({ page }) => {
    const { session } = await adaSession('active');
    await page.goto(`/sessions/${session.id}`);
    const form = tokenForm(page);
    await form.getByLabel('Template').selectOption('hasura');
    await form.getByLabel('Reason').fill('e2e token: double submit');
    await form.getByLabel('Category').selectOption('suspected_compromise');
    await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    const since = Date.now();
    const answers: string[] = [];
    await page.route('**/*', async (route) => {
      const req = route.request();
      if (req.method() !== 'POST' || !req.headers()['next-action']) return route.fallback();
      const response = await route.fetch();
      const body = await response.text();
      answers.push(body);
      return route.fulfill({ response, body });
    });
    // Two submits in one task, before React can disable the button: what a fast double click or Enter does.
    await form.locator('form').evaluate((f: HTMLFormElement) => {
      f.requestSubmit();
      f.requestSubmit();
    });
    await expect.poll(() => answers.length).toBe(2);
    expect(answers.filter((b) => b.includes('already minted by this request'))).toHaveLength(1);
    await expect(form.getByRole('heading', { name: 'Token (shown once)' })).toBeVisible();
    await form.getByRole('button', { name: 'Reveal token' }).click();
    await expect(form.getByTestId('token-jwt')).toHaveText(/^eyJ/);
    await expect(form.getByText(/already minted by this request/)).toHaveCount(0);
    expect(await tokenRequestsFor(session.id, since)).toBe(1);
  });

  test('a custom expiry within range is honoured', async ({ page }) => {
    const { session } = await adaSession('active');
    await page.goto(`/sessions/${session.id}`);
    await fillTokenForm(page, {
      reason: 'e2e token: short custom expiry',
      expires: '120',
      template: 'analytics',
    });
    const form = tokenForm(page);
    await expect(form.getByTestId('token-countdown')).toHaveText(/^Expires in (1:5\d|2:00)$/);
    const claims = JSON.parse((await form.getByTestId('token-claims').textContent()) ?? '{}') as {
      exp: number;
      iat: number;
    };
    expect(claims.exp - claims.iat).toBe(120);
  });

  test('the token form is absent on a revoked session', async ({ page }) => {
    const { session } = await adaSession('revoked');
    await page.goto(`/sessions/${session.id}`);
    await expect(
      page.getByRole('region', { name: 'Session', exact: true }).getByText('Revoked', { exact: true }),
    ).toBeVisible();
    await expect(tokenForm(page)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
  });
});

for (const role of ['support', 'viewer'] as const) {
  test.describe(`token form as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`is not offered to ${role}`, async ({ page }) => {
      const { session } = await adaSession('active');
      await page.goto(`/sessions/${session.id}`);
      await expect(
        page.getByRole('region', { name: 'Session', exact: true }).getByText(session.id, { exact: true }),
      ).toBeVisible();
      await expect(tokenForm(page)).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Revoke session' })).toHaveCount(
        role === 'support' ? 1 : 0,
      );
    });
  });
}
