// Reconciliation against a real (SQLite) audit log, with Clerk's answer injected: each branch is the row an
// admin would see afterwards in /audit.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db';
import { auditLog, type AuditActor, type AuditLogOptions } from '@/lib/audit';
import { reconcileIntent, ReconcileError, RECONCILE_NOTES, type ReconcileDeps } from '@/lib/audit/reconcile';
import { openTestDb, removeTempSqlite } from '@/lib/testing/pg';

const SUPPORT: AuditActor = { staffId: 'staff_sup', email: 'support@example.com', role: 'support' };
const ADMIN: AuditActor = { staffId: 'staff_adm', email: 'admin@example.com', role: 'admin' };
const CTX = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 test' };
const T0 = Date.parse('2026-05-01T10:00:00.000Z');

class NotFound extends Error {}

let db: Db;
let now: number;
// The first process wrote the intents; the second (started after a crash) reconciles them.
const crashed = { id: 'console-a', startedAt: new Date(T0 - 3600_000) };
const restarted = { id: 'console-a', startedAt: new Date(T0 + 60_000) };
const log = (opts: AuditLogOptions = {}) =>
  auditLog(db, { now: () => new Date(now), instance: crashed, ...opts });

async function intent(action: 'session.revoke' | 'token.create', sessionId: string | null = 'sess_1') {
  return log().begin({
    actor: SUPPORT,
    action,
    target: { sessionId, userId: 'user_1' },
    details: { reason: 'ticket 42' },
    ctx: CTX,
  });
}

/** A session as Clerk reports it: a status, and when it last changed (by default just after the intent, T0). */
type Found = string | { status: string; updatedAt: number };

function deps(sessions: Record<string, Found | 'missing' | Error>): ReconcileDeps & {
  getSession: ReturnType<typeof vi.fn>;
} {
  const getSession = vi.fn(async (id: string) => {
    const s = sessions[id];
    if (s === undefined || s === 'missing') throw new NotFound(id);
    if (s instanceof Error) throw s;
    return typeof s === 'string' ? { status: s, updatedAt: T0 + 800 } : s;
  });
  return {
    audit: log({ instance: restarted }),
    getSession,
    isNotFound: (e) => e instanceof NotFound,
  };
}

async function row(id: string) {
  const { rows } = await log({ instance: restarted }).list({ limit: 100, offset: 0 });
  return rows.find((r) => r.id === id);
}

async function reconcileEvents() {
  return (await log({ instance: restarted }).list({ action: 'audit.reconcile', limit: 100, offset: 0 })).rows;
}

beforeEach(async () => {
  now = T0;
  db = await openTestDb('sqlite', null);
});
afterEach(async () => {
  await db.destroy();
});
afterAll(() => removeTempSqlite());

describe('reconciling an interrupted session.revoke', () => {
  it('resolves "succeeded" when Clerk reports the session revoked, naming the admin, and audits it', async () => {
    const i = await intent('session.revoke', 'sess_gone');
    now = T0 + 120_000; // the console restarted in between: the intent reads unknown
    expect((await row(i.id))?.outcome).toBe('unknown');

    const d = deps({ sess_gone: 'revoked' });
    const r = await reconcileIntent(d, { intentId: i.id, by: ADMIN, ctx: CTX });

    expect(d.getSession).toHaveBeenCalledWith('sess_gone');
    expect(r).toMatchObject({ outcome: 'succeeded', code: null, sessionStatus: 'revoked' });
    expect(await row(i.id)).toMatchObject({
      outcome: 'succeeded',
      actor: SUPPORT, // who acted stays who acted
      reconciledBy: ADMIN,
      details: {
        reason: 'ticket 42',
        status: 'revoked',
        note: RECONCILE_NOTES.revoked,
        credited: true,
        sessionUpdatedAt: new Date(T0 + 800).toISOString(),
      },
    });
    const events = await reconcileEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: ADMIN,
      outcome: 'succeeded',
      target: { sessionId: 'sess_gone', userId: 'user_1' },
      details: { intentId: i.id, intentAction: 'session.revoke', resolvedAs: 'succeeded' },
      ctx: CTX,
    });
  });

  it('does not credit a revoke that happened before the intent, or long after it (someone else did it)', async () => {
    const early = await intent('session.revoke', 'sess_early');
    const late = await intent('session.revoke', 'sess_late');
    now = T0 + 3_600_000;
    const d = deps({
      sess_early: { status: 'revoked', updatedAt: T0 - 60_000 },
      sess_late: { status: 'revoked', updatedAt: T0 + 30 * 60_000 },
    });
    expect(await reconcileIntent(d, { intentId: early.id, by: ADMIN })).toMatchObject({
      outcome: 'failed',
      code: 'revoked_before',
    });
    expect(await reconcileIntent(d, { intentId: late.id, by: ADMIN })).toMatchObject({
      outcome: 'failed',
      code: 'revoked_by_other',
    });
    expect(await row(early.id)).toMatchObject({
      details: {
        status: 'revoked',
        credited: false,
        sessionUpdatedAt: new Date(T0 - 60_000).toISOString(),
        note: RECONCILE_NOTES.revokedBefore,
      },
    });
    expect(await row(late.id)).toMatchObject({
      details: { credited: false, note: RECONCILE_NOTES.revokedLater },
    });
  });

  it('resolves "failed / not_applied" when the session is still active', async () => {
    const i = await intent('session.revoke', 'sess_live');
    now = T0 + 120_000;
    const r = await reconcileIntent(deps({ sess_live: 'active' }), { intentId: i.id, by: ADMIN });
    expect(r).toMatchObject({ outcome: 'failed', code: 'not_applied', sessionStatus: 'active' });
    expect(await row(i.id)).toMatchObject({
      outcome: 'failed',
      code: 'not_applied',
      reconciledBy: ADMIN,
      details: { note: RECONCILE_NOTES.active },
    });
  });

  it('does not credit the console with a session that ended some other way', async () => {
    const i = await intent('session.revoke', 'sess_ended');
    now = T0 + 120_000;
    const r = await reconcileIntent(deps({ sess_ended: 'ended' }), { intentId: i.id, by: ADMIN });
    expect(r).toMatchObject({ outcome: 'failed', code: 'not_applied', sessionStatus: 'ended' });
  });

  it('resolves "failed / not_found" when Clerk has no such session', async () => {
    const i = await intent('session.revoke', 'sess_nope');
    now = T0 + 120_000;
    const r = await reconcileIntent(deps({ sess_nope: 'missing' }), { intentId: i.id, by: ADMIN });
    expect(r).toMatchObject({ outcome: 'failed', code: 'not_found', sessionStatus: null });
    expect((await row(i.id))?.code).toBe('not_found');
  });

  it('writes nothing when Clerk cannot be asked: the row stays unknown for a later try', async () => {
    const i = await intent('session.revoke', 'sess_x');
    now = T0 + 120_000;
    const down = new Error('503');
    await expect(
      reconcileIntent(deps({ sess_x: down }), { intentId: i.id, by: ADMIN }),
    ).rejects.toMatchObject({
      kind: 'upstream',
      cause: down,
    });
    expect((await row(i.id))?.outcome).toBe('unknown');
    expect(await reconcileEvents()).toHaveLength(0);
    // …and succeeds once Clerk answers.
    await reconcileIntent(deps({ sess_x: 'revoked' }), { intentId: i.id, by: ADMIN });
    expect((await row(i.id))?.outcome).toBe('succeeded');
  });
});

