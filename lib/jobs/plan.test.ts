import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { jobItemsCsv } from './csv';
import type { ResolvedUser } from '@/lib/clerk/users';
import type { UserDto } from '@/lib/clerk/dto';
import type { JobTarget } from './inputs';
import { matchIncident, parseIncidentList } from './incident';
import { signPlan, verifyPlan } from './plan';
import { jobPolicy, tooManySessions } from './policy';
import {
  confirmationFor,
  emptyCounts,
  MAX_JOB_SESSIONS,
  needsTypedConfirmation,
  type JobView,
} from './types';

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
      incident: false,
    });
    expect(verifyPlan(plan, { kind: 'users', userIds: ['user_a'] }, 'staff_1')).toBeNull();
    expect(verifyPlan(plan, target, 'staff_2')).toBeNull();
  });
  it('carries an uncounted plan (sessions null) as such, and a forged null on a counted one fails', () => {
    const plan = signPlan(target, 'staff_1', { sessions: null, users: 2 });
    expect(verifyPlan(plan, target, 'staff_1')).toEqual({ sessions: null, users: 2, incident: false });
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

describe('what the signed plan covers', () => {
  const counts = { sessions: 3, users: 1 };
  const chosen = (userId: string): JobTarget => ({
    kind: 'sessions',
    sessionIds: ['sess_1', 'sess_2', 'sess_3'],
    userId,
  });

  it('a plan signed for chosen sessions of user X is refused for user Y, or for no user named', () => {
    const plan = signPlan(chosen('user_x'), 'staff_1', counts);
    expect(verifyPlan(plan, chosen('user_x'), 'staff_1')).not.toBeNull();
    expect(verifyPlan(plan, chosen('user_y'), 'staff_1')).toBeNull();
    expect(
      verifyPlan(plan, { kind: 'sessions', sessionIds: ['sess_1', 'sess_2', 'sess_3'] }, 'staff_1'),
    ).toBeNull();
  });

  it('is refused for another kind or action over the same ids', () => {
    const users: JobTarget = { kind: 'users', userIds: ['user_x'] };
    const plan = signPlan(users, 'staff_1', counts);
    expect(
      verifyPlan(plan, { kind: 'user_except', userId: 'user_x', keepSessionId: 'sess_1' }, 'staff_1'),
    ).toBeNull();
    expect(
      verifyPlan(plan, { kind: 'sessions', sessionIds: ['sess_1'], userId: 'user_x' }, 'staff_1'),
    ).toBeNull();
    const sessions = signPlan({ kind: 'sessions', sessionIds: ['user_x'] as string[] }, 'staff_1', counts);
    expect(verifyPlan(sessions, users, 'staff_1')).toBeNull();
  });

  it('covers the session kept and the client', () => {
    const keep = signPlan({ kind: 'user_except', userId: 'user_x', keepSessionId: 'sess_1' }, 's', counts);
    expect(
      verifyPlan(keep, { kind: 'user_except', userId: 'user_x', keepSessionId: 'sess_2' }, 's'),
    ).toBeNull();
    expect(
      verifyPlan(keep, { kind: 'user_except', userId: 'user_y', keepSessionId: 'sess_1' }, 's'),
    ).toBeNull();
    const client = signPlan({ kind: 'client', clientId: 'client_a' }, 's', counts);
    expect(verifyPlan(client, { kind: 'client', clientId: 'client_b' }, 's')).toBeNull();
    expect(verifyPlan(client, { kind: 'client', clientId: 'client_a' }, 's')).not.toBeNull();
  });

  it('says whether it came from the incident form, and that cannot be added afterwards', () => {
    const t: JobTarget = { kind: 'users', userIds: ['user_x'] };
    expect(verifyPlan(signPlan(t, 's', counts, { incident: true }), t, 's')?.incident).toBe(true);
    const plain = signPlan(t, 's', counts);
    const [body, mac] = plain.split('.');
    const forged = JSON.parse(Buffer.from(body!, 'base64url').toString());
    forged.i = true;
    expect(
      verifyPlan(`${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`, t, 's'),
    ).toBeNull();
  });
});

describe('who may start a job, and when it asks for the password again', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `sess_${i}`);
  it('chosen sessions of one named user: support, step-up only above 50 sessions', () => {
    expect(
      jobPolicy({ kind: 'sessions', sessionIds: ids(50), userId: 'user_x' }, { sessions: 50, users: 1 }),
    ).toEqual({
      permission: 'sessions:revoke',
      stepUp: false,
    });
    expect(
      jobPolicy({ kind: 'sessions', sessionIds: ids(51), userId: 'user_x' }, { sessions: 51, users: 1 }),
    ).toEqual({
      permission: 'sessions:revoke',
      stepUp: true,
    });
  });
  it('chosen sessions with no user named: the incident permission; step-up past one session', () => {
    expect(jobPolicy({ kind: 'sessions', sessionIds: ids(1) }, { sessions: 1, users: 0 })).toEqual({
      permission: 'jobs:incident',
      stepUp: false,
    });
    expect(jobPolicy({ kind: 'sessions', sessionIds: ids(2) }, { sessions: 2, users: 0 }).stepUp).toBe(true);
  });
  it('more than one owner needs the incident permission and step-up, whatever the kind', () => {
    expect(jobPolicy({ kind: 'client', clientId: 'client_a' }, { sessions: 2, users: 2 })).toEqual({
      permission: 'jobs:incident',
      stepUp: true,
    });
    expect(jobPolicy({ kind: 'client', clientId: 'client_a' }, { sessions: 2, users: 1 })).toEqual({
      permission: 'sessions:revoke',
      stepUp: false,
    });
    expect(jobPolicy({ kind: 'users', userIds: ['user_a', 'user_b'] }, { sessions: 2, users: 1 })).toEqual({
      permission: 'jobs:incident',
      stepUp: true,
    });
  });
  it('an incident list needs the incident permission; an uncounted one asks for step-up', () => {
    const t: JobTarget = { kind: 'users', userIds: ['user_a'] };
    expect(jobPolicy(t, { sessions: 3, users: 1 }, true)).toEqual({
      permission: 'jobs:incident',
      stepUp: false,
    });
    expect(jobPolicy(t, { sessions: null, users: 1 }, true).stepUp).toBe(true);
  });
  it(`refuses a plan of more than ${MAX_JOB_SESSIONS} sessions with a plain message`, () => {
    expect(tooManySessions({ sessions: MAX_JOB_SESSIONS, users: 2 })).toBeNull();
    expect(tooManySessions({ sessions: MAX_JOB_SESSIONS + 1, users: 2 })).toMatch(
      /would revoke 100,001 sessions: one job holds 100,000 at most/,
    );
  });
});

describe('matching an incident list', () => {
  const user = (id: string, emails: string[], unverifiedEmails: string[] = []): ResolvedUser => ({
    user: { id } as UserDto,
    emails,
    unverifiedEmails,
  });
  it('matches verified addresses only, calls an address two users verified ambiguous, never guesses', () => {
    const { matched, missed } = matchIncident(
      ['ann@x.test', 'shared@x.test', 'claimed@x.test', 'nobody@x.test'],
      ['user_b', 'user_zzz'],
      [
        user('user_a', ['ann@x.test', 'shared@x.test']),
        user('user_b', ['shared@x.test']),
        user('user_c', [], ['claimed@x.test', 'ann@x.test']),
      ],
    );
    expect(matched).toEqual([
      { input: 'ann@x.test', userId: 'user_a' },
      { input: 'user_b', userId: 'user_b' },
    ]);
    expect(missed).toEqual([
      { input: 'shared@x.test', why: 'ambiguous' },
      { input: 'claimed@x.test', why: 'unverified' },
      { input: 'nobody@x.test', why: 'not_found' },
      { input: 'user_zzz', why: 'not_found' },
    ]);
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
        step: null,
        message: null,
        detail: null,
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
