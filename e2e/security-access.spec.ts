import fs from 'node:fs';
import path from 'node:path';
import { decode } from '@auth/core/jwt';
import { expect, test } from '@playwright/test';
import {
  adminPage,
  createStaff,
  deniedSince,
  expectHealthy,
  expectRefused,
  expectRouteRefused,
  expectSignInRedirect,
  forgeSessionCookie,
  getAs,
  randomSecret,
  readAudit,
  readAuthSecret,
  recordAction,
  recordSessionActions,
  recordedArgs,
  replayAction,
  sessionCookieOf,
  sessionsListPath,
  sessionStatus,
  SESSION_COOKIE,
  signInFresh,
  staffCli,
  upstreamRequestsMentioning,
  userInBand,
  BASE_URL,
} from './security-helpers';
import { storageStateFor } from './support';
import { E2E_IDP_PORT } from '../playwright.config';

const LIST_WHERE = 'api:/api/sessions';

/**
 * Who may do what, checked the way an attacker would: every server action replayed by hand without a session,
 * with forged cookies, after sign-out and with a role that lacks the permission; every page fetched the same way.
 * A refusal must leave the session untouched, be written to the audit log, and never reach the Clerk API.
 */

type Recorded = Awaited<ReturnType<typeof recordSessionActions>>;
let rec: Recorded;
let subject: { userId: string; sessionId: string };

const WHERE = {
  revoke: 'action:session.revoke',
  // "Revoke all" and "Revoke selected" now run a dry run, then start a job.
  activeIds: 'action:job.dry_run',
  bulk: 'action:job.start',
  token: 'action:token.create',
} as const;
type ActionName = keyof typeof WHERE;
const ACTIONS = Object.keys(WHERE) as ActionName[];

const pagesOf = (s: typeof subject) => [
  '/users',
  `/users?query=${encodeURIComponent('ada.lovelace@example.com')}`,
  `/sessions?user_id=${s.userId}`,
  `/sessions/${s.sessionId}`,
  '/audit',
  '/staff',
];

test.beforeAll(async ({ browser }) => {
  const user = await userInBand(0, 15, 2);
  subject = { userId: user.userId, sessionId: user.active[0]!.id };
  rec = await recordSessionActions(browser, subject.userId, subject.sessionId);
});

async function expectNothingUpstream(since: number) {
  expect(await upstreamRequestsMentioning(since, [subject.userId, subject.sessionId])).toEqual([]);
}

test('without a session every action is refused, audited as anonymous, and Clerk never hears of it', async () => {
  const since = Date.now();
  for (const name of ACTIONS) {
    const reply = await replayAction(rec[name], { cookie: null });
    expectRefused(reply, 'unauthenticated');
    expect(reply.result!.message).toBe('Your console session has ended. Sign in again.');
  }
  await expectNothingUpstream(since);
  expect(await sessionStatus(subject.sessionId)).toBe('active');

  for (const name of ACTIONS)
    expect(await deniedSince('anonymous', WHERE[name], since), WHERE[name]).toBeGreaterThanOrEqual(1);
});

test('without a session the sessions list route answers 401 JSON (also for a poll), audited, nothing sent', async () => {
  const since = Date.now();
  expectRouteRefused(await getAs(sessionsListPath(subject.userId), null), 'unauthenticated');
  expectRouteRefused(
    await getAs(sessionsListPath(subject.userId), null, { 'x-console-poll': '1' }),
    'unauthenticated',
  );
  // Bad input without a session is still "sign in first": nothing about the input is looked at before the role.
  expectRouteRefused(await getAs('/api/sessions?user_id=../../v1/users', null), 'unauthenticated');
  await expectNothingUpstream(since);
  expect(await deniedSince('anonymous', LIST_WHERE, since)).toBeGreaterThanOrEqual(3);
});

