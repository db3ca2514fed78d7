// The audit stream on both engines: a receiver that is down, then flaky, ends with every event once, in order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { auditLog } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { openTestDb, tempSqlite, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { SESSION_REVOKED } from './caep';
import { cursorBefore, lastSeq } from './rows';
import { ssfJwks } from './ssf-key';
import { streamCursors } from './store';
import { streamTargets } from './targets';
import { streamWorker, type StreamWorker } from './worker';

const pg = postgresForThisFile();
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const admin = { staffId: 'staff_1', email: 'ada@example.com', role: 'admin' as const };
const ctx = { ip: '127.0.0.1', userAgent: 'test' };

interface Hit {
  headers: Record<string, string>;
  body: string;
  status: number;
}

async function receiver(answer: (hit: Omit<Hit, 'status'>, n: number) => number) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const status = answer({ headers, body }, hits.length);
      hits.push({ headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { hits, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function writeEvents(db: Db, n: number) {
  const audit = auditLog(db);
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      const intent = await audit.begin({
        actor: admin,
        action: 'session.revoke',
        target: { sessionId: `sess_${i}`, userId: 'user_1' },
        details: { reason: `reason ${i}` },
        ctx,
      });
      await intent.succeeded({ traceId: `trace_${i}` });
    } else {
      await audit.record({
        actor: admin,
        action: 'staff.manage',
        target: {},
        details: { i },
        ctx,
        outcome: 'succeeded',
      });
    }
  }
}

async function auditIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('id').orderBy('seq').execute()).map((r) => r.id);
}

