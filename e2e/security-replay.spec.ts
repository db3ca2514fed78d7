import { expect, test } from '@playwright/test';
import { storageStateFor } from './support';
import {
  auditExport,
  BASE_URL,
  recordAction,
  recordedArgs,
  replayAction,
  sessionCookieOf,
  sessionStatus,
  upstreamRequests,
  userInBand,
} from './security-helpers';

/**
 * Replays of a real, captured write. Every write carries a one-time request key chosen in the browser: the same
 * POST sent again (by an attacker holding it, a proxy retrying it, twice at once) is answered with the first
 * answer and reaches Clerk and the audit log once; the key is refused for anything else or anyone else.
 */
test('a captured revoke POST, replayed as is, twice at once, edited or by another staff member, revokes once', async ({
  browser,
}) => {
  const { userId, active } = await userInBand(300, 320, 2);
  const [target, bystander] = [active[0]!.id, active[1]!.id];
  const context = await browser.newContext({ storageState: storageStateFor('support'), baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto(`/sessions?user_id=${userId}`);
  const row = page.locator(`tbody tr[data-session-id="${target}"]`);
  await row.getByRole('button', { name: /^Revoke/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
  await dialog.getByLabel('Reason').fill('replay suite: the real one');
  await dialog.getByLabel('Category').selectOption('suspected_compromise');
  const since = Date.now();
  const captured = await recordAction(page, () =>
    dialog.getByRole('button', { name: 'Revoke session', exact: true }).click(),
  );
  await expect(page.getByText(`Session ${target} revoked.`)).toBeVisible();
  await context.close();
  const args = recordedArgs(captured);
  expect(args.idempotencyKey).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{16,100}$/));

  const support = sessionCookieOf('support');
  const [first, second] = await Promise.all([
    replayAction(captured, { cookie: support }),
    replayAction(captured, { cookie: support }),
  ]);
  expect(first.result).toMatchObject({ ok: true, data: { id: target, status: 'revoked' } });
  expect(second.result).toEqual(first.result);

  // The key reused for another session, or by someone else: refused, and nothing is done.
  const edited = await replayAction(captured, {
    cookie: support,
    args: [{ ...args, sessionId: bystander }],
  });
  expect(edited.result).toMatchObject({ ok: false, kind: 'conflict' });
  const stranger = await replayAction(captured, { cookie: sessionCookieOf('admin') });
  expect(stranger.result).toMatchObject({ ok: false, kind: 'conflict' });
  expect(JSON.stringify(stranger.result)).not.toContain(target);

  const revokes = await upstreamRequests({ since, method: 'POST', path: /\/revoke$/ });
  expect(revokes.filter((r) => r.path.includes(target))).toHaveLength(1);
  expect(revokes.filter((r) => r.path.includes(bystander))).toHaveLength(0);
  expect(await sessionStatus(bystander)).toBe('active');
  const rows = await auditExport({ action: 'session.revoke', target });
  expect(rows.filter((r) => r.reason === 'replay suite: the real one')).toHaveLength(1);
});
