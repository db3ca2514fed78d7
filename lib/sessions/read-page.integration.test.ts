// readSessionsPage against the embedded Clerk API (seeded with the risk fixtures) and a real SQLite store: what the
// sessions page and GET /api/sessions both read, so a poll brings the rows' risk badges with the rows.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInState } from '@/lib/testing/signed-in';
import {
  signedOutEachTest,
  startConsoleFixture,
  staffSession,
  type ConsoleFixture,
} from '@/lib/testing/console-fixture';
import type { LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import { RISK_FIXTURES } from '@/lib/local-clerk/seed-risk';

const state = signedInState({ 'x-forwarded-for': '198.51.100.7' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

let fx: ConsoleFixture<'viewer' | 'support'>;
let api: LocalClerkFixture;
let read: typeof import('./read-page');
let actions: typeof import('@/app/(console)/sessions/actions');
const ids: Record<'impossibleTravel' | 'newDevice', string> = {} as never;

const upstreamCount = async () => (await api.faults.requests()).count;
const as = (role: 'viewer' | 'support') => {
  state.session = staffSession(fx.staff[role].id);
};
const query = (
  userId: string,
  extra: { status?: 'active' | 'all'; limit?: number; look?: boolean } = {},
) => ({
  userId,
  status: extra.status ?? 'active',
  limit: extra.limit ?? 25,
  offset: 0,
  ...(extra.look ? { look: true } : {}),
});

async function getRoute(params: Record<string, string>) {
  const { GET } = await import('@/app/api/sessions/route');
  const res = await GET(new Request(`http://console.test/api/sessions?${new URLSearchParams(params)}`));
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  fx = await startConsoleFixture({
    name: 'read-page',
    env: { LOCAL_CLERK_RATE_LIMIT: '0' },
    roles: ['viewer', 'support'],
  });
  api = fx.api;
  await (await import('@/lib/risk/geo-data')).getGeoIndex();
  read = await import('./read-page');
  actions = await import('@/app/(console)/sessions/actions');
  const users = await api.clerk.users.getUserList({
    emailAddress: [RISK_FIXTURES.impossibleTravel, RISK_FIXTURES.newDevice],
    limit: 10,
  });
  for (const key of ['impossibleTravel', 'newDevice'] as const) {
    ids[key] = users.data.find((u) => u.primaryEmailAddress?.emailAddress === RISK_FIXTURES[key])!.id;
  }
}, 60_000);

signedOutEachTest(() => fx, state);

describe('readSessionsPage', () => {
  it("cuts a user's page from the risk read (one Clerk request) and gives its rows their signals", async () => {
    const { risk, list } = read.readSessionsPage(query(ids.impossibleTravel));
    const page = await list;
    expect(page.totalCount).toBe(6);
    expect(page.data.map((s) => s.status)).toEqual(Array(6).fill('active'));
    const germany = page.data.find((s) => s.latestActivity?.city === 'Neubrandenburg')!;
    expect(page.risk?.signals[germany.id]?.map((s) => s.kind)).toContain('impossible_travel');
    expect(page.risk?.countryNames).toMatchObject({ DE: 'Germany', FR: 'France' });
    expect(page.fetchedAt).toBe((await risk)!.computedAt);
    expect(await upstreamCount()).toBe(1);
  });

  it('carries the signals of the rows on the page only', async () => {
    const page = await read.readSessionsPage(query(ids.impossibleTravel, { status: 'all', limit: 2 })).list;
    const rowIds = page.data.map((s) => s.id);
    expect(rowIds).toHaveLength(2);
    expect(Object.keys(page.risk!.signals).every((id) => rowIds.includes(id))).toBe(true);
  });

  it('lists only the sessions needing a look under look=1, with their signals', async () => {
    const page = await read.readSessionsPage(query(ids.newDevice, { look: true })).list;
    expect(page.totalCount).toBe(1);
    const [row] = page.data;
    expect(row?.latestActivity?.deviceType).toBe('Windows');
    expect(page.risk?.signals[row!.id]?.map((s) => s.kind)).toEqual(['new_device']);
  });

  it("serves a client's sessions without a risk read", async () => {
    const { data } = await api.clerk.sessions.getSessionList({ userId: ids.newDevice, status: 'active' });
    const clientId = data[0]!.clientId;
    const { risk, list } = read.readSessionsPage({ clientId, status: 'active', limit: 25, offset: 0 });
    expect(await risk).toBeNull();
    const page = await list;
    expect(page.data.length).toBeGreaterThan(0);
    expect(page).not.toHaveProperty('risk');
  });
});

describe('GET /api/sessions, as the page polls it', () => {
  it('answers the rows with their risk badges, and a later poll shows a review made meanwhile', async () => {
    as('viewer');
    const first = await getRoute({ user_id: ids.impossibleTravel });
    expect(first.status).toBe(200);
    const germany = first.body.data.find(
      (s: { latestActivity?: { city?: string } }) => s.latestActivity?.city === 'Neubrandenburg',
    );
    const travel = first.body.risk.signals[germany.id].find(
      (s: { kind: string }) => s.kind === 'impossible_travel',
    );
    expect(travel).toMatchObject({ sessionId: germany.id, review: null });

    as('support');
    const reviewed = await actions.reviewSignalAction({
      sessionId: germany.id,
      kind: 'impossible_travel',
      fingerprint: travel.fingerprint,
      note: 'VPN exit in Germany, confirmed (ticket 12)',
    });
    expect(reviewed).toMatchObject({ ok: true });

    as('viewer');
    const poll = await getRoute({ user_id: ids.impossibleTravel });
    const after = poll.body.risk.signals[germany.id].find(
      (s: { kind: string }) => s.kind === 'impossible_travel',
    );
    expect(after.review).toMatchObject({ note: 'VPN exit in Germany, confirmed (ticket 12)' });
  });
});
