import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { OAuth2Server } from 'oauth2-mock-server';
import { E2E_IDP_PORT } from '../playwright.config';
import { api, storageStateFor, userByEmail, HOME_URL } from './support';
import { auditExport, staffCli } from './security-helpers';

// A real OpenID Connect round trip (discovery, authorize with PKCE, state and nonce, token exchange, signed
// id_token) against a mock identity provider on loopback. The console maps the verified email to a role by the
// AUTH_OIDC_ROLES allowlist; the IdP itself grants nothing. Each test sets the claims of the next id_token, the way
// an identity provider an attacker controls (or a careless one) would send them.
test.describe.configure({ mode: 'serial' });

let idp: OAuth2Server;
let claims: Record<string, unknown> = {};
let authorizeQueries: Record<string, unknown>[] = [];

test.beforeAll(async () => {
  idp = new OAuth2Server();
  await idp.issuer.keys.generate('RS256');
  idp.service.on('beforeTokenSigning', (token) => {
    const email = String(claims.email);
    Object.assign(token.payload, { email_verified: true, sub: `idp|${email}` }, claims);
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete token.payload[k];
  });
  idp.service.on('beforeAuthorizeRedirect', (_uri, req: { query: Record<string, unknown> }) => {
    authorizeQueries.push({ ...req.query });
  });
  await idp.start(E2E_IDP_PORT, '127.0.0.1');
  idp.issuer.url = `http://127.0.0.1:${E2E_IDP_PORT}`;
});

test.afterAll(async () => {
  await idp?.stop();
});

async function signInWithSso(page: Page, next: Record<string, unknown>) {
  claims = next;
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with Corp SSO' }).click();
}

async function expectRefused(page: Page) {
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('alert').filter({ hasText: 'Single sign-on did not complete' })).toBeVisible();
  await page.goto('/users');
  await expect(page).toHaveURL(/\/sign-in/);
}

/**
 * The refusal codes given to this email, one per refusal. Refusals fold into one counted row per source, code and
 * minute (whichever email came first is the row's actor); each row counts the emails tried in `byAccount`.
 */
