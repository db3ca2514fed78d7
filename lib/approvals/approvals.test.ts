// Issue 23 at the store, on both engines: the one conditional write that decides a request (never the requester,
// never after expiry, one winner among racing approvers, cancels and the expiry), and the thresholds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { approvalActionsOf, approvalFor, type ApprovalRules } from '@/lib/jobs/policy';
import { approvalStore, type NewApproval } from './store';

const pg = postgresForThisFile();

const RULES: ApprovalRules = {
  enabled: true,
  minUsers: 10,
  minSessions: 500,
  actions: ['ban', 'mfa_reset'],
  ttlHours: 24,
};

describe('approvalFor: the deployer thresholds', () => {
  const signOut = approvalActionsOf({});
  it('10 users go ahead, 11 need a second admin', () => {
    expect(approvalFor(RULES, { users: 10, sessions: 40, actions: signOut }).approval).toBe('not_required');
    expect(approvalFor(RULES, { users: 11, sessions: 40, actions: signOut })).toEqual({
      approval: 'required',
      why: ['more than 10 users'],
    });
  });
  it('500 sessions go ahead, 501 need one; an uncounted list is judged by its users', () => {
    expect(approvalFor(RULES, { users: 1, sessions: 500, actions: signOut }).approval).toBe('not_required');
    expect(approvalFor(RULES, { users: 1, sessions: 501, actions: signOut }).why).toEqual([
      'more than 500 sessions',
    ]);
    expect(approvalFor(RULES, { users: 300, sessions: null, actions: signOut }).approval).toBe('required');
  });
  it('any ban or MFA reset, in an incident job or a secure_account step, needs one', () => {
    expect(
      approvalFor(RULES, { users: 1, sessions: null, actions: approvalActionsOf({ action: 'ban' }) }).why,
    ).toEqual(['a ban always needs one']);
    expect(
      approvalFor(RULES, {
        users: 1,
        sessions: 2,
        actions: approvalActionsOf({ steps: ['lock', 'reset_mfa'] }),
      }).approval,
    ).toBe('required');
    expect(
      approvalFor(RULES, {
        users: 1,
        sessions: 2,
        actions: approvalActionsOf({ steps: ['lock', 'sign_out_all'] }),
      }).approval,
    ).toBe('not_required');
  });
  it('APPROVALS=off lets one admin act alone', () => {
    expect(
      approvalFor({ ...RULES, enabled: false }, { users: 999, sessions: 9999, actions: ['ban'] }).approval,
    ).toBe('not_required');
  });
});

