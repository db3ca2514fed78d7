import { encode } from '@auth/core/jwt';
import { expect, test } from '@playwright/test';
import {
  auditExport,
  expectRefused,
  recordAction,
  recordedArgs,
  replayAction,
  BASE_URL,
  createStaff,
  expectSignInRedirect,
  getAs,
  readAuthSecret,
  SESSION_COOKIE,
  signInFresh,
  staffCli,
  staffIdOf,
} from './security-helpers';

/**
 * Console sessions as an attacker holding a copy of a cookie sees them, and the surface the console exposes:
 * next-auth's built-in sign-out ends every copy, background polling does not keep a session alive, and the image
 * optimizer does not serve.
 */

/** The cookies of a response, for the next request (next-auth's proxy wrapper and its route both set a CSRF cookie
 * on /api/auth/csrf). */
const jar = (res: Response, csrfToken: string, base: Record<string, string> = {}) => {
  const cookies = new Map(Object.entries(base));
  for (const c of res.headers.getSetCookie()) {
    const [name, value] = c.split(';')[0]!.split(/=(.*)/s) as [string, string];
    // Both set a CSRF cookie, in an order that varies: keep the one that goes with the token in the body.
    if (name.endsWith('csrf-token') && !value.startsWith(`${csrfToken}%7C`)) continue;
    cookies.set(name, value);
  }
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
};

const sessionCookieIn = (res: { headers: Headers }) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? null;

test("next-auth's own /api/auth/signout ends every copy of the session, not just the browser's cookie", async ({
  browser,
}) => {
  const account = await createStaff('viewer', 'signout');
  const { cookie, close } = await signInFresh(browser, account);
  await close();
  // The attacker's copy works before the sign-out…
  expect((await getAs('/users', cookie)).status).toBe(200);

  // …the owner signs out through next-auth's route, posting the CSRF pair its sign-out page would…
  const csrf = await fetch(`${BASE_URL}/api/auth/csrf`, {
    headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
  });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const out = await fetch(`${BASE_URL}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: jar(csrf, csrfToken, { [SESSION_COOKIE]: cookie }),
    },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${BASE_URL}/sign-in` }),
  });
  await out.arrayBuffer();
  expect([302, 303]).toContain(out.status);
  expect(new URL(out.headers.get('location') ?? '', BASE_URL).searchParams.get('error')).toBeNull();

  // …and the copy replayed afterwards is signed out, on pages and on the API alike.
  expectSignInRedirect(await getAs('/users', cookie), '/users');
  expect((await getAs('/api/audit/export', cookie)).status).toBe(401);
  const rows = await auditExport({ actor: account.email, action: 'auth.sign_out' });
  expect(rows.filter((r) => r.outcome === 'succeeded')).toHaveLength(1);
});

