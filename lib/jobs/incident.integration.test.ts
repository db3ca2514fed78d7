// The incident list against the embedded Clerk API: a short list is counted before the job (one session list per
// user), a long one is not (the job counts as it expands), counted on the API's own request log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  useFixtureAsConsoleApi,
  withLocalClerk,
  type LocalClerkFixture,
} from '@/lib/testing/local-clerk-fixture';
import { INCIDENT_COUNT_MAX_USERS } from './types';

let api: LocalClerkFixture;
let dataDir: string;
let plan: typeof import('./plan');
let incident: typeof import('./incident');
let userIds: string[];

beforeAll(async () => {
  api = await withLocalClerk({ faults: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-incident-'));
  useFixtureAsConsoleApi(api, dataDir, { LOCAL_CLERK_RATE_LIMIT: '0' });
  (await import('@/lib/env')).resetEnvForTests();
  plan = await import('./plan');
  incident = await import('./incident');
  const page = await api.clerk.users.getUserList({ limit: 500, orderBy: '+created_at' });
  userIds = page.data.map((u) => u.id);
  expect(userIds.length).toBeGreaterThan(INCIDENT_COUNT_MAX_USERS);
});

afterAll(async () => {
  await api?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sessionLists = async () =>
  (await api.faults.requests()).requests.filter((r) => r.method === 'GET' && r.path === '/v1/sessions')
    .length;

describe('resolving an incident list', () => {
  it('counts a short list: each user’s active sessions, and the plan asks for that number', async () => {
    const three = userIds.slice(0, 3);
    await api.faults.clearRequests();
    const r = await incident.resolveIncident(three.join('\n'), 'staff_incident_test');
    expect(await sessionLists()).toBe(3);
    const expected = await Promise.all(
      three.map(
        async (userId) => (await api.clerk.sessions.getSessionList({ userId, status: 'active' })).totalCount,
      ),
    );
    expect(r.users).toBe(3);
    expect(r.activeSessions).toBe(expected.reduce((a, b) => a + b, 0));
    expect(r.found.map((f) => f.activeSessions)).toEqual(expected);
    const counts = plan.verifyPlan(r.plan!, { kind: 'users', userIds: three }, 'staff_incident_test');
    expect(counts).toEqual({
      sessions: r.activeSessions,
      users: expected.filter((n) => n > 0).length,
      incident: true,
    });
  });

  it(`does not count a list of more than ${INCIDENT_COUNT_MAX_USERS} users: no session list is sent, the plan asks for the users`, async () => {
    const many = userIds.slice(0, INCIDENT_COUNT_MAX_USERS + 1);
    await api.faults.clearRequests();
    const r = await incident.resolveIncident(many.join('\n'), 'staff_incident_test');
    expect(await sessionLists()).toBe(0);
    expect(r.users).toBe(many.length);
    expect(r.found).toHaveLength(many.length);
    expect(r.activeSessions).toBeNull();
    expect(r.found.every((f) => f.activeSessions === null)).toBe(true);
    expect(plan.verifyPlan(r.plan!, { kind: 'users', userIds: many }, 'staff_incident_test')).toEqual({
      sessions: null,
      users: many.length,
      incident: true,
    });
  });
});

describe('emails in an incident list', () => {
  it('match a verified address only: an address on an account that never verified it is reported, not matched', async () => {
    const all = await api.clerk.users.getUserList({ limit: 500, orderBy: '+created_at' });
    const holder = all.data.find((u) =>
      u.emailAddresses.some((e) => e.verification?.status === 'unverified'),
    );
    expect(holder).toBeDefined();
    const unverified = holder!.emailAddresses.find((e) => e.verification?.status === 'unverified')!;
    const verified = holder!.emailAddresses.find((e) => e.verification?.status === 'verified')!;
    const r = await incident.resolveIncident(
      `${unverified.emailAddress}\n${verified.emailAddress.toUpperCase()}`,
      'staff_incident_test',
    );
    expect(r.found.map((f) => [f.input, f.userId])).toEqual([
      [verified.emailAddress.toLowerCase(), holder!.id],
    ]);
    expect(r.notFound).toEqual([{ input: unverified.emailAddress.toLowerCase(), why: 'unverified' }]);
  });

  it('reports its progress: the lines read, then each batch of look-ups', async () => {
    const seen: import('./incident').IncidentProgress[] = [];
    await incident.resolveIncident(userIds.slice(0, 150).join('\n'), 'staff_incident_test', (p) =>
      seen.push(p),
    );
    expect(seen[0]).toEqual({ phase: 'parsed', lines: 150, identifiers: 150 });
    expect(seen.filter((p) => p.phase === 'looking_up')).toEqual([
      { phase: 'looking_up', done: 100, total: 150 },
      { phase: 'looking_up', done: 150, total: 150 },
    ]);
  });
});
