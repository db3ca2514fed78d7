// The session detail's activity when GET /v1/sessions/{id} answers without latest_activity (clerk-sdk-python#120):
// the embedded API drops it under a fault rule; the index, else the user's list, fills in, and the source is named.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConsoleFixture, type ConsoleFixture } from '@/lib/testing/console-fixture';
import type { LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';

let fx: ConsoleFixture<never>;
let api: LocalClerkFixture;
let clerk: typeof import('@/lib/clerk');
let detail: typeof import('./detail-activity');
let db: import('@/lib/db').Db;
let sessionId: string;
let userId: string;

beforeAll(async () => {
  fx = await startConsoleFixture({ name: 'detail', env: { LOCAL_CLERK_RATE_LIMIT: '0' } });
  ({ api, db } = fx);
  clerk = await import('@/lib/clerk');
  detail = await import('./detail-activity');
  const users = await api.clerk.users.getUserList({ limit: 20, orderBy: '-last_active_at' });
  for (const u of users.data) {
    const list = await api.clerk.sessions.getSessionList({ userId: u.id, status: 'active' });
    const withActivity = list.data.find((s) => s.latestActivity?.city);
    if (withActivity) {
      sessionId = withActivity.id;
      userId = u.id;
      break;
    }
  }
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

beforeEach(async () => {
  await api.faults.set([
    { method: 'GET', path: '^/v1/sessions/sess_[A-Za-z0-9]+$', omit: ['latest_activity'] },
  ]);
  await db.deleteFrom('session_index').execute();
});

describe('the session detail without latest_activity', () => {
  it('is what the fault rule makes the embedded API answer', async () => {
    const session = await clerk.getSession(sessionId);
    expect(session.id).toBe(sessionId);
    expect(session.latestActivity).toBeNull();
    await api.faults.clear();
    expect((await clerk.getSession(sessionId)).latestActivity).not.toBeNull();
  });

  it('takes device, address and place from the user’s list when the index has no row', async () => {
    const listed = (await clerk.listSessions({ userId, status: 'all', limit: 500, offset: 0 })).data.find(
      (s) => s.id === sessionId,
    );
    const session = await clerk.getSession(sessionId);
    expect(await detail.detailActivity(session)).toEqual({
      activity: listed?.latestActivity,
      source: 'list',
    });
  });

  it('takes them from the session index first', async () => {
    const session = await clerk.getSession(sessionId);
    const { sessionIndex } = await import('@/lib/session-index/store');
    await sessionIndex(db).upsert(
      {
        sessionId,
        userId,
        clientId: session.clientId,
        status: 'active',
        createdAt: session.createdAt,
        updatedAt: session.updatedAt,
        lastActiveAt: session.lastActiveAt,
        expireAt: session.expireAt,
        ip: '2001:db8::7',
        city: 'Porto',
        country: 'PT',
        deviceType: 'iPad',
        browserName: 'Safari',
        browserVersion: '18.1',
        isMobile: true,
        actor: null,
        userName: null,
        userEmail: null,
      },
      { source: 'webhook' },
    );
    expect(await detail.detailActivity(session)).toEqual({
      source: 'index',
      activity: {
        deviceType: 'iPad',
        browserName: 'Safari',
        browserVersion: '18.1',
        isMobile: true,
        ipAddress: '2001:db8::7',
        city: 'Porto',
        country: 'PT',
      },
    });
  });

  it('says nothing more when Clerk’s answer has the activity', async () => {
    await api.faults.clear();
    const session = await clerk.getSession(sessionId);
    expect(await detail.detailActivity(session)).toEqual({
      activity: session.latestActivity,
      source: 'session',
    });
  });
});
