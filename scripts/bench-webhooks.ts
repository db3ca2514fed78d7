/**
 * `npm run bench:webhooks`: how fast the receiver absorbs a burst of Clerk webhooks, and how long a sign-in in the
 * embedded API takes to reach the session index (not a test; prints figures). The burst goes through the receiver's
 * handler function in this process (verification, dedupe, ordering and the database write; no Next.js in front),
 * on SQLite and, when this machine has one, a throwaway PostgreSQL. Bounded: a fixed burst and a fixed number of
 * sign-ins.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../lib/db';
import { startLocalClerk } from '../lib/local-clerk/server';
import { newWebhookSecret, webhookHeaders } from '../lib/local-clerk/webhook-sign';
import { watchSessionIndex } from '../lib/risk/on-index';
import { receiveClerkWebhook } from '../lib/session-index/receiver';
import { sessionIndex } from '../lib/session-index/store';
import { freshPostgresSchema, startTestPostgres } from '../lib/testing/pg';
import { summarize } from './bench/stats';

const SESSIONS = 1_000;
const RETRY_SHARE = 0.2;
const CONCURRENCY = 16;
const SIGN_INS = 40;
// HISTORY=1000: the burst goes to 20 users who already have that many older sessions each in the index.
const HISTORY = Number(process.env.HISTORY ?? 0);
const USERS = HISTORY > 0 ? 20 : 97;
const SECRET = newWebhookSecret();
const URL_ = 'http://127.0.0.1/api/webhooks/clerk';
const CTX = { ip: '127.0.0.1', userAgent: 'bench' };

interface Delivery {
  id: string;
  body: string;
}

interface Send extends Delivery {
  retry: boolean;
}

function burst(now: number): { deliveries: Delivery[]; sends: Send[] } {
  const deliveries: Delivery[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const id = `sess_bench${String(i).padStart(22, '0')}`;
    const session = (status: string, at: number) => ({
      object: 'session',
      id,
      user_id: `user_bench${String(i % USERS).padStart(22, '0')}`,
      client_id: `client_bench${String(i).padStart(20, '0')}`,
      status,
      created_at: now,
      updated_at: at,
      last_active_at: at,
      expire_at: now + 7 * 86_400_000,
      abandon_at: now + 30 * 86_400_000,
      actor: null,
      latest_activity: {
        object: 'session_activity',
        id: `sess_activity_${i}`,
        is_mobile: false,
        device_type: 'Macintosh',
        browser_name: 'Chrome',
        browser_version: '131.0.0.0',
        ip_address: `198.51.100.${1 + (i % 254)}`,
        city: 'Lisbon',
        country: 'PT',
      },
    });
    for (const [type, status, at] of [
      ['session.created', 'active', now],
      ['session.revoked', 'revoked', now + 1000],
    ] as const) {
      const body = JSON.stringify({
        data: session(status, at),
        object: 'event',
        type,
        timestamp: at,
        instance_id: 'ins_bench',
        event_attributes: { http_request: { client_ip: '198.51.100.1', user_agent: 'bench' } },
      });
      deliveries.push({ id: `msg_${type}_${i}`, body });
    }
  }
  // Retries of a fifth of them (Svix re-signs each attempt), then everything shuffled: revokes often come first.
  const sends: Send[] = [
    ...deliveries.map((d) => ({ ...d, retry: false })),
    ...deliveries.filter(() => Math.random() < RETRY_SHARE).map((d) => ({ ...d, retry: true })),
  ];
  for (let i = sends.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [sends[i], sends[j]] = [sends[j]!, sends[i]!];
  }
  return { deliveries, sends };
}

const CITIES = [
  ['Lisbon', 'PT'],
  ['Porto', 'PT'],
  ['Madrid', 'ES'],
  ['Paris', 'FR'],
] as const;

async function prefill(db: Db, now: number): Promise<void> {
  const index = sessionIndex(db);
  for (let u = 0; u < USERS; u++) {
    const rows = Array.from({ length: HISTORY }, (_, k) => {
      const at = now - (HISTORY - k) * 3_600_000;
      const [city, country] = CITIES[k % CITIES.length]!;
      return {
        sessionId: `sess_old${String(u * HISTORY + k).padStart(24, '0')}`,
        userId: `user_bench${String(u).padStart(22, '0')}`,
        clientId: null,
        status: k % 10 === 0 ? 'active' : 'ended',
        createdAt: at,
        updatedAt: at,
        lastActiveAt: at,
        expireAt: at + 7 * 86_400_000,
        ip: `198.51.100.${1 + (k % 254)}`,
        city,
        country,
        deviceType: 'Macintosh',
        browserName: 'Chrome',
        browserVersion: '131.0.0.0',
        isMobile: false,
        actor: null,
        userName: null,
        userEmail: null,
      };
    });
    await index.upsert(rows, { source: 'backfill', now });
  }
}

async function absorb(label: string, db: Db): Promise<string> {
  if (HISTORY > 0) await prefill(db, Date.now());
  const { deliveries, sends } = burst(Date.now());
  let next = 0;
  let failed = 0;
  let applied = 0;
  const now = Math.floor(Date.now() / 1000);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < sends.length) {
        const d = sends[next++]!;
        const res = await receiveClerkWebhook(
          new Request(URL_, {
            method: 'POST',
            // Svix's first retry comes 5 s after the attempt it repeats, signed afresh.
            headers: webhookHeaders(SECRET, d.id, d.body, d.retry ? now + 5 : now),
            body: d.body,
          }),
          { db, signingSecret: SECRET, ctx: CTX },
        );
        if (!res.ok) failed++;
        else if (!((await res.json()) as { duplicate: boolean }).duplicate) applied++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const recorded = Number(
    (
      await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await db
    .selectFrom('session_index')
    .select(['status'])
    .where('session_id', 'like', 'sess_bench%')
    .execute();
  const lost = deliveries.length - recorded;
  const wrong = SESSIONS - rows.filter((r) => r.status === 'revoked').length;
  return (
    `${label}${HISTORY > 0 ? ` (${USERS} users with ${HISTORY} older sessions each)` : ''}: ${sends.length} deliveries (${deliveries.length} events + ${sends.length - deliveries.length} retries, shuffled) ` +
    `in ${seconds.toFixed(2)} s = ${Math.round(sends.length / seconds)} deliveries/s at concurrency ${CONCURRENCY}; ` +
    `${lost} lost, ${applied - deliveries.length} applied twice, ${failed} refused, ` +
    `${wrong} sessions not in their final state`
  );
}

async function signInLatency(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-webhooks-'));
  const db = await createDb({ sqlitePath: path.join(dir, 'console.sqlite') });
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = new Request(URL_, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void receiveClerkWebhook(request, { db, signingSecret: SECRET, ctx: CTX }).then(async (r) =>
        res.writeHead(r.status).end(await r.text()),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/clerk`;
  const api = await startLocalClerk({
    port: 0,
    dataDir: path.join(dir, 'api'),
    quiet: true,
    rateLimit: 0,
    webhooks: { endpoints: [endpoint], secret: SECRET },
    liveTraffic: { auto: false },
  });
  const samples: number[] = [];
  try {
    const index = sessionIndex(db);
    for (let i = 0; i < SIGN_INS; i++) {
      const started = performance.now();
      const step = api.traffic!.step('sign_in');
      if (!step) continue;
      while (!(await index.get(step.sessionId))) await new Promise((r) => setTimeout(r, 2));
      samples.push(performance.now() - started);
    }
  } finally {
    await api.close();
    await new Promise((r) => receiver.close(r));
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const s = summarize(samples);
  return `sign-in in the embedded API → row in the index (sender poll 100 ms, SQLite): p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms over ${s.count} sign-ins`;
}

async function main() {
  // The city index loads once per process, before the clock starts (the console loads it at boot).
  await (await import('../lib/risk/geo-data')).getGeoIndex();
  // Signals are computed for every delivery, as in the console.
  watchSessionIndex();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-webhooks-'));
  try {
    const sqlite = await createDb({ sqlitePath: path.join(dir, 'console.sqlite') });
    console.log(await absorb('SQLite', sqlite));
    await sqlite.destroy();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const server = await startTestPostgres();
  if (server) {
    try {
      const pg = await createDb({ databaseUrl: await freshPostgresSchema(server.url) });
      console.log(await absorb('PostgreSQL', pg));
      await pg.destroy();
    } finally {
      await server.stop();
    }
  } else console.log('PostgreSQL: not available on this machine (no binaries, no TEST_DATABASE_URL)');
  console.log(await signInLatency());
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
