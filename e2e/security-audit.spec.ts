import net from 'node:net';
import { expect, test } from '@playwright/test';
import { auditExport, BASE_URL, sessionCookieOf, SESSION_COOKIE } from './security-helpers';
import { readCsv } from '../lib/testing/read-csv';

/**
 * The audit log under attack: a loop of refused requests must not grow it a row per request, and what an attacker
 * put in a field (a user agent) must reach a spreadsheet as text.
 */

const PORT = Number(new URL(BASE_URL).port);

/**
 * One HTTP request written on a socket, from a loopback source address of the test's own (any 127.x.y.z is this
 * machine on Linux), so the console sees a client address no other spec shares.
 */
function raw(
  source: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: PORT, localAddress: source });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => (data += c));
    socket.on('error', reject);
    socket.on('end', () => {
      const cut = data.indexOf('\r\n\r\n');
      const head = data.slice(0, cut);
      let body = data.slice(cut + 4);
      if (/^transfer-encoding: chunked/im.test(head)) {
        let decoded = '';
        for (let at = 0; ; ) {
          const eol = body.indexOf('\r\n', at);
          const size = parseInt(body.slice(at, eol), 16);
          if (!size) break;
          decoded += body.slice(eol + 2, eol + 2 + size);
          at = eol + 2 + size + 2;
        }
        body = decoded;
      }
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
    const all = {
      Host: `127.0.0.1:${PORT}`,
      ...headers,
      ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
    };
    const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('')}Connection: close\r\n\r\n${body}`);
  });
}

const rawGet = (source: string, path: string, headers: Record<string, string> = {}) =>
  raw(source, 'GET', path, headers).then((r) => r.status);

const randomSource = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;

/** access.denied rows of one client address, with their counts, through the console's own export. */
async function deniedRowsOf(ip: string) {
  const rows = await auditExport({ action: 'access.denied', outcome: 'denied' });
  return rows.filter((r) => r.ip === ip);
}

test.describe('refused requests fold into one counted audit row per source and minute', () => {
  test('200 anonymous exports in a loop add one row (two if a minute turns), counting exactly 200', async () => {
    const source = randomSource();
    for (let i = 0; i < 200; i++) expect(await rawGet(source, '/api/audit/export')).toBe(401);
    const rows = await deniedRowsOf(source);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(200);
    for (const r of rows) {
      expect(r).toMatchObject({ actor_email: 'anonymous', code: 'unauthenticated' });
      const other = JSON.parse(r.other_details!) as { byWhere: Record<string, number> };
      expect(other.byWhere['api:/api/audit/export']).toBe(Number(r.count));
    }
  });

  test('the same refusal sent 60 times at once is counted 60 times, in one row', async () => {
    const source = randomSource();
    const statuses = await Promise.all(Array.from({ length: 60 }, () => rawGet(source, '/api/audit/export')));
    expect(statuses.every((s) => s === 401)).toBe(true);
    const rows = await deniedRowsOf(source);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(60);
  });

  test('a signed-in viewer refused the export is counted under their own staff id', async () => {
    const source = randomSource();
    const cookie = `${SESSION_COOKIE}=${sessionCookieOf('viewer')}`;
    for (let i = 0; i < 5; i++)
      expect(await rawGet(source, '/api/audit/export', { Cookie: cookie })).toBe(403);
    const rows = await deniedRowsOf(source);
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(5);
    for (const r of rows) expect(r).toMatchObject({ actor_email: 'viewer@example.com', code: 'forbidden' });
  });

  test('/audit shows the folded row with its count (a row per minute if a minute turns)', async ({
    browser,
  }) => {
    const source = randomSource();
    for (let i = 0; i < 7; i++)
      expect(await rawGet(source, '/api/audit/export?action=token.create')).toBe(401);
    const rows = await deniedRowsOf(source);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(7);
    const context = await browser.newContext({ baseURL: BASE_URL });
    await context.addCookies([{ name: SESSION_COOKIE, value: sessionCookieOf('admin'), url: BASE_URL }]);
    const page = await context.newPage();
    await page.goto('/audit?action=access.denied&outcome=denied&actor=anonymous');
    for (const r of rows) {
      const shown = page.locator(`[data-testid="audit-row"][data-id="${r.id}"]`);
      await expect(shown.getByText(`Denied ×${r.count}`, { exact: true })).toBeVisible();
    }
    await context.close();
  });
});

test.describe('exports are inert in spreadsheets', () => {
  test('a failed sign-in with a formula user agent reaches the CSV as one quoted, neutralised cell', async ({
    browser,
  }) => {
    const started = Date.now();
    const agents = ['Probe;=1+2;@SUM(1)', '=HYPERLINK("http://evil.example","x");1'];
    const emails: string[] = [];
    for (const userAgent of agents) {
      // The User-Agent header is the client's to choose; the browser context sends this one on every request.
      const context = await browser.newContext({ baseURL: BASE_URL, userAgent });
      const page = await context.newPage();
      const email = `csv-probe-${Date.now()}-${emails.length}@example.com`;
      emails.push(email);
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'Sign-in failed' })).toBeVisible();
      await context.close();
    }
    const res = await fetch(`${BASE_URL}/api/audit/export?action=auth.sign_in&outcome=failed`, {
      headers: { cookie: `${SESSION_COOKIE}=${sessionCookieOf('admin')}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines = text.split('\r\n').filter((l) => emails.some((e) => l.includes(e)));
    expect(lines).toHaveLength(2);
    // Every field quoted: a spreadsheet splitting on `;` (or `,`) keeps each one a single cell.
    for (const line of lines) expect(line).toMatch(/^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/);
    expect(lines.find((l) => l.includes(emails[0]!))).toContain(',"Probe;=1+2;@SUM(1)",');
    // A cell that starts with a formula character is prefixed with a quote, so it is text.
    expect(lines.find((l) => l.includes(emails[1]!))).toContain(
      `,"'=HYPERLINK(""http://evil.example"",""x"");1",`,
    );
    const [header, ...records] = readCsv(text);
    const ua = header!.indexOf('user_agent');
    const at = header!.indexOf('at');
    const probes = records.filter(
      (r) => Date.parse(r[at]!) >= started - 1_000 && agents.some((a) => r[ua]!.endsWith(a)),
    );
    expect(probes.map((r) => r[ua]).sort()).toEqual([
      '\'=HYPERLINK("http://evil.example","x");1',
      'Probe;=1+2;@SUM(1)',
    ]);
  });
});