describe('what cannot be checked or must not be touched', () => {
  it('closes an interrupted token.create as "unknown" on purpose, with a note, without asking Clerk', async () => {
    const i = await intent('token.create');
    now = T0 + 120_000;
    const d = deps({});
    const r = await reconcileIntent(d, { intentId: i.id, by: ADMIN });
    expect(d.getSession).not.toHaveBeenCalled();
    expect(r).toMatchObject({ outcome: 'unknown', note: RECONCILE_NOTES.token });
    expect(await row(i.id)).toMatchObject({
      outcome: 'unknown',
      reconciledBy: ADMIN,
      details: { note: RECONCILE_NOTES.token },
    });
    expect((await log({ instance: restarted }).unresolved()).map((e) => e.id)).not.toContain(i.id);
    expect(await reconcileEvents()).toHaveLength(1);
  });

  it('refuses an intent that is still pending (it may be in flight)', async () => {
    const i = await intent('session.revoke');
    now = T0 + 5_000; // same instance, inside the grace period
    const d = { ...deps({ sess_1: 'active' }), audit: log() };
    await expect(reconcileIntent(d, { intentId: i.id, by: ADMIN })).rejects.toMatchObject({
      kind: 'still_pending',
    });
    expect(d.getSession).not.toHaveBeenCalled();
    const { rows } = await log().list({ limit: 10, offset: 0 });
    expect(rows.find((r) => r.id === i.id)?.outcome).toBe('pending');
  });

  it('refuses an entry that already has an outcome, and a second reconciliation', async () => {
    const done = await intent('session.revoke', 'sess_done');
    await done.succeeded();
    const open = await intent('session.revoke', 'sess_open');
    now = T0 + 120_000;
    const d = deps({ sess_done: 'active', sess_open: 'revoked' });
    await expect(reconcileIntent(d, { intentId: done.id, by: ADMIN })).rejects.toBeInstanceOf(ReconcileError);
    expect((await row(done.id))?.outcome).toBe('succeeded');

    await reconcileIntent(d, { intentId: open.id, by: ADMIN });
    await expect(reconcileIntent(d, { intentId: open.id, by: ADMIN })).rejects.toMatchObject({
      kind: 'not_open',
    });
    expect(await reconcileEvents()).toHaveLength(1);
  });

  it('refuses an id that is not in the log', async () => {
    await expect(
      reconcileIntent(deps({}), { intentId: '00000000-0000-4000-8000-000000000000', by: ADMIN }),
    ).rejects.toMatchObject({ kind: 'not_open' });
  });

  it('reports a race lost to another admin as "already resolved"', async () => {
    const i = await intent('session.revoke', 'sess_race');
    now = T0 + 120_000;
    const d = deps({ sess_race: 'revoked' });
    const audit = d.audit;
    // The other admin's outcome lands between our read and our write.
    d.audit = {
      unresolved: () => audit.unresolved(),
      resolve: async (...args) => {
        await audit.resolve(i.id, 'failed', { code: 'not_applied', reconciledBy: SUPPORT });
        return audit.resolve(...args);
      },
    };
    await expect(reconcileIntent(d, { intentId: i.id, by: ADMIN })).rejects.toMatchObject({
      kind: 'already_resolved',
    });
    expect(await row(i.id)).toMatchObject({ outcome: 'failed', reconciledBy: SUPPORT });
  });
});
