// A user's timeline on both engines: the index's sessions on one axis, the console's revokes with who and why.
import { describe, expect, it } from 'vitest';
import { auditLog } from '@/lib/audit';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest, postgresForThisFile } from '@/lib/testing/engines';
import { sessionIndex } from './store';
import { newSessionsSince, readTimeline } from './timeline';
import type { SessionIndexInput } from './types';

const pg = postgresForThisFile();
const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const H = 3_600_000;

const session = (p: Partial<SessionIndexInput>): SessionIndexInput => ({
  sessionId: 'sess_x',
  userId: 'user_t',
  clientId: 'client_1',
  status: 'active',
  createdAt: T0,
  updatedAt: T0,
  lastActiveAt: T0,
  expireAt: T0 + 7 * 24 * H,
  ip: '198.51.100.4',
  city: 'Lyon',
  country: 'FR',
  deviceType: 'Macintosh',
  browserName: 'Firefox',
  browserVersion: '133',
  isMobile: false,
  actor: null,
  userName: 'Tess',
  userEmail: 'tess@example.com',
  ...p,
});

describe.each(TEST_ENGINES)('a user timeline on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  it('puts sign-ins, activity and endings on one axis, with who revoked and why for the console’s revokes', async () => {
    await sessionIndex(current.db).upsert(
      [
        session({
          sessionId: 'sess_a',
          createdAt: T0,
          lastActiveAt: T0 + H,
          updatedAt: T0 + 2 * H,
          status: 'revoked',
        }),
        session({
          sessionId: 'sess_b',
          createdAt: T0 + 3 * H,
          lastActiveAt: T0 + 5 * H,
          updatedAt: T0 + 5 * H,
        }),
        session({
          sessionId: 'sess_c',
          createdAt: T0 + 4 * H,
          lastActiveAt: T0 + 4 * H,
          updatedAt: T0 + 6 * H,
          status: 'ended',
        }),
        session({ sessionId: 'sess_other', userId: 'user_other', createdAt: T0 + 9 * H }),
      ],
      { source: 'webhook', now: T0 + 7 * H },
    );
    const audit = auditLog(current.db, { now: () => new Date(T0 + 2 * H) });
    const intent = await audit.begin({
      actor: { staffId: 'st_1', email: 'support@example.com', role: 'support' },
      action: 'session.revoke',
      target: { sessionId: 'sess_a' },
      details: { reason: 'laptop stolen, ticket 4411' },
      ctx: { ip: null, userAgent: null },
    });
    await audit.resolve(intent.id, 'succeeded', {});
    const t = await readTimeline(current.db, 'user_t', { limit: 100 });
    expect(t.sessions).toBe(3);
    expect(t.truncated).toBe(false);
    expect(t.events.map((e) => [e.kind, e.sessionId, e.at - T0])).toEqual([
      ['ended', 'sess_c', 6 * H],
      ['active', 'sess_b', 5 * H],
      ['created', 'sess_c', 4 * H],
      ['created', 'sess_b', 3 * H],
      ['revoked', 'sess_a', 2 * H],
      ['active', 'sess_a', H],
      ['created', 'sess_a', 0],
    ]);
    expect(t.events[4]?.revokedBy).toEqual({
      email: 'support@example.com',
      reason: 'laptop stolen, ticket 4411',
      outcome: 'succeeded',
      jobId: null,
      reasonCode: null,
      ticket: null,
    });
    expect(t.events[0]?.revokedBy).toBeNull();
    expect(t.events[3]).toMatchObject({
      ip: '198.51.100.4',
      place: { city: 'Lyon', country: 'FR' },
      device: 'Macintosh · Firefox',
    });
    expect((await readTimeline(current.db, 'user_t', { limit: 2 })).truncated).toBe(true);
    expect(await newSessionsSince(current.db, 'user_t', T0 + 3 * H)).toBe(1);
    expect(await newSessionsSince(current.db, 'user_t', T0 + 4 * H)).toBe(0);
  });

  it('shows a console revoke the index has not heard of yet', async () => {
    await sessionIndex(current.db).upsert(session({ sessionId: 'sess_late', createdAt: T0 }), {
      source: 'webhook',
      now: T0,
    });
    const audit = auditLog(current.db, { now: () => new Date(T0 + H) });
    const intent = await audit.begin({
      actor: { staffId: 'st_2', email: 'admin@example.com', role: 'admin' },
      action: 'session.revoke',
      target: { sessionId: 'sess_late', userId: 'user_t' },
      details: { reason: 'incident 7', jobId: 'job-1' },
      ctx: { ip: null, userAgent: null },
    });
    await audit.resolve(intent.id, 'succeeded', {});
    const t = await readTimeline(current.db, 'user_t', { limit: 10 });
    expect(t.events[0]).toMatchObject({
      kind: 'revoked',
      at: T0 + H,
      revokedBy: { email: 'admin@example.com', reason: 'incident 7', jobId: 'job-1', outcome: 'succeeded' },
    });
  });
});
