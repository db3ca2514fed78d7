import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { jobItemsCsv } from './csv';
import { parseIncidentList, signPlan, verifyPlan } from './plan';
import { confirmationFor, emptyCounts, needsTypedConfirmation, type JobView } from './types';

beforeAll(() => {
  process.env.AUTH_SECRET = 'plan-test-secret-0123456789abcdefghijkl';
  resetEnvForTests();
});
afterAll(() => {
  delete process.env.AUTH_SECRET;
  resetEnvForTests();
});

describe('the incident list', () => {
  it('takes one identifier per line or the first CSV column, skips a header, blanks and duplicates', () => {
    const text =
      'email,name\r\nA@Example.com,Ann\n\n"user_abc",x\na@example.com\n  bob@example.com  \nnot an id\n';
    expect(parseIncidentList(text)).toEqual({
      entries: ['A@Example.com', 'user_abc', 'bob@example.com', 'not an id'],
      duplicates: 1,
    });
  });
});

describe('typed confirmation', () => {
  it('is needed above 50 sessions or with more than one user', () => {
    expect(needsTypedConfirmation(50, 1)).toBe(false);
    expect(needsTypedConfirmation(51, 1)).toBe(true);
    expect(needsTypedConfirmation(3, 2)).toBe(true);
    expect(needsTypedConfirmation(0, 0)).toBe(false);
  });
  it('asks for the sessions, or for the users when an incident list was too long to count first', () => {
    expect(confirmationFor({ sessions: 120, users: 2 })).toEqual({ count: 120, what: 'sessions' });
    expect(confirmationFor({ sessions: 3, users: 1 })).toBeNull();
    expect(confirmationFor({ sessions: null, users: 250 })).toEqual({ count: 250, what: 'users' });
    expect(confirmationFor({ sessions: null, users: 1 })).toEqual({ count: 1, what: 'users' });
  });
});

describe('the signed dry-run plan', () => {
  const target = { kind: 'users' as const, userIds: ['user_a', 'user_b'] };
  it('gives back its counts for the same target and staff member only', () => {
    const plan = signPlan(target, 'staff_1', { sessions: 120, users: 2 });
    expect(verifyPlan(plan, { kind: 'users', userIds: ['user_b', 'user_a'] }, 'staff_1')).toEqual({
      sessions: 120,
      users: 2,
    });
    expect(verifyPlan(plan, { kind: 'users', userIds: ['user_a'] }, 'staff_1')).toBeNull();
    expect(verifyPlan(plan, target, 'staff_2')).toBeNull();
  });
  it('carries an uncounted plan (sessions null) as such, and a forged null on a counted one fails', () => {
    const plan = signPlan(target, 'staff_1', { sessions: null, users: 2 });
    expect(verifyPlan(plan, target, 'staff_1')).toEqual({ sessions: null, users: 2 });
    const counted = signPlan(target, 'staff_1', { sessions: 120, users: 2 });
    const [body, mac] = counted.split('.');
    const forged = JSON.parse(Buffer.from(body!, 'base64url').toString());
    forged.n = null;
    expect(
      verifyPlan(`${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`, target, 'staff_1'),
    ).toBeNull();
  });
  it('refuses a plan whose counts were edited', () => {
    const plan = signPlan(target, 'staff_1', { sessions: 120, users: 2 });
    const [body, mac] = plan.split('.');
    const forged = JSON.parse(Buffer.from(body!, 'base64url').toString());
    forged.n = 1;
    const edited = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`;
    expect(verifyPlan(edited, target, 'staff_1')).toBeNull();
  });
});

describe('the items CSV', () => {
  it('quotes every field and neutralises formulas', () => {
    const job = {
      id: 'j1',
      reason: '=HYPERLINK("http://evil")',
      counts: emptyCounts(),
    } as unknown as JobView;
    const csv = jobItemsCsv(job, [
      {
        id: 1,
        sessionId: 'sess_a',
        userId: null,
        outcome: 'revoked',
        attempts: 1,
        traceId: '+trace',
        code: '@x',
        finishedAt: 0,
      },
    ]);
    const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(
      '"job_id","session_id","user_id","outcome","attempts","trace_id","code","finished_at","reason"',
    );
    expect(row).toBe('"j1","sess_a","","revoked","1","\'+trace","\'@x","","\'=HYPERLINK(""http://evil"")"');
  });
});
