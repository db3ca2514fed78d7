import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { storageStateFor } from './support';
import {
  BASE_URL,
  expectHealthy,
  recordSessionActions,
  replayAction,
  sessionCookieOf,
  sessionStatus,
  upstreamRequestsMentioning,
  userInBand,
} from './security-helpers';

/**
 * Cross-site request forgery. A server action is an ordinary POST: a hand-made one with a foreign (or `null`)
 * Origin, an HTML form auto-submitted from another origin, and fetches from another origin must all be stopped
 * before the action runs. The form below uses React's own form-action encoding, which DOES revoke when posted
 * from the console's origin: only the origin check (and SameSite for other sites) stands in the way.
 */

type Recorded = Awaited<ReturnType<typeof recordSessionActions>>;
let rec: Recorded;
let subject: { userId: string; sessionIds: string[] };
let evil: http.Server;
let evilPort: number;
const evilPages = new Map<string, string>();

test.beforeAll(async ({ browser }) => {
  const user = await userInBand(15, 30, 3);
  subject = { userId: user.userId, sessionIds: user.active.map((s) => s.id) };
  rec = await recordSessionActions(browser, subject.userId, subject.sessionIds[0]!);
  evil = http.createServer((req, res) => {
    const html = evilPages.get((req.url ?? '/').split('?')[0]!);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilPort = (evil.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise<void>((r) => evil.close(() => r()));
});

async function expectUntouched(since: number) {
  for (const id of subject.sessionIds) expect(await sessionStatus(id), id).toBe('active');
  expect(
    (await upstreamRequestsMentioning(since, subject.sessionIds)).filter((r) => r.method !== 'GET'),
  ).toEqual([]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A page that auto-submits a multipart form to the sessions page, encoded as React encodes a form action. */
function formPage(sessionId: string, autoSubmit = true): string {
  const fields: Record<string, string> = {
    $ACTION_REF_1: '',
    '$ACTION_1:0': JSON.stringify({ id: rec.revoke.actionId, bound: '$@1' }),
    '$ACTION_1:1': '[null]',
    $ACTION_KEY: 'k0',
    sessionId,
    reason: 'csrf: cross-site form post',
  };
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const target = `${BASE_URL}/sessions?user_id=${subject.userId}`;
  return `<!doctype html><title>win a prize</title>
    <form id="f" method="post" enctype="multipart/form-data" action="${esc(target)}">${inputs}</form>
    ${autoSubmit ? `<script>document.getElementById('f').submit()</script>` : ''}`;
}

/** A page that tries the fetch form of the action from its own origin, with and without CORS. */
function fetchPage(sessionId: string): string {
  const target = `${BASE_URL}/sessions?user_id=${subject.userId}`;
  const body = JSON.stringify([{ sessionId, reason: 'csrf: cross-site fetch' }]);
  return `<!doctype html><title>pending</title><script>
    const opts = (mode) => ({ method: 'POST', mode, credentials: 'include',
      headers: { 'next-action': ${JSON.stringify(rec.revoke.actionId)}, 'content-type': 'text/plain;charset=UTF-8' },
      body: ${JSON.stringify(body)} });
    Promise.allSettled([fetch(${JSON.stringify(target)}, opts('cors')), fetch(${JSON.stringify(target)}, opts('no-cors'))])
      .then((r) => { document.title = 'done ' + r.map((x) => x.status).join(','); });
  </script>`;
}

/** Serves `html` on the other origin, opens it, and reports what reached the console. */
async function submitFrom(page: Page, origin: string, name: string, html: string) {
  evilPages.set(`/${name}`, html);
  const landed = page.waitForRequest(
    (r) => r.url().startsWith(`${BASE_URL}/sessions`) && r.method() === 'POST',
  );
  await page.goto(`${origin}/${name}`);
  const req = await landed;
  const headers = await req.allHeaders();
  return {
    status: (await req.response())?.status() ?? null,
    origin: headers.origin ?? null,
    sentSessionCookie: (headers.cookie ?? '').includes('console.session='),
  };
}

test('a replayed action with Origin evil.example, null or another host is aborted before it runs', async () => {
  const support = sessionCookieOf('support');
  const admin = sessionCookieOf('admin');
  // The same replay from the console's own origin is served: the refusals below are the origin check.
  expect((await replayAction(rec.activeIds, { cookie: support })).result?.ok).toBe(true);

  const since = Date.now();
  for (const origin of ['https://evil.example', 'null', `http://localhost:${new URL(BASE_URL).port}`]) {
    await test.step(origin, async () => {
      for (const [action, cookie] of [
        [rec.activeIds, support],
        [rec.revoke, support],
        [rec.bulk, support],
        [rec.token, admin],
      ] as const) {
        const reply = await replayAction(action, { cookie, origin });
        expect(reply.result, reply.text.slice(0, 200)).toBeNull();
        expect(reply.errored).toBe(true);
        expect(reply.status).toBe(500);
      }
    });
  }
  await expectUntouched(since);
  await expectHealthy();
});

test.describe('from a page on another origin, in a signed-in browser', () => {
  test.use({ storageState: storageStateFor('support') });

  test('an auto-submitted form from a same-site origin (cookie sent) is refused by the origin check', async ({
    page,
  }) => {
    const since = Date.now();
    const sent = await submitFrom(
      page,
      `http://127.0.0.1:${evilPort}`,
      'form-same-site',
      formPage(subject.sessionIds[1]!),
    );
    // Another port on the same host is the same site: the browser does send the session cookie.
    expect(sent.sentSessionCookie).toBe(true);
    expect(sent.origin).toBe(`http://127.0.0.1:${evilPort}`);
    expect(sent.status).toBe(500);
    await expectUntouched(since);
  });

  test('an auto-submitted form from another site is refused (SameSite=Lax keeps the cookie home)', async ({
    page,
  }) => {
    const since = Date.now();
    const sent = await submitFrom(
      page,
      `http://localhost:${evilPort}`,
      'form-cross-site',
      formPage(subject.sessionIds[1]!),
    );
    expect(sent.sentSessionCookie).toBe(false);
    expect(sent.status).toBe(500);
    await expectUntouched(since);
  });

  test('a form built in an opaque-origin page (Origin: null) is refused', async ({ page }) => {
    const since = Date.now();
    await page.goto('about:blank');
    const landed = page.waitForRequest(
      (r) => r.url().startsWith(`${BASE_URL}/sessions`) && r.method() === 'POST',
    );
    await page.setContent(formPage(subject.sessionIds[2]!, false));
    await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
    const req = await landed;
    expect((await req.allHeaders()).origin).toBe('null');
    expect((await req.response())?.status()).toBe(500);
    await expectUntouched(since);
  });

  test('fetch from another origin (CORS and no-cors) cannot call the action', async ({ page }) => {
    const since = Date.now();
    evilPages.set('/fetch', fetchPage(subject.sessionIds[2]!));
    await page.goto(`http://127.0.0.1:${evilPort}/fetch`);
    // The CORS fetch fails its preflight; the no-cors one loses the next-action header and is no action call.
    await expect(page).toHaveTitle('done rejected,fulfilled');
    await expectUntouched(since);
  });
});
