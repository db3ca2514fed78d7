// The webhook receiver as Clerk (Svix) and an attacker reach it: signatures, timestamps, replays, order, size.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { newWebhookSecret, webhookHeaders } from '@/lib/local-clerk/webhook-sign';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { MAX_WEBHOOK_BYTES, receiveClerkWebhook } from './receiver';
import { sessionIndex } from './store';

const pg = postgresForThisFile();
const SECRET = newWebhookSecret();
const URL_ = 'http://127.0.0.1/api/webhooks/clerk';
const NOW = Date.now();

const sessionData = (p: Record<string, unknown> = {}) => ({
  object: 'session',
  id: 'sess_2abcdefghijklmnopqrstuvwxyz',
  user_id: 'user_2abcdefghijklmnopqrstuvwxyz',
  client_id: 'client_2abcdefghijklmnopqrstuvwxy',
  status: 'active',
  created_at: NOW - 1000,
  updated_at: NOW - 1000,
  last_active_at: NOW - 1000,
  expire_at: NOW + 7 * 86_400_000,
  abandon_at: NOW + 30 * 86_400_000,
  actor: null,
  latest_activity: {
    object: 'session_activity',
    id: 'sess_activity_1',
    is_mobile: true,
    device_type: 'iPhone',
    browser_name: 'Safari',
    browser_version: '18.1',
    ip_address: '198.51.100.23',
    city: 'Porto',
    country: 'PT',
  },
  user: {
    object: 'user',
    id: 'user_2abcdefghijklmnopqrstuvwxyz',
    first_name: 'Tomás',
    last_name: 'Ferreira',
    primary_email_address_id: 'idn_1',
    email_addresses: [{ id: 'idn_1', email_address: 'tomas.ferreira@example.com' }],
    updated_at: NOW - 5000,
  },
  ...p,
});

const event = (type: string, data: unknown) =>
  JSON.stringify({
    data,
    object: 'event',
    type,
    timestamp: NOW,
    instance_id: 'ins_1',
    event_attributes: { http_request: { client_ip: '198.51.100.23', user_agent: 'Mozilla/5.0' } },
  });

function delivery(
  body: string,
  o: { id?: string; secret?: string; at?: number; headers?: Record<string, string> } = {},
) {
  const headers = webhookHeaders(
    o.secret ?? SECRET,
    o.id ?? 'msg_1',
    body,
    o.at ?? Math.floor(Date.now() / 1000),
  );
  return new Request(URL_, { method: 'POST', headers: { ...headers, ...o.headers }, body });
}

