import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { webhookHeaders } from '../lib/local-clerk/webhook-sign';
import { auditExport, BASE_URL } from './security-helpers';
import { api, E2E_DATA_DIR, storageStateFor } from './support';

/** The Clerk webhook receiver of the running console, spoken to as Clerk (Svix) and as an attacker would. */

const PORT = Number(new URL(BASE_URL).port);
const RECEIVER = '/api/webhooks/clerk';
const secret = () => fs.readFileSync(path.join(E2E_DATA_DIR, 'webhook-secret'), 'utf8').trim();
const source = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;

/** One POST on a socket from this spec's own loopback address, so its refusals are its own audit row. */
function post(headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: PORT, localAddress: source });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => (data += c));
    socket.on('error', reject);
    socket.on('end', () => resolve(Number(data.split(' ')[1])));
    const all = { Host: `127.0.0.1:${PORT}`, 'Content-Length': String(Buffer.byteLength(body)), ...headers };
    const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`POST ${RECEIVER} HTTP/1.1\r\n${lines.join('')}Connection: close\r\n\r\n${body}`);
  });
}

function indexRow(sessionId: string): { status: string; source: string } | null {
  const db = new SqliteDatabase(path.join(E2E_DATA_DIR, 'console.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return (db.prepare('SELECT status, source FROM session_index WHERE session_id = ?').get(sessionId) ??
      null) as { status: string; source: string } | null;
  } finally {
    db.close();
  }
}

const userEvent = (id: string) =>
  JSON.stringify({
    data: { object: 'user', id, first_name: 'Webhook', last_name: 'Probe', updated_at: Date.now() },
    object: 'event',
    type: 'user.updated',
    timestamp: Date.now(),
    instance_id: 'ins_e2e',
    event_attributes: { http_request: { client_ip: '', user_agent: '' } },
  });

test('the receiver refuses forged, replayed, stale and oversize deliveries, takes a signed one, and audits the refusals', async () => {
  const body = userEvent('user_e2eWebhookProbe0000000000001');
  const id = `msg_e2e_${Date.now()}`;
  const signed = webhookHeaders(secret(), id, body);
  const forged = webhookHeaders(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, `${id}_f`, body);
  expect(await post(forged, body)).toBe(400);
  expect(await post(signed, body)).toBe(200);
  expect(await post(signed, body)).toBe(400);
  const old = Math.floor(Date.now() / 1000) - 6 * 60;
  expect(await post(webhookHeaders(secret(), `${id}_s`, body, old), body)).toBe(400);
  const big = 'x'.repeat(256 * 1024 + 1);
  expect(await post(webhookHeaders(secret(), `${id}_b`, big), big)).toBe(413);

  const rows = (await auditExport({ action: 'access.denied', outcome: 'denied' })).filter(
    (r) => r.ip === source,
  );
  expect(rows.length).toBeGreaterThanOrEqual(1);
  expect(rows.every((r) => r.actor_email === 'clerk-webhook' && r.code === 'unauthenticated')).toBe(true);
  expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(3);
});

test.describe('a revoke made in the console', () => {
  test.use({ storageState: storageStateFor('support') });

  test('arrives in the session index through the embedded API’s webhook', async ({ page }) => {
    const { body: users } = await api('/v1/users?limit=20&offset=320');
    let target: { userId: string; sessionId: string } | null = null;
    for (const u of users as { id: string }[]) {
      const { body: sessions } = await api(`/v1/sessions?user_id=${u.id}&status=active&limit=1`);
      const first = (sessions as { id: string }[])[0];
      if (first) {
        target = { userId: u.id, sessionId: first.id };
        break;
      }
    }
    expect(target).not.toBeNull();
    await page.goto(`/sessions?user_id=${target!.userId}`);
    const row = page.locator(`tbody tr[data-session-id="${target!.sessionId}"]`);
    await row.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke session?' });
    await dialog.getByLabel('Reason').fill('e2e session index: lost phone');
    await dialog.getByLabel('Category').selectOption('suspected_compromise');
    await dialog.getByRole('button', { name: 'Revoke session', exact: true }).click();
    await expect(row).toHaveAttribute('data-status', 'revoked');
    await expect
      .poll(() => indexRow(target!.sessionId), { timeout: 15_000 })
      .toEqual({ status: 'revoked', source: 'webhook' });
  });
});
