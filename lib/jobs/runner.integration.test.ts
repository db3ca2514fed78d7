// Two job runners sharing one store, against the embedded Clerk-compatible API through the console's own
// lib/clerk (as production runs them): every session of the heavy seed user revoked exactly once, none lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import { createConsoleClerkClient } from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import type { Db } from '@/lib/db';
import { withLocalClerk, type LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import {
  openTestDb,
  removeTempSqlite,
  startTestPostgres,
  TEST_ENGINES,
  type TestPostgres,
} from '@/lib/testing/pg';
import { clerkRunnerOps } from './clerk-ops';
import { startRunner } from './runner';
import { jobStore } from './store';

let fx: LocalClerkFixture;
let server: TestPostgres | null = null;

beforeAll(async () => {
  // The fixture API has no rate limit, so neither has the console's request budget (lib/clerk/budget): this file
  // is about leases and read-back, not shares; the budget's bulk share has tests of its own.
  process.env.LOCAL_CLERK_RATE_LIMIT = '0';
  fx = await withLocalClerk({ faults: true });
  const env = loadEnv({
    LOCAL_CLERK_PORT: new URL(fx.url).port,
    LOCAL_CLERK_SECRET_KEY: fx.secretKey,
    DATA_DIR: fx.dataDir,
    AUTH_SECRET: 'x'.repeat(40),
  });
  setClerkClientForTests(createConsoleClerkClient(env), { timeoutMs: 5000 });
  server = await startTestPostgres();
});

afterAll(async () => {
  setClerkClientForTests(null);
  await fx?.close();
  await server?.stop();
  removeTempSqlite();
});

async function activeIds(userId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await fx.clerk.sessions.getSessionList({ userId, status: 'active', limit: 500, offset });
    ids.push(...page.data.map((s) => s.id));
    if (page.data.length < 500) return ids;
  }
}

async function userIdOf(email: string): Promise<string> {
  const { data } = await fx.clerk.users.getUserList({ emailAddress: [email] });
  return data[0]!.id;
}

describe.each(TEST_ENGINES)('two runners on %s against the embedded API', (engine) => {
  let db: Db | null = null;
  beforeAll(async () => {
    if (engine === 'postgres' && !server) return;
    db = await openTestDb(engine, server);
    const at = new Date().toISOString();
    await db
      .insertInto('staff')
      .values({
        id: 'staff_it',
        email: 'it@example.com',
        role: 'support',
        password_hash: null,
        source: 'password',
        disabled: 0,
        session_version: 0,
        created_at: at,
        updated_at: at,
        last_sign_in_at: null,
        oidc_issuer: null,
        oidc_subject: null,
      })
      .execute();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('revoke every active session of a user once: 0 doubled, 0 lost', async (ctx) => {
    if (!db) return ctx.skip();
    // One user per engine, so the two describe blocks never share sessions.
    const email = engine === 'sqlite' ? 'heavy.user@example.com' : 'ada.lovelace@example.com';
    const userId = await userIdOf(email);
    const before = await activeIds(userId);
    expect(before.length).toBeGreaterThan(0);
    await fx.faults.clearRequests();

    const store = jobStore(db);
    const { id } = await store.create({
      idempotencyKey: crypto.randomUUID(),
      kind: 'users',
      scope: { userIds: [userId] },
      reason: 'integration: two runners',
      actor: { staffId: 'staff_it', email: 'it@example.com', role: 'support' },
      permission: 'sessions:revoke',
      sessions: [],
      expand: [{ kind: 'user', target: userId }],
    });
    const opts = { db, clerk: clerkRunnerOps, concurrency: 4, leaseMs: 30_000, pollMs: 25 };
    const a = startRunner({ ...opts, owner: 'runner-a' });
    const b = startRunner({ ...opts, owner: 'runner-b' });
    try {
      // Each runner's idle() only says that runner found nothing to claim: the other may still hold the last items.
      // The condition that matters is the job's own end, written by whichever runner settles last.
      await expect
        .poll(async () => (await store.get(id))?.state, { timeout: 90_000, interval: 50 })
        .toMatch(/^(done|failed|cancelled)$/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    const job = await store.get(id);
    expect(job).toMatchObject({ state: 'done', total: before.length, expanding: 0 });
    expect(job?.counts.revoked).toBe(before.length);
    expect(await activeIds(userId)).toEqual([]);
    const revokes = (await fx.faults.requests()).requests.filter(
      (r) => r.method === 'POST' && /^\/v1\/sessions\/[^/]+\/revoke$/.test(r.path),
    );
    const perSession = new Map<string, number>();
    for (const r of revokes) {
      const sid = r.path.split('/')[3]!;
      perSession.set(sid, (perSession.get(sid) ?? 0) + 1);
    }
    expect([...perSession.values()].filter((n) => n > 1)).toEqual([]);
    expect([...perSession.keys()].sort()).toEqual([...before].sort());
    // Each revoke keeps the trace id of Clerk's own answer to it, success or not.
    const { rows } = await store.items(id, { limit: 5000 });
    const traces = rows.map((r) => r.traceId);
    expect(traces.filter((t) => !/^[0-9a-f]{32}$/.test(t ?? ''))).toEqual([]);
    expect(new Set(traces).size).toBe(rows.length);
  }, 120_000);
});
