import { expect, test } from '@playwright/test';
import { OAuth2Server } from 'oauth2-mock-server';
import { E2E_IDP_PORT } from '../playwright.config';
import { api, storageStateFor, userByEmail } from './support';

// A real OpenID Connect round trip (discovery, authorize with PKCE, state and nonce, token exchange, signed
// id_token) against a mock identity provider on loopback. The console maps the verified email to a role by the
// AUTH_OIDC_ROLES allowlist; the IdP itself grants nothing.
test.describe.configure({ mode: 'serial' });

let idp: OAuth2Server;
let nextEmail = 'sso-admin@corp.test';

test.beforeAll(async () => {
  idp = new OAuth2Server();
  await idp.issuer.keys.generate('RS256');
  idp.service.on('beforeTokenSigning', (token) => {
    token.payload.email = nextEmail;
    token.payload.email_verified = true;
    token.payload.sub = `idp|${nextEmail}`;
  });
  await idp.start(E2E_IDP_PORT, '127.0.0.1');
  idp.issuer.url = `http://127.0.0.1:${E2E_IDP_PORT}`;
});

test.afterAll(async () => {
  await idp?.stop();
});

async function signInWithSso(page: import('@playwright/test').Page, email: string) {
  nextEmail = email;
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with Corp SSO' }).click();
}

test('an allowlisted email signs in with the mapped role and can mint a token right after (fresh SSO step-up)', async ({
  page,
}) => {
  await signInWithSso(page, 'sso-admin@corp.test');
  await expect(page).toHaveURL(/\/users/);
  const banner = page.getByRole('banner');
  await expect(banner.getByText('sso-admin@corp.test')).toBeVisible();
  await expect(banner.getByText('admin', { exact: true })).toBeVisible();

  const five = await userByEmail('five.sessions@example.com');
  // A session of its own, so other specs revoking five.sessions' sessions can't race this one.
  const { body } = await api('/v1/sessions', { method: 'POST', body: JSON.stringify({ user_id: five.id }) });
  const session = body as { id: string };
  await page.goto(`/sessions/${session.id}`);
  await page.getByLabel('Template').selectOption('hasura');
  await page.getByLabel('Reason').fill('SSO step-up check');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('Signature verified against the instance JWKS')).toBeVisible();
});

test('a domain rule gives its role', async ({ page }) => {
  await signInWithSso(page, 'someone@corp.test');
  await expect(page).toHaveURL(/\/users/);
  await expect(page.getByRole('banner').getByText('viewer', { exact: true })).toBeVisible();
});

test('an email no rule names gets no access, and the refusal is audited', async ({ page, browser }) => {
  await signInWithSso(page, 'eve@evil.test');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('alert').filter({ hasText: 'Single sign-on did not complete' })).toBeVisible();
  await page.goto('/users');
  await expect(page).toHaveURL(/\/sign-in/);

  const admin = await browser.newContext({ storageState: storageStateFor('admin') });
  const adminPage = await admin.newPage();
  await adminPage.goto('/audit?action=auth.sign_in&outcome=denied');
  await expect(adminPage.getByRole('table').getByText('eve@evil.test').first()).toBeVisible();
  await admin.close();
});
