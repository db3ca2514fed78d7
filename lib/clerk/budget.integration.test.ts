import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/db';
import type { BudgetConfig } from '@/lib/env/budget';
import {
  ConsoleApiError,
  findUsers,
  getSession,
  lookUpUsers,
  getUser,
  listSessions,
  listTemplates,
  PENDING_SCAN_MAX_PAGES,
} from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { clerkBudget } from '@/lib/clerk/budget';
import { runInLane } from '@/lib/clerk/lane';
import { SEED_FIXTURES } from '@/lib/local-clerk/seed';
import { withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import { removeTempSqlite, tempSqlite } from '@/lib/testing/pg';
import { clerkScanDeps } from '@/lib/risk/watchlist-store';
import { EMPTY_WATCHLIST, refreshWatchlist } from '@/lib/risk/watchlist';

// The budget and the read savings seen where they matter: in the embedded API's own request log.

const CONFIG: BudgetConfig = {
  perWindow: 6,
  bulkShare: 0.4,
  backgroundShare: 0.1,
  staffShare: 1,
  maxPauseSeconds: 60,
};

let fx: LocalClerkFixture;
let db: Db;
let dbPath: string;

beforeAll(async () => {
  fx = await withLocalClerk({ faults: true });
  dbPath = tempSqlite().path;
  db = await createDb({ sqlitePath: dbPath });
});
afterAll(async () => {
  setClerkClientForTests(null);
  await db?.destroy();
  await fx?.close();
  removeTempSqlite();
});
beforeEach(async () => {
  await fx.faults.clear();
  await fx.faults.clearRequests();
  await db.deleteFrom('clerk_budget').execute();
});

const upstream = async (pattern: RegExp) =>
  (await fx.faults.requests()).requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).length;