test('a cookie from before a sign-out cannot sign its owner out again and again', async ({ browser }) => {
  const account = await createStaff('viewer', 'signout-stale');
  const first = await signInFresh(browser, account);
  await first.close();
  await staffCli(['sign-out', account.email]);
  const second = await signInFresh(browser, account);
  // The stale cookie posted to the sign-out route does not end the new session.
  const csrf = await fetch(`${BASE_URL}/api/auth/csrf`, {
    headers: { cookie: `${SESSION_COOKIE}=${first.cookie}` },
  });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const out = await fetch(`${BASE_URL}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: jar(csrf, csrfToken, { [SESSION_COOKIE]: first.cookie }),
    },
    body: new URLSearchParams({ csrfToken }),
  });
  await out.arrayBuffer();
  // The sign-out itself was accepted (not refused for its CSRF token): it just ended nothing.
  expect(new URL(out.headers.get('location') ?? '', BASE_URL).searchParams.get('error')).toBeNull();
  expect((await getAs('/users', second.cookie)).status).toBe(200);
  await second.close();
});

test('background polling does not re-issue the session cookie; ordinary requests do', async ({ browser }) => {
  const account = await createStaff('viewer', 'poll');
  const { cookie, close } = await signInFresh(browser, account);
  await close();
  // A poll (the header the console's background refreshes carry), and a server action call, on a page and an API.
  const poll = { 'x-console-poll': '1' };
  for (const path of ['/users', '/api/audit/export']) {
    const res = await getAs(path, cookie, poll);
    expect(sessionCookieIn(res), `${path} polled`).toBeNull();
  }
  const action = await fetch(`${BASE_URL}/users`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: `${SESSION_COOKIE}=${cookie}`,
      'next-action': '00'.repeat(21),
      origin: BASE_URL,
      'content-type': 'text/plain;charset=UTF-8',
    },
    body: '[]',
  });
  await action.arrayBuffer();
  expect(sessionCookieIn(action), 'a server action call').toBeNull();
  // The same request without the header is activity: the idle timeout slides.
  expect(sessionCookieIn(await getAs('/users', cookie)), 'an ordinary page load').not.toBeNull();
});

test('a session that only polls times out: once its idle time is up, the next request is signed out', async () => {
  // Up to two staff CLI runs, then the cookie's last 5 s polled away.
  test.setTimeout(60_000);
  const account = await createStaff('viewer', 'poll-idle');
  const id = await staffIdOf(account);
  expect(id, `the staff id of ${account.email}`).toBeTruthy();
  // A genuine cookie whose idle time is almost up (the console signs them with this secret): its `exp` passed 10 s
  // ago, and Auth.js accepts an `exp` up to 15 s late, so 5 s are left (waiting out the tolerance proves nothing).
  const cookie = await encode({
    token: { staffId: id, sessionVersion: 0, signedInAt: Date.now(), provider: 'credentials' },
    secret: readAuthSecret(),
    salt: SESSION_COOKIE,
    maxAge: -10,
  });
  const poll = { 'x-console-poll': '1' };
  const first = await getAs('/users', cookie, poll);
  expect(first.status).toBe(200);
  expect(sessionCookieIn(first)).toBeNull();
  // Keep polling: it never extends the session, so it ends on its own.
  await expect
    .poll(async () => (await getAs('/users', cookie, poll)).status, { timeout: 15_000, intervals: [500] })
    .not.toBe(200);
  expectSignInRedirect(await getAs('/users', cookie), '/users');
});

test('the image optimizer does not serve', async () => {
  for (const url of [
    '/_next/image?url=%2Fsign-in&w=64&q=75',
    '/_next/image?url=https%3A%2F%2Fexample.com%2Fa.png&w=64&q=75',
  ]) {
    const res = await fetch(`${BASE_URL}${url}`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status, url).toBe(404);
    expect(res.headers.get('content-type') ?? '').not.toMatch(/^image\//);
    expect(body.subarray(0, 4).toString('hex')).not.toBe('89504e47');
  }
});

test('no HSTS over plain http (it is sent only when AUTH_URL is https: e2e/security-limits.spec.ts)', async () => {
  const res = await getAs('/sign-in', null);
  expect(res.headers.get('strict-transport-security')).toBeNull();
});

test('a stolen admin cookie alone cannot change staff: every change needs step-up, and each refusal is audited', async ({
  browser,
}) => {
  // Two accounts made with the CLI, a sign-in and nine password checks: work, not waiting.
  test.setTimeout(90_000);
  const admin = await createStaff('admin', 'stepup-staff');
  const victim = await createStaff('admin', 'stepup-victim');
  const signedIn = await signInFresh(browser, admin);
  const page = signedIn.page;
  await page.goto('/staff');
  await page.getByLabel('Reason').fill('security suite: recorded, never sent');
  await page.getByLabel('Category').selectOption('suspected_compromise');
  const manage = await recordAction(
    page,
    async () => {
      await page.getByRole('button', { name: `Sign out everywhere (${victim.email})` }).click();
    },
    { abort: true },
  );
  const args = recordedArgs(manage);
  const { password: _none, ...withoutPassword } = args;
  for (const change of [
    { op: 'set-role', role: 'viewer' },
    { op: 'disable' },
    { op: 'sign-out' },
    { op: 'enable' },
  ]) {
    for (const password of [undefined, 'a wrong guess']) {
      const reply = await replayAction(manage, {
        cookie: signedIn.cookie,
        args: [{ ...withoutPassword, ...change, ...(password ? { password } : {}) }],
      });
      expectRefused(reply, 'step_up_required');
    }
  }
  const listed = JSON.parse((await staffCli(['list', '--json'])).stdout) as {
    email: string;
    role: string;
    disabled: boolean;
    sessionVersion: number;
  }[];
  expect(listed.find((m) => m.email === victim.email)).toMatchObject({
    role: 'admin',
    disabled: false,
    sessionVersion: 0,
  });
  const rows = await auditExport({ actor: admin.email, action: 'auth.step_up' });
  expect(rows).toHaveLength(8);
  expect(rows.map((r) => r.outcome).sort()).toEqual([...Array(3).fill('denied'), ...Array(5).fill('failed')]);
  // Five failures locked this admin's step-up for 15 minutes: now even the right password is refused.
  const late = await replayAction(manage, {
    cookie: signedIn.cookie,
    args: [{ ...withoutPassword, op: 'sign-out', password: admin.password }],
  });
  expectRefused(late, 'step_up_required');
  expect(late.result!.message).toMatch(/Too many password attempts/);
  await signedIn.close();
});