describe.each(TEST_ENGINES)('approval requests on %s', (engine) => {
  let db: Db;
  let clock = Date.now();
  const store = () => approvalStore(db, { now: () => new Date(clock) });
  const requester = { staffId: 'staff-requester', email: 'req@console.test', role: 'admin' as const };
  const second = { staffId: 'staff-second', email: 'second@console.test', role: 'admin' as const };
  const third = { staffId: 'staff-third', email: 'third@console.test', role: 'admin' as const };
  const request = (over: Partial<NewApproval> = {}): NewApproval => ({
    requestKey: crypto.randomUUID(),
    mode: 'request',
    requester,
    reason: 'incident 23: credential stuffing',
    reasonCode: 'suspected_compromise',
    ticket: 'INC-23',
    summary: {
      kind: 'users',
      users: 2,
      sessions: null,
      action: 'ban',
      steps: [],
      why: ['a ban'],
      userIds: [],
    },
    job: {
      kind: 'users',
      scope: { userIds: ['user_a', 'user_b'] },
      reason: 'incident 23: credential stuffing',
      permission: 'account:ban jobs:incident',
      sessions: [],
      expand: [],
      action: 'ban',
      steps: ['user_a', 'user_b'].map((u) => ({ target: u, userId: u, step: 'ban' })),
    },
    ttlHours: 24,
    ...over,
  });

  beforeAll(async () => {
    if (engine === 'postgres' && !pg.server) return;
    db = await openTestDb(engine, pg.server);
  });
  afterAll(async () => {
    await db?.destroy();
  });
  const maybe = (name: string, fn: () => Promise<void>) =>
    it(name, async (ctx) => {
      if (!db) return ctx.skip();
      clock = Date.now();
      await fn();
    });

  maybe(
    'keeps the job exactly as previewed, with reason, code and ticket; one row per request key',
    async () => {
      const r = request();
      const { id, created } = await store().create(r);
      expect(created).toBe(true);
      expect(await store().create(r)).toEqual({ id, created: false });
      expect(await store().jobOf(id)).toEqual(r.job);
      expect(await store().get(id)).toMatchObject({
        state: 'waiting',
        reasonCode: 'suspected_compromise',
        ticket: 'INC-23',
        requester: { staffId: requester.staffId },
        expiresAt: clock + 24 * 3_600_000,
      });
    },
  );

  maybe('the requester cannot approve or decline their own request; another admin can', async () => {
    const { id } = await store().create(request());
    expect(await store().approve(id, requester)).toBe('own_request');
    expect(await store().decline(id, requester, 'no')).toBe('own_request');
    expect((await store().get(id))?.state).toBe('waiting');
    expect(await store().approve(id, second)).toBe(true);
    expect(await store().get(id)).toMatchObject({
      state: 'approved',
      decidedBy: { staffId: second.staffId },
    });
    expect(await store().executed(id, 'job-1')).toBe(true);
    expect(await store().byJob('job-1')).toMatchObject({ id, state: 'executed' });
  });

  maybe('two approvers at once: exactly one wins', async () => {
    const { id } = await store().create(request());
    const results = await Promise.all([store().approve(id, second), store().approve(id, third)]);
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(results.filter((r) => r === 'decided')).toHaveLength(1);
  });

  maybe('an approval racing the cancel: one of them wins, never both', async () => {
    const { id } = await store().create(request());
    const [approved, cancelled] = await Promise.all([
      store().approve(id, second),
      store().cancel(id, requester),
    ]);
    expect([approved, cancelled].filter((r) => r === true)).toHaveLength(1);
    expect(['approved', 'cancelled']).toContain((await store().get(id))?.state);
  });

  maybe('an expired request cannot be approved; the expiry is marked once', async () => {
    const { id } = await store().create(request({ ttlHours: 1 }));
    clock += 3_600_000 + 1;
    expect(await store().approve(id, second)).toBe('expired');
    const [a, b] = await Promise.all([store().expireDue(), store().expireDue()]);
    expect([...a, ...b].filter((r) => r.id === id)).toHaveLength(1);
    expect((await store().get(id))?.state).toBe('expired');
    expect(await store().approve(id, second)).toBe('decided');
  });

  maybe('decline needs another admin and records the reason; cancel is the requester’s only', async () => {
    const one = await store().create(request());
    expect(await store().cancel(one.id, second)).toBe('not_yours');
    expect(await store().decline(one.id, second, 'not during the freeze')).toBe(true);
    expect(await store().get(one.id)).toMatchObject({
      state: 'declined',
      decisionReason: 'not during the freeze',
    });
    expect(await store().approve(one.id, third)).toBe('decided');
    const two = await store().create(request());
    expect(await store().cancel(two.id, requester)).toBe(true);
    expect(await store().approve(two.id, second)).toBe('decided');
  });

  maybe('a request whose job could not be created goes back to waiting', async () => {
    const { id } = await store().create(request());
    expect(await store().approve(id, second)).toBe(true);
    expect(await store().pendingStart(id, second.staffId)).toBe(true);
    expect(await store().pendingStart(id, third.staffId)).toBe(false);
    await store().reopen(id);
    expect((await store().get(id))?.state).toBe('waiting');
  });
});
