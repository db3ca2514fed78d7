import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, storageStateFor } from './support';
import {
  BASE_URL,
  CANARY_SECRET_KEY,
  captureActionAnswer,
  E2E_LOG_FILE,
  faultScope,
  getAs,
  readAuthSecret,
  readOidcClientSecret,
  sessionCookieOf,
  UPSTREAM_MARKER,
  userInBand,
} from './security-helpers';

/**
 * Secrets never leave the server: the Clerk secret key (a canary value here), the console's AUTH_SECRET, the SSO
 * client secret, the demo staff password, and a JWT
 * minted by an admin (which may appear only in the answer to the admin who minted it). Checked in every page's
 * HTML and RSC payload, every client chunk those pages load, every response header, the 403/404/error pages, and
 * finally everything the console printed.
 */

test.describe.configure({ mode: 'serial' });

let minted = '';
let subject: { userId: string; sessionId: string };

function secrets(): Record<string, string> {
  const out: Record<string, string> = {
    'Clerk secret key': CANARY_SECRET_KEY,
    // The distinctive part alone, in case a prefix is stripped or the key is split.
    'Clerk secret key body': CANARY_SECRET_KEY.replace(/^sk_test_/, ''),
    AUTH_SECRET: readAuthSecret(),
    'demo staff password': DEMO_PASSWORD,
  };
  const oidc = readOidcClientSecret();
  if (oidc) out['SSO client secret'] = oidc;
  if (minted) {
    out['minted token'] = minted;
    out['minted token signature'] = minted.split('.')[2]!;
  }
  return out;
}

function expectNoSecret(where: string, text: string) {
  for (const [name, value] of Object.entries(secrets())) {
    expect(text.includes(value), `${name} found in ${where}`).toBe(false);
  }
}

test('a minted token reaches only the admin who minted it, and only in that action’s answer', async ({
  browser,
}) => {
  const { userId, active } = await userInBand(60, 75, 2);
  subject = { userId, sessionId: active[0]!.id };
  const context = await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto(`/sessions/${subject.sessionId}`);
  const form = page.getByRole('region', { name: 'Create a token' });
  await form.getByLabel('Template').selectOption('support-debug');
  await form.getByLabel('Reason').fill('security suite: secret scan');
  await form.getByLabel('Category').selectOption('suspected_compromise');
  await form.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  const actionText = await captureActionAnswer(page, () =>
    form.getByRole('button', { name: 'Create token' }).click(),
  );
  await form.getByRole('button', { name: 'Reveal token' }).click();
  minted = (await form.getByTestId('token-jwt').innerText()).trim();
  expect(minted).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
  expect(actionText).toContain(minted);

  // Elsewhere in the same browser (client-side navigations included) it is gone.
  for (const path of [
    `/sessions?user_id=${userId}`,
    '/users',
    '/audit?action=token.create',
    `/sessions/${subject.sessionId}`,
  ]) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    expectNoSecret(`${path} (browser DOM)`, await page.content());
  }
  await page.getByRole('link', { name: 'Users', exact: true }).first().click();
  expectNoSecret('after a client-side navigation', await page.content());
  await context.close();
});

