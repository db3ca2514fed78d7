import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { withoutConsoleEnv } from '../lib/testing/console-env';
import { freePort } from '../lib/testing/ports';
import { E2E_PORT } from '../playwright.config';
import { storageStateFor } from './support';
import { BASE_URL, getAs, readAudit, sessionCookieOf, SESSION_COOKIE } from './security-helpers';

/**
 * Edges an attacker reaches without the console's forms: a page elsewhere driving a signed-in admin's browser to
 * the audit export, a DNS-rebound name in front of a local-mode console, and a local-mode console started on every
 * interface.
 */

/** One raw HTTP request with exactly this Host header (fetch would not send a Host of our choosing). */
function rawGet(
  pathname: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: E2E_PORT,
        path: pathname,
        method: 'GET',
        headers: { ...headers, Host: host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test.describe('local mode answers only loopback names', () => {
  test('a DNS-rebound name gets 421 on every route, signed in or not; loopback names are served', async () => {
    const cookie = `${SESSION_COOKIE}=${sessionCookieOf('admin')}`;
    for (const host of [
      'evil.example',
      `evil.example:${E2E_PORT}`,
      `127.0.0.1.nip.io:${E2E_PORT}`,
      '10.0.0.5',
    ]) {
      for (const pathname of ['/api/health', '/sign-in', '/users', '/api/audit/export', '/api/auth/csrf']) {
        const res = await rawGet(pathname, host, { Cookie: cookie });
        expect(res.status, `${host} ${pathname}`).toBe(421);
        expect(res.body).toBe(
          'This console runs in local mode and answers only on 127.0.0.1, localhost or [::1].\n',
        );
      }
    }
    for (const host of [`127.0.0.1:${E2E_PORT}`, `localhost:${E2E_PORT}`, `[::1]:${E2E_PORT}`, 'localhost']) {
      expect((await rawGet('/api/health', host)).status, host).toBe(200);
    }
  });

  test('npm start refuses a non-loopback HOST in local mode, with the reason, and listens nowhere', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-host-'));
    try {
      // The three at once: each is seconds of tsx compiling, on one core.
      await Promise.all(
        ['0.0.0.0', '::', '192.0.2.10'].map(async (host) => {
          const port = await freePort();
          const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--no-build'], {
            env: { ...withoutConsoleEnv(process.env), HOST: host, PORT: String(port), DATA_DIR: dataDir },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
          const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
          expect(code, stderr).not.toBe(0);
          expect(stderr).toContain(
            `session-console: local mode listens only on this machine (HOST=127.0.0.1, localhost or ::1), not HOST="${host}"`,
          );
          await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
        }),
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

test.describe('the audit export refuses other sites', () => {
  let evil: http.Server;
  let evilPort: number;
  let page = '';

  test.beforeAll(async () => {
    evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    evilPort = (evil.address() as AddressInfo).port;
  });
  test.afterAll(async () => {
    await new Promise<void>((r) => evil.close(() => r()));
  });

  /** A session id nobody has: the export's filter, so the audit rows of this test are its own. */
  const marker = () => `sess_xsite${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  test('with the admin cookie: cross-site or foreign-origin → 403 and no audit row; same-origin → the CSV', async ({
    browser,
  }) => {
    const target = marker();
    const cookie = sessionCookieOf('admin');
    const pathname = `/api/audit/export?action=token.create&target=${target}`;
    const foreign: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'https://evil.example' },
      { Referer: 'https://evil.example/attack.html' },
    ];
    for (const headers of foreign) {
      const res = await getAs(pathname, cookie, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).toBe('Open this export from the console itself.\n');
    }
    const context = await browser.newContext({ storageState: storageStateFor('admin'), baseURL: BASE_URL });
    try {
      const admin = await context.newPage();
      expect(await readAudit(admin, { action: 'audit.export', target })).toEqual([]);

      const ok = await getAs(pathname, cookie, { 'Sec-Fetch-Site': 'same-origin' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(ok.text.split('\r\n')[0]).toMatch(/^"at",/);
      await expect
        .poll(async () => (await readAudit(admin, { action: 'audit.export', target })).length)
        .toBe(1);
    } finally {
      await context.close();
    }
  });

  test("a link on another site opens the export in the admin's browser: refused, nothing recorded", async ({
    browser,
  }) => {
    const target = marker();
    page = `<a id="go" href="${BASE_URL}/api/audit/export?target=${target}">Free prizes</a>`;
    const context = await browser.newContext({ storageState: storageStateFor('admin') });
    try {
      const tab = await context.newPage();
      // localhost and 127.0.0.1 are different sites: the browser says cross-site, and still sends the Lax cookie
      // on a top-level link.
      await tab.goto(`http://localhost:${evilPort}/`);
      const answer = tab.waitForResponse((r) => r.url().startsWith(`${BASE_URL}/api/audit/export`));
      await tab.locator('#go').click();
      const res = await answer;
      expect(res.status()).toBe(403);
      expect((await res.request().allHeaders())['sec-fetch-site']).toBe('cross-site');
      expect(await res.text()).toBe('Open this export from the console itself.\n');

      const admin = await context.newPage();
      await admin.goto(BASE_URL);
      expect(await readAudit(admin, { action: 'audit.export', target })).toEqual([]);

      // The console's own link still downloads.
      await admin.goto(`${BASE_URL}/audit?target=${target}`);
      const download = admin.waitForEvent('download');
      await admin.getByRole('link', { name: /Export CSV/ }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
      expect(fs.readFileSync((await file.path())!, 'utf8')).toMatch(/^"at",/);
    } finally {
      await context.close();
    }
  });
});