describe.each(TEST_ENGINES)('audit stream on %s', (engine) => {
  let db: Db | null = null;
  const workers: StreamWorker[] = [];
  const servers: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const s of servers.splice(0)) await s.close();
    await db?.destroy();
    db = null;
  });

  async function open() {
    if (engine === 'postgres' && !pg.server) return null;
    db = await openTestDb(engine, pg.server);
    return db;
  }

  function worker(d: Db, url: string, owner?: string) {
    const [target] = streamTargets(d, {
      receivers: [{ name: 'siem', url, secret: SECRET }],
      ssf: null,
      timeoutMs: 2_000,
    });
    const w = streamWorker({
      db: d,
      targets: [target!],
      pollMs: 20,
      leaseMs: 10_000,
      owner,
      backoff: { baseMs: 10, maxMs: 80 },
    });
    workers.push(w);
    return { w, target: target! };
  }

  it('gives a receiver that was down every event once it is back, in order, once each after de-duplication', async () => {
    const d = await open();
    if (!d) return;
    let down = true;
    const firstSeen = new Set<string>();
    const r = await receiver(({ headers }, n) => {
      if (down) return 503;
      const id = headers['webhook-id']!;
      // Every third event is received but its answer is lost: the stream must send it again.
      if (!firstSeen.has(id)) {
        firstSeen.add(id);
        if (n % 3 === 0) return 500;
      }
      return 204;
    });
    servers.push(r);
    const { w, target } = worker(d, r.url);
    expect(await w.pass(target)).toBe('idle');
    await writeEvents(d, 9);
    w.start();
    await waitFor(async () => {
      const [s] = await streamCursors(d).list();
      return r.hits.length >= 3 && s?.lastError === 'HTTP 503' && s.attempts >= 2;
    }, 'retries against the dead receiver');
    const [waiting] = await streamCursors(d).list();
    expect(waiting!.delivered).toBe(0);

    down = false;
    const expected = await auditIds(d);
    expect(expected).toHaveLength(12);
    const verifier = new Webhook(SECRET);
    const accepted = () => {
      const seen: string[] = [];
      for (const hit of r.hits.filter((h) => h.status < 300)) {
        verifier.verify(hit.body, hit.headers);
        if (!seen.includes(hit.headers['webhook-id']!)) seen.push(hit.headers['webhook-id']!);
      }
      return seen;
    };
    await waitFor(() => accepted().length === expected.length, 'every event delivered');
    expect(accepted()).toEqual(expected);
    const delivered = r.hits.filter((h) => h.status !== 503).map((h) => h.headers['webhook-id']);
    expect(delivered.length).toBeGreaterThan(expected.length);
    const bodies = r.hits.filter((h) => h.status < 300).map((h) => JSON.parse(h.body));
    expect(bodies.map((b) => b.data.seq)).toEqual([...bodies.map((b) => b.data.seq)].sort((a, b) => a - b));
    expect(bodies[0]).toMatchObject({ type: 'audit.session.revoke', data: { kind: 'intent', actor: admin } });
    // The receiver answers before the cursor is saved: wait for the save, not just the delivery.
    await waitFor(async () => (await streamCursors(d).list())[0]?.delivered === 12, 'the cursor to catch up');
    const [done] = await streamCursors(d).list();
    expect(done).toMatchObject({ lastError: 'HTTP 500', attempts: 0, delivered: 12 });
    expect(done!.lastSuccessAt).not.toBeNull();
  });

  it('signs so that a tampered event, or one signed with another secret, fails the receiver check', async () => {
    const d = await open();
    if (!d) return;
    const r = await receiver(() => 200);
    servers.push(r);
    const { w, target } = worker(d, r.url);
    await w.pass(target);
    await writeEvents(d, 1);
    await w.pass(target);
    expect(r.hits).toHaveLength(2);
    const verifier = new Webhook(SECRET);
    const hit = r.hits[0]!;
    expect(verifier.verify(hit.body, hit.headers)).toMatchObject({ data: { outcome: 'pending' } });
    const tampered = hit.body.replace('"reason 0"', '"nothing to see"');
    expect(tampered).not.toBe(hit.body);
    expect(() => verifier.verify(tampered, hit.headers)).toThrow(WebhookVerificationError);
    expect(() =>
      verifier.verify(hit.body, { ...hit.headers, 'webhook-id': r.hits[1]!.headers['webhook-id']! }),
    ).toThrow(WebhookVerificationError);
    const other = new Webhook(`whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`);
    expect(() => other.verify(hit.body, hit.headers)).toThrow(WebhookVerificationError);
  });

  it('lets one instance deliver at a time, and a rewind replays the same events with the same ids', async () => {
    const d = await open();
    if (!d) return;
    const r = await receiver(() => 200);
    servers.push(r);
    const a = worker(d, r.url, 'instance-a');
    const b = worker(d, r.url, 'instance-b');
    await a.w.pass(a.target);
    await writeEvents(d, 30);
    a.w.start();
    b.w.start();
    const expected = await auditIds(d);
    await waitFor(() => r.hits.length >= expected.length, 'every event delivered');
    const ids = r.hits.map((h) => h.headers['webhook-id']);
    expect(ids).toEqual(expected);
    const [state] = await streamCursors(d).list();
    expect(['instance-a', 'instance-b']).toContain(state!.leaseOwner);

    const last = await lastSeq(d);
    await waitFor(async () => (await streamCursors(d).list())[0]?.cursor === last, 'the cursor to catch up');
    const from = await cursorBefore(d, new Date(0));
    expect(await streamCursors(d).rewind('siem', from)).toBe(last);
    await waitFor(() => r.hits.length >= 2 * expected.length, 'the replay');
    expect(r.hits.slice(expected.length).map((h) => h.headers['webhook-id'])).toEqual(expected);
    expect(r.hits.slice(expected.length).map((h) => h.body)).toEqual(
      r.hits.slice(0, expected.length).map((h) => h.body),
    );
  });

  it('sends a revoke as a CAEP session-revoked SET that verifies against the console JWKS', async () => {
    const d = await open();
    if (!d) return;
    const r = await receiver(() => 202);
    servers.push(r);
    const ssf = {
      receiverUrl: r.url,
      audience: 'https://receiver.example',
      issuer: 'https://console.example',
      authorization: 'Bearer receiver-token',
      signingKey: null,
      keyFile: `${tempSqlite().dir}/ssf-signing-key.json`,
    };
    const targets = streamTargets(d, { receivers: [], ssf, timeoutMs: 2_000 });
    const w = streamWorker({ db: d, targets, pollMs: 20, leaseMs: 10_000 });
    workers.push(w);
    await w.pass(targets[0]!);
    const audit = auditLog(d);
    await audit.record({
      actor: admin,
      action: 'token.create',
      target: { userId: 'user_9' },
      details: {},
      ctx,
      outcome: 'succeeded',
    });
    const failed = await audit.begin({
      actor: admin,
      action: 'session.revoke',
      target: { sessionId: 'sess_no', userId: 'user_9' },
      details: { reason: 'x' },
      ctx,
    });
    await failed.failed('not_found');
    const intent = await audit.begin({
      actor: admin,
      action: 'session.revoke',
      target: { sessionId: 'sess_42', userId: 'user_9' },
      details: { reason: 'Phone reported stolen' },
      ctx,
    });
    await intent.succeeded({ traceId: 't' });
    await w.pass(targets[0]!);
    expect(r.hits).toHaveLength(1);
    const hit = r.hits[0]!;
    expect(hit.headers['content-type']).toBe('application/secevent+jwt');
    expect(hit.headers.authorization).toBe('Bearer receiver-token');
    const jwks = createLocalJWKSet(await ssfJwks(ssf));
    const { payload, protectedHeader } = await jwtVerify(hit.body, jwks, {
      issuer: ssf.issuer,
      audience: ssf.audience,
      typ: 'secevent+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.kid).toBe((await ssfJwks(ssf)).keys[0]!.kid);
    const outcome = await d
      .selectFrom('audit_log')
      .select(['id', 'at'])
      .where('intent_id', '=', intent.id)
      .executeTakeFirstOrThrow();
    expect(payload).toMatchObject({
      jti: outcome.id,
      txn: intent.id,
      sub_id: {
        format: 'complex',
        session: { format: 'opaque', id: 'sess_42' },
        user: { format: 'opaque', id: 'user_9' },
      },
      events: {
        [SESSION_REVOKED]: {
          initiating_entity: 'admin',
          reason_admin: { en: 'Phone reported stolen' },
          event_timestamp: Math.floor(new Date(outcome.at).getTime() / 1000),
        },
      },
    });
    expect(payload.sub).toBeUndefined();
    const all = await audit.begin({
      actor: admin,
      action: 'account.sign_out_all',
      target: { userId: 'user_9' },
      details: { reason: 'Offboarded' },
      ctx,
    });
    await all.succeeded({});
    await w.pass(targets[0]!);
    expect(r.hits).toHaveLength(2);
    const { payload: whole } = await jwtVerify(r.hits[1]!.body, jwks, {
      issuer: ssf.issuer,
      audience: ssf.audience,
    });
    expect(whole).toMatchObject({
      sub_id: { format: 'complex', user: { format: 'opaque', id: 'user_9' } },
      events: { [SESSION_REVOKED]: { initiating_entity: 'admin', reason_admin: { en: 'Offboarded' } } },
    });
    expect((whole.sub_id as Record<string, unknown>).session).toBeUndefined();
    const [header, body, sig] = hit.body.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...payload, sub_id: { format: 'opaque', id: 'sess_other' } }),
    ).toString('base64url');
    expect(decodeProtectedHeader(hit.body).alg).toBe('ES256');
    await expect(jwtVerify(`${header}.${forged}.${sig}`, jwks)).rejects.toThrow();
    expect(body).toBeTruthy();
  });
});
