import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '@/lib/db';
import { engineOf } from '@/lib/db';
import {
  auditLog,
  AuditResolveError,
  AuditUnavailableError,
  registerConsoleInstance,
  type AuditActor,
  type AuditLogOptions,
} from '@/lib/audit';
import {
  openTestDb,
  removeTempSqlite,
  startTestPostgres,
  TEST_ENGINES,
  type TestPostgres,
} from '@/lib/testing/pg';

const ADA: AuditActor = { staffId: 'staff_ada', email: 'ada@example.com', role: 'support' };
const BOB: AuditActor = { staffId: 'staff_bob', email: 'bob@example.com', role: 'admin' };
const CTX = { ip: '203.0.113.5', userAgent: 'Mozilla/5.0' };
const T0 = Date.parse('2026-05-01T10:00:00.000Z');

let server: TestPostgres | null = null;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
  removeTempSqlite();
});

describe.each(TEST_ENGINES)('audit log on %s', (engine) => {
  let db: Db;
  let now: number;
  const instance = { id: 'console-a', startedAt: new Date(T0 - 3600_000) };
  const log = (opts: AuditLogOptions = {}) => auditLog(db, { now: () => new Date(now), instance, ...opts });
  const revoke = (sessionId: string, actor = ADA, extra: { userId?: string; reason?: string } = {}) =>
    log().begin({
      actor,
      action: 'session.revoke',
      target: { sessionId, userId: extra.userId ?? 'user_1' },
      details: { reason: extra.reason ?? 'asked by user' },
      ctx: CTX,
    });

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !server) ctx.skip();
    now = T0;
    db = await openTestDb(engine, server);
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  it('writes the intent before the action and links the outcome to it', async () => {
    const intent = await revoke('sess_1');
    let { rows } = await log().list({ limit: 10, offset: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: intent.id,
      outcome: 'pending',
      resolvedAt: null,
      action: 'session.revoke',
      actor: ADA,
      ctx: CTX,
    });
    now += 1500;
    await intent.succeeded({ traceId: 'trace_1', details: { status: 'revoked' } });
    ({ rows } = await log().list({ limit: 10, offset: 0 }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: intent.id,
      at: new Date(T0),
      resolvedAt: new Date(T0 + 1500),
      outcome: 'succeeded',
      traceId: 'trace_1',
      code: null,
      target: { sessionId: 'sess_1', userId: 'user_1', clientId: null },
      details: { reason: 'asked by user', status: 'revoked' },
      reconciledBy: null,
    });
    // Two rows in the table: the intent and its outcome.
    expect(await db.selectFrom('audit_log').select(['kind', 'intent_id']).orderBy('seq').execute()).toEqual([
      { kind: 'intent', intent_id: null },
      { kind: 'outcome', intent_id: intent.id },
    ]);
  });

  it('records failures with their code, and one-shot entries (denials, sign-ins)', async () => {
    const intent = await revoke('sess_1');
    await intent.failed('session_not_found', { traceId: 'trace_9' });
    now += 1000;
    await log().record({
      actor: { staffId: null, email: 'Mallory@Example.com', role: null },
      action: 'auth.sign_in',
      target: {},
      details: {},
      ctx: CTX,
      outcome: 'failed',
      code: 'invalid_credentials',
    });
    now += 1000;
    await log().record({
      actor: ADA,
      action: 'access.denied',
      target: {},
      details: { permission: 'tokens:create' },
      ctx: CTX,
      outcome: 'denied',
      code: 'forbidden',
    });
    const { rows, total } = await log().list({ limit: 10, offset: 0 });
    expect(total).toBe(3);
    expect(rows.map((r) => [r.action, r.outcome, r.code])).toEqual([
      ['access.denied', 'denied', 'forbidden'],
      ['auth.sign_in', 'failed', 'invalid_credentials'],
      ['session.revoke', 'failed', 'session_not_found'],
    ]);
    expect(rows[1]!.actor.email).toBe('mallory@example.com');
    expect(rows[1]!.resolvedAt).toEqual(rows[1]!.at);
    expect(rows[2]!.traceId).toBe('trace_9');
  });

  it('filters by actor, action, target, outcome and time, pages newest first and counts every match', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      now = T0 + i * 60_000;
      const intent = await revoke(`sess_${i}`, i % 2 ? BOB : ADA, { userId: `user_${i % 3}` });
      ids.push(intent.id);
      if (i !== 6) await (i === 3 ? intent.failed('rate_limited') : intent.succeeded());
    }
    now = T0 + 7 * 60_000;
    await log().record({
      actor: BOB,
      action: 'token.create',
      target: { sessionId: 'sess_2', clientId: 'client_9' },
      details: {},
      ctx: CTX,
      outcome: 'denied',
    });

    const all = await log().list({ limit: 3, offset: 0 });
    expect(all.total).toBe(8);
    expect(all.rows.map((r) => r.target.sessionId)).toEqual(['sess_2', 'sess_6', 'sess_5']);
    const page3 = await log().list({ limit: 3, offset: 6 });
    expect(page3.rows.map((r) => r.target.sessionId)).toEqual(['sess_1', 'sess_0']);
    expect(page3.total).toBe(8);

    expect((await log().list({ actor: 'BOB@example.com', limit: 50, offset: 0 })).total).toBe(4);
    expect((await log().list({ actor: 'staff_ada', limit: 50, offset: 0 })).total).toBe(4);
    expect(
      (await log().list({ action: 'token.create', limit: 50, offset: 0 })).rows.map((r) => r.outcome),
    ).toEqual(['denied']);
    expect((await log().list({ target: 'sess_2', limit: 50, offset: 0 })).total).toBe(2);
    expect(
      (await log().list({ target: 'user_0', limit: 50, offset: 0 })).rows.map((r) => r.target.sessionId),
    ).toEqual(['sess_6', 'sess_3', 'sess_0']);
    expect((await log().list({ target: 'client_9', limit: 50, offset: 0 })).total).toBe(1);
    expect((await log().list({ outcome: 'failed', limit: 50, offset: 0 })).rows.map((r) => r.id)).toEqual([
      ids[3],
    ]);
    expect((await log().list({ outcome: 'pending', limit: 50, offset: 0 })).rows.map((r) => r.id)).toEqual([
      ids[6],
    ]);
    expect((await log().list({ outcome: 'succeeded', limit: 50, offset: 0 })).total).toBe(5);
    const window = await log().list({
      from: new Date(T0 + 2 * 60_000),
      to: new Date(T0 + 4 * 60_000),
      limit: 50,
      offset: 0,
    });
    expect(window.rows.map((r) => r.target.sessionId)).toEqual(['sess_4', 'sess_3', 'sess_2']);
    expect((await log().list({ actor: 'nobody@example.com', limit: 50, offset: 0 })).rows).toEqual([]);
  });

  it('lists what touched a session, user or client', async () => {
    await revoke('sess_1', ADA, { userId: 'user_a' });
    now += 1000;
    await revoke('sess_2', ADA, { userId: 'user_b' });
    now += 1000;
    await log().record({
      actor: BOB,
      action: 'audit.reconcile',
      target: { userId: 'user_a' },
      details: { count: 3 },
      ctx: CTX,
      outcome: 'succeeded',
    });
    expect((await log().forTarget({ sessionId: 'sess_1' })).map((e) => e.target.sessionId)).toEqual([
      'sess_1',
    ]);
    expect((await log().forTarget({ userId: 'user_a' })).map((e) => e.action)).toEqual([
      'audit.reconcile',
      'session.revoke',
    ]);
    expect((await log().forTarget({ sessionId: 'sess_2', userId: 'user_a' })).length).toBe(3);
    expect(await log().forTarget({})).toEqual([]);
    expect((await log().forTarget({ userId: 'user_a' }, 1)).length).toBe(1);
  });

  it('shows an intent without outcome as pending during the grace period, then unknown', async () => {
    const intent = await revoke('sess_1');
    now += 119_000;
    expect((await log().list({ limit: 5, offset: 0 })).rows[0]!.outcome).toBe('pending');
    now += 2_000;
    expect((await log().list({ limit: 5, offset: 0 })).rows[0]!.outcome).toBe('unknown');
    expect((await log().list({ outcome: 'unknown', limit: 5, offset: 0 })).rows.map((r) => r.id)).toEqual([
      intent.id,
    ]);
    expect((await log().unresolved()).map((r) => [r.id, r.outcome])).toEqual([[intent.id, 'unknown']]);
  });

  it('shows intents cut off by a crash as unknown as soon as their instance restarts', async () => {
    const crashed = await revoke('sess_1');
    const otherInstance = await log({
      instance: { id: 'console-b', startedAt: new Date(T0 - 60_000) },
    }).begin({
      actor: BOB,
      action: 'token.create',
      target: { sessionId: 'sess_9' },
      details: {},
      ctx: CTX,
    });
    now += 10_000;
    // console-a comes back: its process started after the intent was written, so nobody will ever finish it.
    const restarted = { id: 'console-a', startedAt: new Date(now - 1000) };
    await registerConsoleInstance(db, restarted);
    const fresh = await log({ instance: restarted }).begin({
      actor: ADA,
      action: 'session.revoke',
      target: { sessionId: 'sess_2' },
      details: {},
      ctx: CTX,
    });
    const byId = new Map((await log({ instance: restarted }).unresolved()).map((e) => [e.id, e.outcome]));
    expect(byId.get(crashed.id)).toBe('unknown');
    expect(byId.get(fresh.id)).toBe('pending');
    expect(byId.get(otherInstance.id)).toBe('pending'); // console-b is still running and within the grace period
    // An older process registering late does not move console-a's start back.
    await registerConsoleInstance(db, instance);
    expect((await log().list({ target: 'sess_1', limit: 5, offset: 0 })).rows[0]!.outcome).toBe('unknown');
  });

  it('reconciles an unresolved intent once, naming who did it, and keeps a late real outcome as its own entry', async () => {
    const intent = await revoke('sess_1');
    now += 5 * 60_000;
    await log().resolve(intent.id, 'succeeded', {
      reconciledBy: BOB,
      details: { reason: 'checked in Clerk: revoked' },
    });
    const { rows } = await log().list({ limit: 10, offset: 0 });
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['audit.reconcile', 'succeeded'],
      ['session.revoke', 'succeeded'],
    ]);
    expect(rows[1]!.reconciledBy).toEqual(BOB);
    expect(rows[1]!.actor).toEqual(ADA);
    expect(rows[0]!.actor).toEqual(BOB);
    expect(rows[0]!.details).toMatchObject({ intentId: intent.id, resolvedAs: 'succeeded' });
    expect(await log().unresolved()).toEqual([]);

    await expect(log().resolve(intent.id, 'failed')).rejects.toEqual(
      new AuditResolveError('already_resolved'),
    );
    await expect(log().resolve('no-such-intent', 'failed')).rejects.toEqual(
      new AuditResolveError('not_found'),
    );
    await expect(log().resolve(rows[0]!.id, 'failed')).rejects.toEqual(new AuditResolveError('not_found'));

    // The original request finally hears back: its answer is appended, the reconciled outcome stays.
    now += 1000;
    await intent.failed('session_not_found');
    const after = await log().list({ limit: 10, offset: 0 });
    expect(after.total).toBe(3);
    expect(after.rows[0]).toMatchObject({
      action: 'session.revoke',
      outcome: 'failed',
      code: 'session_not_found',
      details: { lateOutcomeOf: intent.id },
    });
    expect(after.rows[2]).toMatchObject({ id: intent.id, outcome: 'succeeded' });
  });

  it('resolves as unknown without a reconciler, and an intent handle can say unknown itself', async () => {
    const a = await revoke('sess_1');
    const b = await revoke('sess_2');
    await log().resolve(a.id, 'unknown', { code: 'timeout' });
    await b.unknown({ traceId: 'trace_x' });
    const { rows } = await log().list({ limit: 10, offset: 0 });
    expect(rows.map((r) => [r.outcome, r.code, r.traceId])).toEqual([
      ['unknown', null, 'trace_x'],
      ['unknown', 'timeout', null],
    ]);
    expect(rows.every((r) => r.resolvedAt !== null)).toBe(true);
  });

  it('is append-only: the database itself refuses UPDATE and DELETE', async () => {
    const intent = await revoke('sess_1');
    await intent.succeeded();
    await expect(sql`update audit_log set outcome = 'failed'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(
      sql`update audit_log set actor_email = 'someone-else@example.com' where id = ${intent.id}`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = ${intent.id}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
    if (engineOf(db) === 'postgres') {
      await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    } else {
      // REPLACE would delete the clashing row without firing DELETE triggers: refused on insert instead.
      await expect(
        sql`insert or replace into audit_log (id, kind, at, action, outcome, actor_email) values (${intent.id}, 'event', '2000-01-01T00:00:00.000Z', 'auth.sign_in', 'succeeded', 'x@example.com')`.execute(
          db,
        ),
      ).rejects.toThrow(/append-only/);
    }
    // A second outcome for the same intent is refused by the unique index.
    await expect(
      db
        .insertInto('audit_log')
        .values({
          id: 'dup',
          kind: 'outcome',
          intent_id: intent.id,
          at: new Date(now).toISOString(),
          action: 'session.revoke',
          outcome: 'failed',
          actor_email: 'x@example.com',
          details: '{}',
          reconciled: 0,
        })
        .execute(),
    ).rejects.toThrow();
    const { rows } = await log().list({ limit: 10, offset: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'succeeded', actor: ADA });
    expect(await db.selectFrom('audit_log').select('id').execute()).toHaveLength(2);
  });

  it('bounds and cleans what it stores, and never stores a token', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const intent = await log().begin({
      actor: { ...ADA, email: 'Ada@Example.com\u0000' },
      action: 'token.create',
      target: { sessionId: `sess_${'x'.repeat(500)}` },
      details: {
        reason: `${'r'.repeat(600)}`,
        template: 'default',
        token: jwt,
        note: `pasted ${jwt} by mistake`,
        accessToken: 'abc',
        tokenSha256: 'NOT-A-HASH',
        nested: { clientSecret: 'sk_live_abcdefghijklmnop', ok: 1 },
      },
      ctx: { ip: '203.0.113.5', userAgent: `UA\u0000${'u'.repeat(400)}` },
    });
    await intent.succeeded({ details: { tokenJti: 'jti_123', tokenSha256: 'A'.repeat(64) } });
    const [entry] = (await log().list({ limit: 1, offset: 0 })).rows;
    expect(entry!.details.reason).toHaveLength(500);
    expect(entry!.ctx.userAgent).toHaveLength(300);
    expect(entry!.ctx.userAgent).not.toContain('\u0000');
    expect(entry!.actor.email).toBe('ada@example.com');
    expect(entry!.target.sessionId!.length).toBeLessThanOrEqual(128);
    expect(entry!.details).toMatchObject({
      token: '[redacted]',
      accessToken: '[redacted]',
      note: 'pasted [redacted] by mistake',
      tokenJti: 'jti_123',
      tokenSha256: 'a'.repeat(64),
      nested: { clientSecret: '[redacted]', ok: 1 },
    });
    const raw = JSON.stringify(await db.selectFrom('audit_log').selectAll().execute());
    expect(raw).not.toContain(jwt);
    expect(raw).not.toContain('sk_live_');
    expect(raw).not.toContain('NOT-A-HASH');
  });

  it('refuses to start an action when the log cannot be written', async () => {
    await db.destroy();
    await expect(revoke('sess_1')).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(
      log().record({
        actor: ADA,
        action: 'auth.sign_out',
        target: {},
        details: {},
        ctx: CTX,
        outcome: 'succeeded',
      }),
    ).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(
      log().begin({ actor: ADA, action: 'session.nuke' as never, target: {}, details: {}, ctx: CTX }),
    ).rejects.toBeInstanceOf(AuditUnavailableError);
  });

  it('does not turn a done action into an error when only its outcome cannot be written', async () => {
    const intent = await revoke('sess_1');
    await db.destroy();
    await expect(intent.succeeded()).resolves.toBeUndefined();
    await expect(log().resolve(intent.id, 'failed')).rejects.toBeInstanceOf(AuditUnavailableError);
  });
});
