// Risk signals end to end against the embedded Clerk API (seeded) and a real SQLite store: the review action as
// each role, the "Needs a look" listing, and the watchlist scan's request budget counted on the API's own log.
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

const state = signedInState({ 'x-forwarded-for': '198.51.100.9' });
vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);

let fx: ConsoleFixture<'viewer' | 'support'>;
let api: LocalClerkFixture;
let actions: typeof import('@/app/(console)/sessions/actions');
let risk: typeof import('./server');
let store: typeof import('./watchlist-store');
let db: import('@/lib/db').Db;
let audit: ReturnType<typeof import('@/lib/audit').auditLog>;
const ids: Record<keyof typeof RISK_FIXTURES, string> = {} as never;

const upstreamCount = async () => (await api.faults.requests()).count;
function as(role: 'viewer' | 'support') {
  state.session = staffSession(fx.staff[role].id);
}

beforeAll(async () => {
  // The fixture API has no rate limit, so neither has the console's budget: these tests count the scan's own cap.
  fx = await startConsoleFixture({
    name: 'risk',
    env: { LOCAL_CLERK_RATE_LIMIT: '0' },
    roles: ['viewer', 'support'],
  });
  api = fx.api;
  db = fx.db;
  audit = (await import('@/lib/audit')).auditLog(db);
  actions = await import('@/app/(console)/sessions/actions');
  // As instrumentation.ts does at start-up: build the city index before any Clerk call is in flight.
  await (await import('./geo-data')).getGeoIndex();
  risk = await import('./server');
  store = await import('./watchlist-store');
  const users = await api.clerk.users.getUserList({ emailAddress: Object.values(RISK_FIXTURES), limit: 100 });
  for (const [key, email] of Object.entries(RISK_FIXTURES)) {
    ids[key as keyof typeof RISK_FIXTURES] = users.data.find(
      (u) => u.primaryEmailAddress?.emailAddress === email,
    )!.id;
  }
}, 60_000);

signedOutEachTest(() => fx, state);

async function heleneTravel() {
  const r = await risk.getUserRisk(ids.impossibleTravel);
  const signal = r.signals.find((s) => s.kind === 'impossible_travel');
  if (!signal) throw new Error('Hélène has no impossible travel signal');
  return signal;
}

describe('reviewing a signal', () => {
  it('is refused to a viewer before anything reaches Clerk, and audited as denied', async () => {
    const signal = await heleneTravel();
    await api.faults.clearRequests();
    as('viewer');
    const reply = await actions.reviewSignalAction({
      sessionId: signal.sessionId,
      kind: signal.kind,
      fingerprint: signal.fingerprint,
      note: 'looked fine to me',
    });
    expect(reply).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(await upstreamCount()).toBe(0);
    const denied = await audit.list({
      actor: fx.staff.viewer.email,
      action: 'access.denied',
      limit: 5,
      offset: 0,
    });
    expect(denied.rows).toHaveLength(1);
    expect((await heleneTravel()).review).toBeNull();
  });

  it('refuses a signal the session does not show, and writes no review', async () => {
    const signal = await heleneTravel();
    as('support');
    const reply = await actions.reviewSignalAction({
      sessionId: signal.sessionId,
      kind: 'stale',
      fingerprint: signal.fingerprint,
      note: 'forged kind',
    });
    expect(reply).toMatchObject({ ok: false, kind: 'not_found' });
    const rows = await audit.list({ action: 'risk.review', limit: 5, offset: 0 });
    expect(rows.rows).toEqual([]);
  });

  it('marks it reviewed for support, audited with the note; it stays shown, as reviewed', async () => {
    const signal = await heleneTravel();
    as('support');
    const reply = await actions.reviewSignalAction({
      sessionId: signal.sessionId,
      kind: signal.kind,
      fingerprint: signal.fingerprint,
      note: 'Customer confirmed a VPN exit in Germany (ticket 4411)',
    });
    expect(reply).toMatchObject({ ok: true, message: 'Signal marked reviewed.' });
    const after = await heleneTravel();
    expect(after.review).toMatchObject({
      note: 'Customer confirmed a VPN exit in Germany (ticket 4411)',
      reviewedBy: fx.staff.support.email,
    });
    const rows = await audit.list({ action: 'risk.review', limit: 5, offset: 0 });
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({
      outcome: 'succeeded',
      actor: { email: fx.staff.support.email, role: 'support' },
      target: { sessionId: signal.sessionId, userId: ids.impossibleTravel },
      details: {
        reason: 'Customer confirmed a VPN exit in Germany (ticket 4411)',
        signal: 'impossible_travel',
      },
    });
    // Its other signals are still open, so the session still needs a look.
    const look = await risk.listSessionsNeedingALook({
      userId: ids.impossibleTravel,
      status: 'all',
      limit: 25,
      offset: 0,
    });
    expect(look.data.map((s) => s.id)).toEqual([signal.sessionId]);
  });
});

