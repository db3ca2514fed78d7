// The audit stream and the Outbox on a console of their own (the shared one streams nowhere): the CAEP key's JWKS
// is public, an admin sees each receiver's state and replays with an audited rewind, and support is refused both
// pages and the rewind, even by a raw action POST.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import type { LocalClerkServer } from '../lib/local-clerk/server';
import { freePort } from '../lib/testing/ports';
import { startApi, startConsole, type ConsoleProcess } from '../lib/testing/processes';
import {
  expectRefused,
  recordAction,
  replayAction,
  SESSION_COOKIE,
  type RecordedAction,
} from './security-helpers';

const KEY = 'sk_test_govgovgovgovgovgovgovgovgovgov01';
const PASSWORD = 'gov-demo-password';
const SECRET = `whsec_${Buffer.from('e2e stream secret of 32 bytes!!!').toString('base64')}`;

let dataDir: string;
let clerk: LocalClerkServer;
let consoleProc: ConsoleProcess;
let receiver: http.Server;
const hooks: { path: string; headers: Record<string, string>; body: string }[] = [];
let rewind: RecordedAction | null = null;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-gov-'));
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      hooks.push({ path: req.url ?? '', headers, body });
      res.writeHead(req.url === '/ssf' ? 202 : 204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
  clerk = await startApi({ dataDir: path.join(dataDir, 'api'), secretKey: KEY, rateLimit: 0, faults: false });
  consoleProc = await startConsole({
    apiUrl: clerk.url,
    apiKey: KEY,
    dataDir: path.join(dataDir, 'console'),
    demoPassword: PASSWORD,
    env: {
      AUDIT_STREAM_URL: `http://127.0.0.1:${port}/siem`,
      AUDIT_STREAM_SECRET: SECRET,
      AUDIT_STREAM_POLL_MS: '200',
      SSF_RECEIVER_URL: `http://127.0.0.1:${port}/ssf`,
    },
  });
});

test.afterAll(async () => {
  await consoleProc?.stop();
  await clerk?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, who: 'admin' | 'support') {
  const context = await browser.newContext({
    baseURL: consoleProc.url,
    storageState: { cookies: [], origins: [] },
  });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(`${who}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  return page;
}

test('the CAEP signing key is published at a public JWKS URL, private part left out', async () => {
  const res = await fetch(`${consoleProc.url}/api/ssf/jwks`, { redirect: 'manual' });
  expect(res.status).toBe(200);
  const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  expect(keys[0]).not.toHaveProperty('d');
});

test('an admin sees the receivers catch up, and a rewind replays the same signed events', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const page = await signedIn(browser, 'admin');
  const verifier = new Webhook(SECRET);
  const signIns = () =>
    hooks.filter((h) => h.path === '/siem' && JSON.parse(h.body).type === 'audit.auth.sign_in');
  await expect.poll(() => signIns().length).toBeGreaterThan(0);
  const first = signIns()[0]!;
  expect(verifier.verify(first.body, first.headers)).toMatchObject({
    data: { actor: { email: 'admin@example.com' } },
  });

  await page.getByRole('link', { name: 'Stream', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Audit stream' })).toBeVisible();
  const siem = page.getByRole('row').filter({ hasText: 'Standard Webhooks' });
  await expect(siem).toContainText('siem');
  await expect(page.getByRole('row').filter({ hasText: 'CAEP (Shared Signals)' })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(siem).toContainText('up to date', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await page.getByLabel('From the start of the log').check();
  await page.getByLabel('Reason').fill('SIEM lost a day of data');
  await page.getByLabel('Category').selectOption('suspected_compromise');
  rewind = await recordAction(page, () => page.getByRole('button', { name: 'Rewind' }).click());
  await expect(page.getByRole('status')).toContainText('Rewound: siem receives again');
  await expect
    .poll(() => signIns().filter((h) => h.headers['webhook-id'] === first.headers['webhook-id']).length)
    .toBe(2);
  await expect
    .poll(() =>
      hooks.some((h) => h.path === '/siem' && JSON.parse(h.body).data?.action === 'audit.stream_rewind'),
    )
    .toBe(true);

  await page.getByRole('link', { name: 'Outbox', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible();
  await expect(page.getByText('In local mode the console catches its own mail')).toBeVisible();
  await page.context().close();
});

test('support gets the forbidden page for Stream and Outbox, and a raw rewind is refused', async ({
  browser,
}) => {
  expect(rewind, 'the admin test recorded the rewind').not.toBeNull();
  test.setTimeout(60_000);
  const page = await signedIn(browser, 'support');
  await expect(page.getByRole('link', { name: 'Stream', exact: true })).toHaveCount(0);
  for (const where of ['/audit/stream', '/outbox']) {
    const res = await page.goto(where);
    expect(res?.status(), where).toBe(403);
    await expect(page.getByText('have access to this page')).toBeVisible();
  }
  const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
  expectRefused(await replayAction(rewind!, { cookie, origin: consoleProc.url }), 'forbidden');
  await page.context().close();
});