test('the sessions list route refuses bad input with 400 before any upstream call, and serves the same query when valid', async () => {
  const viewer = sessionCookieOf('viewer');
  const since = Date.now();
  for (const extra of <Record<string, string>[]>[
    { user_id: '../../v1/users' },
    { limit: '5000' },
    { limit: 'abc' },
    { offset: '-1' },
    { status: 'bogus' },
    { client_id: 'client_abc' },
    { apiUrl: 'https://evil.example' },
  ]) {
    await test.step(JSON.stringify(extra), async () =>
      expectRouteRefused(await getAs(sessionsListPath(subject.userId, extra), viewer), 'invalid_input'),
    );
  }
  expectRouteRefused(await getAs('/api/sessions', viewer), 'invalid_input');
  await expectNothingUpstream(since);
  const ok = await getAs(sessionsListPath(subject.userId), viewer);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('application/json');
  expect(ok.headers.get('access-control-allow-origin')).toBeNull();
  const body = JSON.parse(ok.text) as { data: { id: string; userId: string }[]; totalCount: number };
  expect(body.data.map((s) => s.userId).every((u) => u === subject.userId)).toBe(true);
  expect(body.data.some((s) => s.id === subject.sessionId)).toBe(true);
});

/**
 * Every server action the build contains (read from Next's own manifest, so an action added later is covered
 * without editing this file), posted to an unrelated page without a session: refused. Only signing in is public.
 */