/** GET /api/sessions, as the sessions page polls it. */
async function listRoute(params: Record<string, string>) {
  const { GET } = await import('@/app/api/sessions/route');
  const res = await GET(new Request(`http://console.test/api/sessions?${new URLSearchParams(params)}`));
  return { status: res.status, body: await res.json() };
}

describe('the Needs a look listing', () => {
  it('lists only the sessions with an unreviewed signal, and nobody for a traveller', async () => {
    as('viewer');
    const kenji = await listRoute({ user_id: ids.newDevice, status: 'active', look: '1' });
    expect(kenji.status).toBe(200);
    expect(kenji.body.totalCount).toBe(1);
    expect(kenji.body.data[0]?.latestActivity?.deviceType).toBe('Windows');
    const lukas = await listRoute({ user_id: ids.train, status: 'all', look: '1' });
    expect(lukas).toMatchObject({ status: 200, body: { data: [], totalCount: 0 } });
  });

  it('refuses a look value other than 1', async () => {
    as('viewer');
    const reply = await listRoute({ user_id: ids.train, status: 'all', look: 'yes' });
    expect(reply).toMatchObject({ status: 400, body: { ok: false, kind: 'invalid_input' } });
  });
});

describe('the watchlist scan', () => {
  const DAY = 24 * 3600 * 1000;

  it('never sends more requests than its cap, counted by the API itself', async () => {
    for (const cap of [2, 3, 12, 41]) {
      await api.faults.clearRequests();
      const { refreshWatchlist, EMPTY_WATCHLIST } = await import('./watchlist');
      const next = await refreshWatchlist(
        EMPTY_WATCHLIST,
        store.clerkScanDeps(db, { maxRequests: cap, windowMs: DAY }),
      );
      const sent = await upstreamCount();
      expect(sent, `cap ${cap}`).toBeLessThanOrEqual(cap);
      expect(next.lastRefresh?.requests).toBe(sent);
      expect(next.lastRefresh?.error).toBeNull();
    }
  });

  it('finds the planted high-severity users over a few capped refreshes, and not the travellers', async () => {
    const { refreshWatchlist, EMPTY_WATCHLIST } = await import('./watchlist');
    let state = EMPTY_WATCHLIST;
    for (let i = 0; i < 20 && state.lastPassCompletedAt === null; i++) {
      await api.faults.clearRequests();
      state = await refreshWatchlist(state, store.clerkScanDeps(db, { maxRequests: 60, windowMs: DAY }));
      expect(await upstreamCount()).toBeLessThanOrEqual(60);
    }
    expect(state.lastPassCompletedAt).not.toBeNull();
    expect(state.lastPassScanned).toBe(state.passTotal);
    const listed = new Set(state.entries.map((e) => e.userId));
    // Hélène's impossible travel was reviewed above, but her "several countries" is still open and high.
    expect(listed.has(ids.impossibleTravel)).toBe(true);
    expect(listed.has(ids.severalCountries)).toBe(true);
    for (const quiet of ['train', 'flight', 'oneCity', 'newDevice', 'stale', 'newCountry'] as const)
      expect(listed.has(ids[quiet]), quiet).toBe(false);
    const helene = state.entries.find((e) => e.userId === ids.impossibleTravel)!;
    expect(helene.signals.map((s) => s.kind)).toEqual(['several_countries']);
  });

  it('takes turns through the lease: a second refresh right after the first is skipped', async () => {
    const deps = store.clerkScanDeps(db, { maxRequests: 5, windowMs: DAY });
    const [a, b] = await Promise.all([
      store.refreshStoredWatchlist(db, deps, { minGapMs: 60_000, leaseMs: 60_000, owner: 'a' }),
      store.refreshStoredWatchlist(db, deps, { minGapMs: 60_000, leaseMs: 60_000, owner: 'b' }),
    ]);
    expect([a, b].filter((x) => x !== null)).toHaveLength(1);
    expect(await store.refreshStoredWatchlist(db, deps, { minGapMs: 60_000, leaseMs: 60_000 })).toBeNull();
    const stored = await store.readWatchlist(db);
    expect(stored.refreshedAt).not.toBeNull();
    expect(stored.state.lastRefresh?.requests).toBeLessThanOrEqual(5);
  });
});