async function charged(): Promise<number> {
  const row = await db
    .selectFrom('clerk_budget')
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('key', '=', 'all')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function userByEmail(email: string) {
  const { data } = await fx.clerk.users.getUserList({ emailAddress: [email] });
  return data[0]!;
}

describe('the request budget against the embedded API', () => {
  it('refuses the call after the budget is spent, without sending it, in the words staff see', async () => {
    setClerkClientForTests(fx.clerk, { budget: clerkBudget(db, CONFIG) });
    const ada = await userByEmail(SEED_FIXTURES.ada);
    const { data } = await fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 1 });
    await fx.faults.clearRequests();
    const sessionId = data[0]!.id;

    await runInLane({ lane: 'interactive', staffId: 'staff_a' }, async () => {
      for (let i = 0; i < CONFIG.perWindow; i++) await getSession(sessionId);
      const refused = await getSession(sessionId).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConsoleApiError);
      expect(refused).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: expect.any(Number) });
      const seconds = (refused as ConsoleApiError).retryAfterSeconds!;
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect((refused as ConsoleApiError).message).toBe(
        `Clerk is busy for this console: try again in ${seconds} s.`,
      );
    });
    expect(await upstream(/^GET \/v1\/sessions\/sess_/)).toBe(CONFIG.perWindow);
  });

  it("a 429 one instance gets stops the other's calls before they leave", async () => {
    const ada = await userByEmail(SEED_FIXTURES.ada);
    const { data } = await fx.clerk.sessions.getSessionList({ userId: ada.id, limit: 1 });
    const sessionId = data[0]!.id;
    await fx.faults.set([
      { method: 'GET', path: '^/v1/sessions/sess_', status: 429, retryAfter: 30, times: 1 },
    ]);
    await fx.faults.clearRequests();
    // Instance one: its own handle on the store.
    setClerkClientForTests(fx.clerk, { budget: clerkBudget(db, { ...CONFIG, perWindow: 50 }) });
    const first = await getSession(sessionId).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 30 });

    // Instance two: another database handle on the same store, another client.
    const other = await createDb({ sqlitePath: dbPath });
    try {
      setClerkClientForTests(fx.clerk, { budget: clerkBudget(other, { ...CONFIG, perWindow: 50 }) });
      const second = await getSession(sessionId).catch((e: unknown) => e);
      expect(second).toMatchObject({ kind: 'rate_limited', status: null });
      expect((second as ConsoleApiError).message).toMatch(
        /^Clerk is busy for this console: try again in \d+ s\.$/,
      );
    } finally {
      await other.destroy();
    }
    expect(await upstream(/^GET \/v1\/sessions\/sess_/)).toBe(1);
  });

  it('makes a repeated user or template read once per instance for a few seconds', async () => {
    setClerkClientForTests(fx.clerk, { readCacheMs: 5_000 });
    const ada = await userByEmail(SEED_FIXTURES.ada);
    await fx.faults.clearRequests();
    await Promise.all([getUser(ada.id), getUser(ada.id), listTemplates()]);
    await getUser(ada.id);
    await listTemplates();
    expect(await upstream(/^GET \/v1\/users\/user_/)).toBe(1);
    expect(await upstream(/^GET \/v1\/jwt_templates$/)).toBe(1);
  });

  it('stops the pending scan as soon as the page it needs is full', async () => {
    setClerkClientForTests(fx.clerk);
    const heavy = await userByEmail(SEED_FIXTURES.heavy);
    await fx.faults.clearRequests();
    const page = await listSessions({ userId: heavy.id, status: 'pending', limit: 5, offset: 0 });
    expect(page.data).toHaveLength(5);
    expect(page.data.every((s) => s.status === 'pending')).toBe(true);
    expect(page.totalCount).toBeGreaterThan(5); // so the next page is offered
    const scanned = await upstream(/^GET \/v1\/sessions$/);
    expect(scanned).toBeGreaterThanOrEqual(1);
    expect(scanned).toBeLessThan(PENDING_SCAN_MAX_PAGES);
  });

  it('charges a user search once per request the embedded API saw: a list and its count are two', async () => {
    setClerkClientForTests(fx.clerk, { budget: clerkBudget(db, { ...CONFIG, perWindow: 50 }) });
    await runInLane({ lane: 'interactive', staffId: 'staff_a' }, async () => {
      const page = await findUsers('a', { limit: 10, offset: 0 });
      expect(page.data.length).toBeGreaterThan(0);
    });
    const sent = await fx.faults.requests();
    expect(sent.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /v1/users',
      'GET /v1/users/count',
    ]);
    expect(await charged()).toBe(2);

    await fx.faults.clearRequests();
    await db.deleteFrom('clerk_budget').execute();
    // An email nobody holds: the exact filter finds nothing, then the partial match runs: four requests.
    await findUsers('nobody-at-all@example.invalid', { limit: 10, offset: 0 });
    expect(await charged()).toBe((await fx.faults.requests()).count);
    expect(await charged()).toBe(4);
  });

  it('refuses the second request of a user list unsent, as "busy", with one request charged and sent', async () => {
    setClerkClientForTests(fx.clerk, { budget: clerkBudget(db, { ...CONFIG, perWindow: 1 }) });
    const refused = await runInLane({ lane: 'interactive', staffId: 'staff_a' }, () =>
      findUsers('a', { limit: 10, offset: 0 }).catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(ConsoleApiError);
    expect(refused).toMatchObject({ kind: 'rate_limited', status: null });
    expect((refused as ConsoleApiError).message).toMatch(
      /^Clerk is busy for this console: try again in \d+ s\.$/,
    );
    expect((await fx.faults.requests()).count).toBe(1);
    expect(await charged()).toBe(1);
  });

  it('charges an incident look-up two requests per 100 identifiers', async () => {
    setClerkClientForTests(fx.clerk, { budget: clerkBudget(db, { ...CONFIG, perWindow: 100 }) });
    const { data } = await fx.clerk.users.getUserList({ limit: 250 });
    const emails = data.map((u) => u.emailAddresses[0]!.emailAddress.toLowerCase());
    await fx.faults.clearRequests();
    const found = await lookUpUsers({ emails, userIds: [] });
    expect(found.length).toBeGreaterThan(0);
    expect((await fx.faults.requests()).count).toBe(6);
    expect(await charged()).toBe(6);
  });

  it('charges a watchlist refresh two requests per users page and one per user scanned', async () => {
    setClerkClientForTests(fx.clerk, {
      budget: clerkBudget(db, { ...CONFIG, perWindow: 100, backgroundShare: 0.5 }),
    });
    const deps = clerkScanDeps(db, { maxRequests: 20, windowMs: 20 * 365 * 24 * 3600 * 1000 });
    const next = await runInLane({ lane: 'background' }, () => refreshWatchlist(EMPTY_WATCHLIST, deps));
    const seen = JSON.stringify(next.lastRefresh);
    expect(next.lastRefresh?.error, seen).toBeNull();
    const scanned = next.lastRefresh!.scanned;
    expect(scanned).toBeGreaterThan(0);
    const sent = await fx.faults.requests();
    expect(sent.count, JSON.stringify(sent.requests.map((r) => `${r.method} ${r.path}`))).toBe(2 + scanned);
    expect(await charged()).toBe(2 + scanned);
  });
});