describe.each(TEST_ENGINES)('the Clerk webhook receiver on %s', (engine) => {
  let db: Db;
  const receive = (req: Request, secret: string | null = SECRET) =>
    receiveClerkWebhook(req, {
      db,
      signingSecret: secret,
      ctx: { ip: '203.0.113.50', userAgent: 'attacker' },
    });
  const denials = async () =>
    (
      await db
        .selectFrom('audit_log')
        .select(['action', 'code', 'details', 'ip'])
        .where('outcome', '=', 'denied')
        .execute()
    ).map((r) => ({ ...r, details: JSON.parse(r.details) as { where?: string } }));

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    db = await openTestDb(engine, pg.server);
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  it('indexes a signed session.created with its place, device and user snapshot, not cacheable', async () => {
    const res = await receive(delivery(event('session.created', sessionData())));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await sessionIndex(db).get('sess_2abcdefghijklmnopqrstuvwxyz')).toMatchObject({
      status: 'active',
      ip: '198.51.100.23',
      city: 'Porto',
      country: 'PT',
      deviceType: 'iPhone',
      isMobile: true,
      userName: 'Tomás Ferreira',
      userEmail: 'tomas.ferreira@example.com',
      source: 'webhook',
    });
    const state = await sessionIndex(db).state();
    expect(state.lastDeliveryAt).not.toBeNull();
    expect(state.lastLagMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses a forged signature, a tampered body, a stale timestamp and missing headers, each audited as a denial', async () => {
    const body = event('session.created', sessionData());
    const forged = await receive(delivery(body, { secret: newWebhookSecret(), id: 'msg_forged' }));
    const signed = delivery(body, { id: 'msg_tampered' });
    const tampered = await receive(
      new Request(URL_, { method: 'POST', headers: signed.headers, body: body.replace('Porto', 'Paris') }),
    );
    const stale = await receive(
      delivery(body, { id: 'msg_stale', at: Math.floor(Date.now() / 1000) - 6 * 60 }),
    );
    const bare = await receive(new Request(URL_, { method: 'POST', body }));
    expect([forged.status, tampered.status, stale.status, bare.status]).toEqual([400, 400, 400, 400]);
    expect(await stale.json()).toEqual({ error: 'The webhook timestamp is outside the tolerance.' });
    expect(await sessionIndex(db).get('sess_2abcdefghijklmnopqrstuvwxyz')).toBeNull();
    const rows = await denials();
    expect(rows.every((r) => r.action === 'access.denied' && r.code === 'unauthenticated')).toBe(true);
    // Folded: one row for this source and minute, whatever the number of refusals.
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ip).toBe('203.0.113.50');
    const parts = await db
      .selectFrom('audit_denial_parts')
      .select(['part', 'hits'])
      .orderBy('part')
      .execute();
    expect(parts.map((p) => [p.part, Number(p.hits)])).toEqual([
      ['POST /api/webhooks/clerk: bad_signature', 2],
      ['POST /api/webhooks/clerk: missing_headers', 1],
      ['POST /api/webhooks/clerk: stale', 1],
    ]);
  });

  it('refuses a replayed copy, but takes a re-signed retry of the same delivery without applying it twice', async () => {
    const body = event('session.created', sessionData());
    const first = delivery(body, { id: 'msg_once', at: Math.floor(Date.now() / 1000) - 10 });
    const copy = new Request(URL_, { method: 'POST', headers: first.headers, body });
    expect((await receive(first)).status).toBe(200);
    const replay = await receive(copy);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: 'This webhook delivery was already received.' });
    const retry = await receive(delivery(body, { id: 'msg_once' }));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ received: true, duplicate: true });
    expect((await denials()).length).toBe(1);
  });

  it('keeps the newest state when a revoke arrives before the creation', async () => {
    const revoked = sessionData({ status: 'revoked', updated_at: NOW });
    expect((await receive(delivery(event('session.revoked', revoked), { id: 'msg_revoke' }))).status).toBe(
      200,
    );
    expect(
      (await receive(delivery(event('session.created', sessionData()), { id: 'msg_create' }))).status,
    ).toBe(200);
    expect(await sessionIndex(db).get('sess_2abcdefghijklmnopqrstuvwxyz')).toMatchObject({
      status: 'revoked',
      updatedAt: NOW,
      endedAt: NOW,
    });
  });

  it('keeps a deleted user’s sessions, marked, and their last known name', async () => {
    await receive(delivery(event('session.created', sessionData()), { id: 'msg_a' }));
    const deleted = { object: 'user', id: 'user_2abcdefghijklmnopqrstuvwxyz', deleted: true };
    expect((await receive(delivery(event('user.deleted', deleted), { id: 'msg_b' }))).status).toBe(200);
    expect(await sessionIndex(db).get('sess_2abcdefghijklmnopqrstuvwxyz')).toMatchObject({
      userDeleted: true,
      userName: 'Tomás Ferreira',
    });
  });

  it('answers 413 past the size limit, declared or counted, and 404 with no secret configured', async () => {
    const big = 'x'.repeat(MAX_WEBHOOK_BYTES + 1);
    const declared = await receive(delivery(big, { id: 'msg_big' }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode('y'.repeat(MAX_WEBHOOK_BYTES / 4)));
        c.close();
      },
    });
    const chunked = await receive(
      new Request(URL_, {
        method: 'POST',
        headers: webhookHeaders(SECRET, 'msg_c', ''),
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(chunked.status).toBe(413);
    expect((await receive(delivery(event('session.created', sessionData())), null)).status).toBe(404);
  });
});