async function deniedCodes(email: string): Promise<string[]> {
  const rows = await auditExport({ action: 'auth.sign_in', outcome: 'denied' });
  return rows.flatMap((r) => {
    const other = JSON.parse(r.other_details || '{}') as { byAccount?: Record<string, number> };
    return Array<string>(other.byAccount?.[email] ?? 0).fill(r.code ?? '');
  });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

test('an allowlisted, verified email signs in with the mapped role', async ({ page }) => {
  await signInWithSso(page, { email: 'sso-admin@corp.test' });
  await expect(page).toHaveURL(HOME_URL);
  const banner = page.getByRole('banner');
  await expect(banner.getByText('sso-admin@corp.test')).toBeVisible();
  await expect(banner.getByText('admin', { exact: true })).toBeVisible();
});

test('minting needs a real re-authentication at the identity provider (prompt=login, max_age=0, fresh auth_time)', async ({
  page,
}) => {
  // Signed in a moment ago, but the provider says the person last typed a password an hour ago.
  await signInWithSso(page, { email: 'sso-admin@corp.test', auth_time: nowSeconds() - 3600 });
  await expect(page).toHaveURL(HOME_URL);
  const five = await userByEmail('five.sessions@example.com');
  // A session of its own, so other specs revoking five.sessions' sessions can't race this one.
  const { body } = await api('/v1/sessions', { method: 'POST', body: JSON.stringify({ user_id: five.id }) });
  const session = body as { id: string };
  await page.goto(`/sessions/${session.id}`);
  const mint = async () => {
    await page.getByLabel('Template').selectOption('hasura');
    await page.getByLabel('Reason').fill('SSO step-up check');
    await page.getByLabel('Category').selectOption('suspected_compromise');
    await page.getByRole('button', { name: 'Create token' }).click();
  };
  await mint();
  await expect(page.getByText('Re-authenticate with single sign-on first')).toBeVisible();

  // The provider ignores the request and answers with the old auth_time: still refused.
  authorizeQueries = [];
  claims = { email: 'sso-admin@corp.test', auth_time: nowSeconds() - 3600 };
  // The round trip (the provider and the callback answer with redirects) commits no page until it lands back
  // here: wait for that navigation, not for a URL the page already had.
  const landed = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await page.getByRole('button', { name: 'Re-authenticate with single sign-on' }).click();
  await landed;
  await expect(page).toHaveURL(new RegExp(`/sessions/${session.id}$`));
  expect(authorizeQueries).toHaveLength(1);
  expect(authorizeQueries[0]).toMatchObject({ prompt: 'login', max_age: '0' });
  await mint();
  await expect(page.getByText('Re-authenticate with single sign-on first')).toBeVisible();

  // A genuine re-authentication: the token is minted.
  claims = { email: 'sso-admin@corp.test', auth_time: nowSeconds() };
  await page.getByRole('button', { name: 'Re-authenticate with single sign-on' }).click();
  await expect(
    page.getByText('You re-authenticated with single sign-on in the last 5 minutes.'),
  ).toBeVisible();
  await mint();
  await expect(page.getByText('Signature verified against the instance JWKS')).toBeVisible();

  const stepUps = await auditExport({ actor: 'sso-admin@corp.test', action: 'auth.step_up' });
  expect(stepUps.filter((r) => r.code === 'sso_reauth_required')).toHaveLength(2);
});

test('a domain rule gives its role', async ({ page }) => {
  await signInWithSso(page, { email: 'someone@corp.test' });
  await expect(page).toHaveURL(HOME_URL);
  await expect(page.getByRole('banner').getByText('viewer', { exact: true })).toBeVisible();
});

test('an email no rule names gets no access, and the refusal is audited', async ({ page, browser }) => {
  await signInWithSso(page, { email: 'eve@evil.test' });
  await expectRefused(page);
  const admin = await browser.newContext({ storageState: storageStateFor('admin') });
  const adminPage = await admin.newPage();
  await adminPage.goto('/audit?action=auth.sign_in&outcome=denied');
  await expect(adminPage.getByRole('table').getByText('eve@evil.test').first()).toBeVisible();
  await admin.close();
});

test('refused sign-ins in a loop add one counted row, not a row each', async ({ page }) => {
  const email = `loop-${randomUUID().slice(0, 8)}@evil.test`;
  for (let i = 0; i < 4; i++) {
    await signInWithSso(page, { email });
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(
      page.getByRole('alert').filter({ hasText: 'Single sign-on did not complete' }),
    ).toBeVisible();
  }
  expect(await deniedCodes(email)).toEqual(Array(4).fill('not_allowlisted'));
  const rows = (await auditExport({ action: 'auth.sign_in', outcome: 'denied' })).filter((r) =>
    r.other_details?.includes(email),
  );
  // One row, or two if a minute turned during the loop.
  expect(rows.length).toBeGreaterThanOrEqual(1);
  expect(rows.length).toBeLessThanOrEqual(2);
});

test('email_verified must be the boolean true: "true", false or a missing claim get no access', async ({
  page,
}) => {
  for (const [label, value] of [
    ['string', 'true'],
    ['false', false],
    ['missing', undefined],
  ] as const) {
    const email = `unverified-${label}-${randomUUID().slice(0, 6)}@corp.test`;
    await signInWithSso(page, { email, email_verified: value });
    await expectRefused(page);
    expect(await deniedCodes(email)).toEqual(['email_unverified']);
  }
});

test('an identity-provider account claiming the email of an existing member gets nothing (no merge by email)', async ({
  page,
}) => {
  // Another subject claiming an SSO admin's address…
  await signInWithSso(page, { email: 'sso-admin@corp.test', sub: `impostor-${randomUUID()}` });
  await expectRefused(page);
  // …or a password account's address.
  const email = `pw-${randomUUID().slice(0, 8)}@corp.test`;
  const added = await staffCli(['add', email, 'admin', '--password-stdin'], 'a long enough password\n');
  expect(added.status, added.stderr).toBe(0);
  await signInWithSso(page, { email });
  await expectRefused(page);
  expect(await deniedCodes(email)).toEqual(['email_in_use']);
  const listed = JSON.parse((await staffCli(['list', '--json'])).stdout) as {
    email: string;
    source: string;
  }[];
  expect(listed.filter((m) => m.email === email)).toEqual([expect.objectContaining({ source: 'password' })]);
});

test('a role or a disable set in the console wins over the allowlist at later sign-ins', async ({ page }) => {
  const email = `member-${randomUUID().slice(0, 8)}@corp.test`;
  await signInWithSso(page, { email });
  await expect(page.getByRole('banner').getByText('viewer', { exact: true })).toBeVisible();
  expect((await staffCli(['set-role', email, 'support'])).status).toBe(0);
  await page.context().clearCookies();
  await signInWithSso(page, { email });
  await expect(page).toHaveURL(HOME_URL);
  await expect(page.getByRole('banner').getByText('support', { exact: true })).toBeVisible();
  expect((await staffCli(['disable', email])).status).toBe(0);
  await page.context().clearCookies();
  await signInWithSso(page, { email });
  await expectRefused(page);
  expect(await deniedCodes(email)).toEqual(['disabled']);
});