test('every server action in the build refuses a caller without a session; only the sign-in actions are public', async () => {
  const file = path.resolve(process.env.NEXT_DIST_DIR || '.next', 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const actions = Object.entries(manifest.node).map(([actionId, v]) => ({ actionId, ...v }));
  const names = actions.map((a) => `${a.filename}#${a.exportedName}`).sort();
  // The role tests above name each of these; a new action should get its own there too.
  expect(names).toEqual([
    'app/(console)/actions.ts#signOutAction',
    'app/(console)/actions.ts#stepUpWithSsoAction',
    'app/(console)/approvals/actions.ts#approveRequestAction',
    'app/(console)/approvals/actions.ts#cancelRequestAction',
    'app/(console)/approvals/actions.ts#declineRequestAction',
    'app/(console)/audit/actions.ts#reconcileAuditAction',
    'app/(console)/audit/stream/actions.ts#rewindAuditStreamAction',
    'app/(console)/jobs/actions.ts#cancelJobAction',
    'app/(console)/jobs/actions.ts#cancelMemberJobsAction',
    'app/(console)/jobs/actions.ts#createJobAction',
    'app/(console)/jobs/actions.ts#dryRunJobAction',
    'app/(console)/jobs/actions.ts#dryRunSecureAccountAction',
    'app/(console)/jobs/actions.ts#pauseJobAction',
    'app/(console)/jobs/actions.ts#resumeJobAction',
    'app/(console)/jobs/actions.ts#startSecureAccountAction',
    'app/(console)/sessions/account-actions.ts#unbanUserAction',
    'app/(console)/sessions/account-actions.ts#unlockUserAction',
    'app/(console)/sessions/account-actions.ts#unsetPasswordCompromisedAction',
    'app/(console)/sessions/actions.ts#createTokenAction',
    'app/(console)/sessions/actions.ts#reviewSignalAction',
    'app/(console)/sessions/actions.ts#revokeSessionAction',
    'app/(console)/sessions/search/actions.ts#dryRunMatchingAction',
    'app/(console)/sessions/search/actions.ts#matchingSessionsAction',
    'app/(console)/staff/actions.ts#manageStaffAction',
    'app/sign-in/actions.ts#signInAction',
    'app/sign-in/actions.ts#signInWithSsoAction',
  ]);
  const since = Date.now();
  for (const a of actions) {
    const reply = await replayAction(
      {
        url: `${BASE_URL}/users`,
        actionId: a.actionId,
        routerStateTree: null,
        contentType: 'text/plain;charset=UTF-8',
        body: '[{}]',
      },
      { cookie: null },
    );
    if (a.exportedName === 'signInWithSsoAction') {
      // Public by design: it only starts single sign-on, i.e. sends the browser to the configured identity provider
      // (or back to the sign-in page when that provider can't be reached), nowhere else.
      const target = reply.headers.get('x-action-redirect') ?? '';
      expect([`http://127.0.0.1:${E2E_IDP_PORT}`, BASE_URL], target).toContain(
        new URL(target.split(';')[0]!, BASE_URL).origin,
      );
      continue;
    }
    if (a.filename === 'app/sign-in/actions.ts') {
      // Public by design; with nothing to sign in with it does nothing.
      expect(reply.result?.ok, a.exportedName).toBe(false);
      continue;
    }
    expectRefused(reply, 'unauthenticated');
  }
  await expectNothingUpstream(since);
});

test('without a session every page redirects to sign-in (HTML and RSC), the export answers 401', async () => {
  const since = Date.now();
  for (const p of pagesOf(subject)) {
    expectSignInRedirect(await getAs(p, null), p);
    expectSignInRedirect(await getAs(p, null, { RSC: '1' }), p);
  }
  const exp = await getAs('/api/audit/export', null);
  expect(exp.status).toBe(401);
  expect(exp.text.trim()).toBe('Sign in to the console first.');
  await expectNothingUpstream(since);
});

test('forged cookies are no session: garbage, a JWE under another secret, a tampered one, and real-key tokens that fail the staff checks', async () => {
  const secret = readAuthSecret();
  const support = await decode({ token: sessionCookieOf('support'), secret, salt: SESSION_COOKIE });
  expect(support?.staffId, 'the stored support cookie decodes with the real secret').toBeTruthy();
  const now = Date.now();
  const base = {
    staffId: support!.staffId,
    sessionVersion: support!.sessionVersion,
    provider: 'credentials',
  };
  const real = sessionCookieOf('support');
  // Flip one character in the middle of the ciphertext: the authentication tag no longer matches.
  const parts = real.split('.');
  const ct = parts[3]!;
  const i = Math.floor(ct.length / 2);
  parts[3] = `${ct.slice(0, i)}${ct[i] === 'A' ? 'B' : 'A'}${ct.slice(i + 1)}`;

  const forged: Record<string, string> = {
    garbage: 'not-a-session',
    random: randomSecret().repeat(8),
    'other secret': await forgeSessionCookie({ ...base, signedInAt: now }, randomSecret()),
    tampered: parts.join('.'),
    // Encrypted with the console's real secret (as if it leaked), but each fails a check made on every request
    // against the staff store: an old session version, a sign-in older than the 12 h absolute limit, no such staff.
    'stale session version': await forgeSessionCookie(
      { ...base, sessionVersion: 999, signedInAt: now },
      secret,
    ),
    'past absolute timeout': await forgeSessionCookie({ ...base, signedInAt: now - 13 * 3600_000 }, secret),
    'unknown staff id': await forgeSessionCookie(
      { ...base, staffId: crypto.randomUUID(), signedInAt: now },
      secret,
    ),
  };

  const since = Date.now();
  for (const [label, cookie] of Object.entries(forged)) {
    await test.step(label, async () => {
      for (const name of ACTIONS) expectRefused(await replayAction(rec[name], { cookie }), 'unauthenticated');
      expectRouteRefused(await getAs(sessionsListPath(subject.userId), cookie), 'unauthenticated');
      for (const p of pagesOf(subject)) expectSignInRedirect(await getAs(p, cookie), p);
      expect((await getAs('/api/audit/export', cookie)).status).toBe(401);
    });
  }
  await expectNothingUpstream(since);
  expect(await sessionStatus(subject.sessionId)).toBe('active');
  await expectHealthy();
});

test('a viewer cannot revoke one, revoke in bulk or list ids for "sign out everywhere": refused, audited, nothing sent', async () => {
  const viewer = sessionCookieOf('viewer');
  const refused: ActionName[] = ['revoke', 'bulk', 'activeIds'];
  const since = Date.now();
  for (const name of refused) {
    const reply = await replayAction(rec[name], { cookie: viewer });
    expectRefused(reply, 'forbidden');
    expect(reply.result!.message).toBe('Your role does not allow this.');
  }
  await expectNothingUpstream(since);
  expect(await sessionStatus(subject.sessionId)).toBe('active');
  for (const name of refused)
    expect(await deniedSince('viewer@example.com', WHERE[name], since), WHERE[name]).toBeGreaterThanOrEqual(
      1,
    );

  // The same cookie may read: the refusals above are the role, not a broken session.
  expect((await getAs(sessionsListPath(subject.userId), viewer)).status).toBe(200);
});

test('support cannot mint a token: refused before the password is looked at, audited, nothing sent', async ({
  browser,
}) => {
  const since = Date.now();
  const reply = await replayAction(rec.token, { cookie: sessionCookieOf('support') });
  expectRefused(reply, 'forbidden');
  expect(reply.result!.ok === false && reply.result!.fieldErrors).toBeFalsy();
  await expectNothingUpstream(since);
  // Visible on the audit page itself, too.
  expect(await deniedSince('support@example.com', WHERE.token, since)).toBeGreaterThanOrEqual(1);
  const admin = await adminPage(browser);
  const rows = await readAudit(admin.page, { actor: 'support@example.com', action: 'access.denied' });
  expect(rows.some((r) => r.outcome === 'denied' && r.text.includes(WHERE.token))).toBe(true);
  await admin.close();
});

test('support on /audit gets the 403 page and the export a 403, both audited', async () => {
  const since = Date.now();
  const support = sessionCookieOf('support');
  const page = await getAs('/audit', support);
  expect(page.status).toBe(403);
  expect(page.text).toContain('have access to this page');
  // Nothing of the log itself: no rows, no actions, no other staff member's email.
  expect(page.text).not.toContain('audit-row');
  expect(page.text).not.toContain('auth.sign_in');
  expect(page.text).not.toContain('admin@example.com');
  const exp = await getAs('/api/audit/export', support);
  expect(exp.status).toBe(403);
  expect(exp.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(exp.text).not.toContain(',');

  expect(await deniedSince('support@example.com', 'page:/audit', since)).toBeGreaterThanOrEqual(1);
  expect(await deniedSince('support@example.com', 'api:/api/audit/export', since)).toBeGreaterThanOrEqual(1);
});

/**
 * Staff sessions are stateless JWTs (next-auth), re-issued on every request. Signing out deletes the cookie in
 * that browser; whether a copy taken before (a stolen cookie, a shared machine's backup) still works afterwards
 * depends on the server remembering the sign-out. It must not work: the console can act as any end user.
 */
test('a cookie copied before signing out no longer works after "Sign out"', async ({ browser }) => {
  const account = await createStaff('support', 'signout');
  const session = await signInFresh(browser, account);
  const copied = session.cookie;
  expect((await getAs('/users', copied)).status).toBe(200);

  await session.page.goto('/users');
  await session.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(session.page).toHaveURL(/\/sign-in/);
  // The sign-out deletes the cookie; a request already in flight (a link prefetch) can set it again on its way
  // back, but then as a copy of the ended session: whatever the browser still holds must be refused.
  const left = (await session.page.context().cookies()).filter((c) => c.name === SESSION_COOKIE);
  for (const c of left) expectSignInRedirect(await getAs('/users', c.value), '/users');
  await session.page.goto('/users');
  await expect(session.page).toHaveURL(/\/sign-in\?callbackUrl=%2Fusers/);
  await session.close();

  expectSignInRedirect(await getAs('/users', copied), '/users');
  expectRouteRefused(await getAs(sessionsListPath(subject.userId), copied), 'unauthenticated');
});

test('"sign out everywhere" (staff CLI) ends every console session of that person at once', async ({
  browser,
}) => {
  const account = await createStaff('support', 'everywhere');
  const first = await signInFresh(browser, account);
  const second = await signInFresh(browser, account);
  for (const c of [first.cookie, second.cookie]) {
    expect((await getAs('/users', c)).status).toBe(200);
    expect((await getAs(sessionsListPath(subject.userId), c)).status).toBe(200);
  }

  const r = await staffCli(['sign-out', account.email]);
  expect(r.status, `${r.stdout} ${r.stderr}`).toBe(0);

  for (const c of [first.cookie, second.cookie]) {
    for (const p of pagesOf(subject)) expectSignInRedirect(await getAs(p, c), p);
    expectRouteRefused(await getAs(sessionsListPath(subject.userId), c), 'unauthenticated');
    expectRefused(await replayAction(rec.revoke, { cookie: c }), 'unauthenticated');
  }
  // The open browser is sent to sign-in on its next navigation, and a fresh sign-in works again.
  await first.page.goto(`/sessions?user_id=${subject.userId}`);
  await expect(first.page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await first.close();
  await second.close();
  const again = await signInFresh(browser, account);
  await again.close();
  expect(await sessionStatus(subject.sessionId)).toBe('active');
});

test('a demotion or a disable bites on the very next request, with the same cookie', async ({ browser }) => {
  const demoted = await createStaff('support', 'demoted');
  const disabled = await createStaff('support', 'disabled');
  const a = await signInFresh(browser, demoted);
  const b = await signInFresh(browser, disabled);
  await a.close();
  await b.close();
  // Both may list ids for "sign out everywhere" (a support permission) before the change…
  expect((await replayAction(rec.activeIds, { cookie: a.cookie })).result?.ok).toBe(true);
  expect((await replayAction(rec.activeIds, { cookie: b.cookie })).result?.ok).toBe(true);

  expect((await staffCli(['set-role', demoted.email, 'viewer'])).status).toBe(0);
  expect((await staffCli(['disable', disabled.email])).status).toBe(0);

  // …and not after it, although their cookies did not change.
  const since = Date.now();
  expectRefused(await replayAction(rec.revoke, { cookie: a.cookie }), 'forbidden');
  expectRefused(await replayAction(rec.activeIds, { cookie: a.cookie }), 'forbidden');
  expectRefused(await replayAction(rec.revoke, { cookie: b.cookie }), 'unauthenticated');
  expectSignInRedirect(await getAs('/users', b.cookie), '/users');
  await expectNothingUpstream(since);
  expect(await sessionStatus(subject.sessionId)).toBe('active');
});

test("only an admin manages staff: support and viewer cannot change a role (theirs or anyone's), audited", async ({
  browser,
}) => {
  const victim = await createStaff('viewer', 'victim');
  const context = await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL });
  const admin = await context.newPage();
  await admin.goto('/staff');
  await admin.getByLabel('Reason').fill('security suite: recorded, never sent');
  await admin.getByLabel('Category').selectOption('suspected_compromise');
  const manage = await recordAction(
    admin,
    async () => {
      await admin.getByLabel(`Role of ${victim.email}`).selectOption('admin');
    },
    { abort: true },
  );
  await context.close();
  const args = recordedArgs(manage);
  expect(args).toMatchObject({ op: 'set-role', role: 'admin' });

  const secret = readAuthSecret();
  const supportId = (await decode({ token: sessionCookieOf('support'), secret, salt: SESSION_COOKIE }))!
    .staffId;
  const adminId = (await decode({ token: sessionCookieOf('admin'), secret, salt: SESSION_COOKIE }))!.staffId;
  const since = Date.now();

  expectRefused(await replayAction(manage, { cookie: null }), 'unauthenticated');
  expectRefused(await replayAction(manage, { cookie: sessionCookieOf('viewer') }), 'forbidden');
  const support = sessionCookieOf('support');
  expectRefused(await replayAction(manage, { cookie: support }), 'forbidden');
  // Promote themselves, or sign the admin out everywhere.
  expectRefused(
    await replayAction(manage, { cookie: support, args: [{ ...args, staffId: supportId }] }),
    'forbidden',
  );
  expectRefused(
    await replayAction(manage, {
      cookie: support,
      args: [{ op: 'sign-out', staffId: adminId, reason: 'takeover' }],
    }),
    'forbidden',
  );

  expect(await deniedSince('support@example.com', 'action:staff.manage', since)).toBeGreaterThanOrEqual(3);
  expect(await deniedSince('viewer@example.com', 'action:staff.manage', since)).toBeGreaterThanOrEqual(1);

  // Nothing changed: the victim is still a viewer, support still can't read the audit log, the admin still works.
  const them = await signInFresh(browser, victim);
  await them.close();
  expect((await getAs('/audit', them.cookie)).status).toBe(403);
  expect((await getAs('/audit', support)).status).toBe(403);
  expect((await getAs('/audit', sessionCookieOf('admin'))).status).toBe(200);
});
