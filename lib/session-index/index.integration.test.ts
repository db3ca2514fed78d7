// The index fed end to end: the embedded API's signed webhooks into the console's receiver (with the receiver down
// for a while), and the background fill agreeing with the API for every seeded session.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { LOCAL_CLERK_DB_FILE } from '@/lib/local-clerk/server';
import { newWebhookSecret } from '@/lib/local-clerk/webhook-sign';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { startTestServer, type TestServer } from '@/lib/testing/local-clerk-server';
import { openTestDb, removeTempSqlite } from '@/lib/testing/pg';
import { beginBackfill, runBackfill } from './backfill';
import { clerkBackfillDeps } from './backfill-clerk';
import { receiveClerkWebhook } from './receiver';
import { sessionIndex } from './store';

const SECRET = newWebhookSecret();
let db: Db;
let api: TestServer;
let clerk: ClerkClient;
let receiver: http.Server;
let down = false;
const attempts = { refused: 0, accepted: 0 };

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  db = await openTestDb('sqlite', null);
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down) {
        attempts.refused++;
        res.writeHead(503).end();
        return;
      }
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void receiveClerkWebhook(request, {
        db,
        signingSecret: SECRET,
        ctx: { ip: '127.0.0.1', userAgent: null },
      }).then(async (r) => {
        if (r.ok) attempts.accepted++;
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
      });
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/clerk`;
  api = await startTestServer({
    webhooks: { endpoints: [url], secret: SECRET, retry: { baseMs: 20, maxMs: 200, giveUpAfterMs: 600_000 } },
    liveTraffic: { auto: false },
  });
  clerk = createClerkClient({ secretKey: api.secretKey, apiUrl: api.url, telemetry: { disabled: true } });
});

afterAll(async () => {
  setClerkClientForTests(null);
  await api?.close();
  await new Promise((r) => receiver?.close(r));
  await db?.destroy();
  removeTempSqlite();
});

describe('the session index fed by the embedded API', () => {
  it('loses nothing while the receiver is down: every change arrives once it recovers, applied once', async () => {
    down = true;
    const users = await clerk.users.getUserList({ limit: 3, orderBy: '-last_active_at' });
    const created = [];
    for (const u of users.data) created.push(await clerk.sessions.createSession({ userId: u.id }));
    const revoked = await clerk.sessions.revokeSession(created[0]!.id);
    const signIn = api.traffic!.step('sign_in');
    const newCountry = api.traffic!.step('new_country');
    const signOut = api.traffic!.step('sign_out');
    expect([signIn, newCountry, signOut].every(Boolean)).toBe(true);
    await until(
      () => attempts.refused,
      (n) => n >= 14,
      'failed attempts',
    );
    down = false;
    await api.webhooks!.drained();
    const index = sessionIndex(db);
    const rows = await Promise.all(created.map((s) => index.get(s.id)));
    expect(rows.map((r) => r?.status)).toEqual(['revoked', 'active', 'active']);
    expect(rows[0]?.updatedAt).toBe(revoked.updatedAt);
    expect(rows[1]?.userEmail).toBe(users.data[1]?.primaryEmailAddress?.emailAddress ?? null);
    expect((await index.get(signIn!.sessionId))?.status).toBe('active');
    const moved = await index.get(newCountry!.sessionId);
    expect(moved?.country).toMatch(/^[A-Z]{2}$/);
    const ended = await until(
      () => index.get(signOut!.sessionId),
      (r) => r !== null,
      'the sign-out',
    );
    expect(ended?.status).toBe('ended');
    const deliveries = await db.selectFrom('webhook_deliveries').select(['svix_id', 'event_type']).execute();
    expect(deliveries.map((d) => d.event_type).sort()).toEqual([
      'session.created',
      'session.created',
      'session.created',
      'session.created',
      'session.created',
      'session.ended',
      'session.revoked',
    ]);
    expect(api.webhooks!.stats()).toMatchObject({ delivered: 7, gaveUp: 0 });
  }, 90_000);

  it('indexes the revokes a ban makes, one webhook per session', async () => {
    const users = await clerk.users.getUserList({ limit: 50, offset: 200, orderBy: '-last_active_at' });
    let target: { userId: string; active: string[] } | null = null;
    for (const u of users.data) {
      const list = await clerk.sessions.getSessionList({ userId: u.id, status: 'active', limit: 100 });
      if (list.data.length >= 2) {
        target = { userId: u.id, active: list.data.map((s) => s.id) };
        break;
      }
    }
    expect(target).not.toBeNull();
    await clerk.users.banUser(target!.userId);
    await api.webhooks!.drained();
    const rows = await Promise.all(target!.active.map((id) => sessionIndex(db).get(id)));
    expect(rows.map((r) => r?.status)).toEqual(target!.active.map(() => 'revoked'));
  }, 60_000);

  it('fills the index from the API in pages, resuming from its saved cursor, agreeing with every session', async () => {
    setClerkClientForTests(clerk);
    await beginBackfill(db, Date.now());
    const first = await runBackfill(db, clerkBackfillDeps(), { maxPages: 1 });
    expect(first.cursor).not.toBeNull();
    expect(first.users).toBe(100);
    const done = await runBackfill(db, clerkBackfillDeps());
    expect(done.cursor).toBeNull();
    expect((await sessionIndex(db).state()).complete).toBe(true);
    const source = new SqliteDatabase(path.join(api.dataDir, LOCAL_CLERK_DB_FILE), { readonly: true });
    const truth = source
      .prepare(
        'SELECT id, status, updated_at, last_active_at, ip_address, country, city FROM sessions ORDER BY id',
      )
      .all() as {
      id: string;
      status: string;
      updated_at: number;
      last_active_at: number;
      ip_address: string | null;
      country: string | null;
      city: string | null;
    }[];
    source.close();
    const indexed = await db
      .selectFrom('session_index')
      .select(['session_id', 'status', 'updated_at', 'last_active_at', 'ip', 'country', 'city'])
      .orderBy('session_id')
      .execute();
    expect(truth.length).toBeGreaterThan(1000);
    expect(
      indexed.map((r) => [
        r.session_id,
        r.status,
        Number(r.updated_at),
        Number(r.last_active_at),
        r.ip,
        r.country,
        r.city,
      ]),
    ).toEqual(
      truth.map((t) => [t.id, t.status, t.updated_at, t.last_active_at, t.ip_address, t.country, t.city]),
    );
    expect(done.sessions).toBe(truth.length);
  }, 300_000);
});