test('no secret in any page, RSC payload, client chunk, header, 403, 404 or error page', async () => {
  expect(minted, 'the previous test minted a token').not.toBe('');
  const admin = sessionCookieOf('admin');
  const support = sessionCookieOf('support');
  const { userId: brokenUser } = await userInBand(75, 90, 1);
  const faults = faultScope('secrets');
  // An upstream that echoes the console's key back in its error body (some proxies do): still never shown.
  await faults.set([
    {
      method: 'GET',
      path: `^/v1/users/${brokenUser}$`,
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({
        errors: [
          {
            code: 'internal',
            message: `${UPSTREAM_MARKER} Bearer ${CANARY_SECRET_KEY}`,
            long_message: CANARY_SECRET_KEY,
          },
        ],
        clerk_trace_id: 'feedface00000000feedface00000000',
      }),
    },
  ]);

  const visits: { path: string; cookie: string | null; status: number[] }[] = [
    { path: '/sign-in', cookie: null, status: [200] },
    { path: '/api/health', cookie: null, status: [200] },
    { path: '/users', cookie: admin, status: [200] },
    { path: `/users?query=${encodeURIComponent('ada.lovelace@example.com')}`, cookie: admin, status: [200] },
    { path: `/sessions?user_id=${subject.userId}`, cookie: admin, status: [200] },
    { path: `/sessions/${subject.sessionId}`, cookie: admin, status: [200] },
    { path: '/audit', cookie: admin, status: [200] },
    { path: '/staff', cookie: admin, status: [200] },
    { path: '/audit?action=token.create', cookie: admin, status: [200] },
    { path: '/api/audit/export?action=token.create', cookie: admin, status: [200] },
    // Streamed behind loading.tsx, so the not-found page may arrive with the 200 already sent.
    { path: '/sessions/sess_doesnotexist000000000000000', cookie: admin, status: [200, 404] },
    { path: '/no-such-page', cookie: admin, status: [404] },
    { path: '/audit', cookie: support, status: [403] },
    { path: '/api/audit/export', cookie: support, status: [403] },
    // The error boundary: the upstream error above.
    { path: `/sessions?user_id=${brokenUser}`, cookie: admin, status: [200, 500] },
  ];

  const chunks = new Set<string>();
  const errorPage: string[] = [];
  try {
    for (const v of visits) {
      for (const rsc of [false, true]) {
        if (rsc && v.path.startsWith('/api/')) continue;
        const res = await getAs(v.path, v.cookie, rsc ? { RSC: '1' } : {});
        const where = `${v.path}${rsc ? ' (RSC)' : ''}`;
        if (!rsc) expect(v.status, `${where} answered ${res.status}`).toContain(res.status);
        expectNoSecret(where, res.text);
        expect(res.text.includes(UPSTREAM_MARKER), `upstream text in ${where}`).toBe(false);
        for (const [name, value] of res.headers) expectNoSecret(`${where} header ${name}`, value);
        for (const m of res.text.matchAll(/\/_next\/static\/[\w./~-]+?\.js/g)) chunks.add(m[0]);
        if (v.path.includes(brokenUser)) errorPage.push(res.text);
      }
    }
  } finally {
    await faults.clear();
  }
  // The error boundary did render (its safe message), so that page was really an error page.
  expect(errorPage.join('\n')).toMatch(/console-api:unavailable|Clerk API could not be reached/);

  expect(chunks.size, 'client chunks referenced by the pages').toBeGreaterThan(5);
  for (const chunk of chunks) {
    const res = await fetch(`${BASE_URL}${chunk}`);
    expect(res.status, chunk).toBe(200);
    const js = await res.text();
    expectNoSecret(chunk, js);
    // No Clerk key of any kind (not even the documented local one) belongs in browser code.
    expect(js, chunk).not.toMatch(/sk_(test|live)_[A-Za-z0-9]/);
    expect(js, chunk).not.toContain('AUTH_SECRET');
  }
});

test('nothing secret in what the console printed (read last)', async ({ browser }) => {
  expect(minted, 'the first test minted a token').not.toBe('');
  // A failed sign-in, with a password that must not be logged either.
  const wrong = `wrong-password-${Date.now()}`;
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(`nobody-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill(wrong);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Sign-in failed' })).toBeVisible();
  await context.close();

  const log = fs.readFileSync(E2E_LOG_FILE, 'utf8');
  expect(log.length, 'the console log file is being written').toBeGreaterThan(0);
  expectNoSecret('the console log', log);
  expect(log.includes(wrong), 'a typed password in the console log').toBe(false);
  for (const role of ['admin', 'support', 'viewer'] as const)
    expect(log.includes(sessionCookieOf(role)), `${role}'s session cookie in the console log`).toBe(false);
  // No stack trace carrying upstream text either.
  expect(log.includes(UPSTREAM_MARKER), 'upstream text in the console log').toBe(false);
});
