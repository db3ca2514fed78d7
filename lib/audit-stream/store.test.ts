// The stream cursor's lease on both engines: one deliverer per receiver, and a deliverer that lost it changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { streamCursors } from './store';

const pg = postgresForThisFile();
const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const LEASE_MS = 30_000;

describe.each(TEST_ENGINES)('stream cursors on %s', (engine) => {
  let db: Db;
  let t = T0;
  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    db = await openTestDb(engine, pg.server);
    t = T0;
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  it('hands the receiver to one instance at a time; the one that lost it moves nothing', async () => {
    const cursors = streamCursors(db, () => new Date(t));
    await cursors.ensure('siem', 'webhook');
    const a = await cursors.claim('siem', 'instance-a', LEASE_MS);
    expect(a).toMatchObject({ cursor: 0, generation: 0, leaseOwner: 'instance-a' });
    expect(await cursors.claim('siem', 'instance-b', LEASE_MS)).toBeNull();
    expect(await cursors.advance('siem', 'instance-a', { generation: 0, from: 0, to: 5, delivered: 5 })).toBe(
      true,
    );

    // instance-a stalls past its lease and instance-b takes over.
    t = T0 + LEASE_MS + 1;
    expect(await cursors.claim('siem', 'instance-b', LEASE_MS)).toMatchObject({
      cursor: 5,
      leaseOwner: 'instance-b',
    });
    expect(await cursors.advance('siem', 'instance-a', { generation: 0, from: 5, to: 9, delivered: 4 })).toBe(
      false,
    );
    await cursors.failed('siem', 'instance-a', {
      generation: 0,
      attempts: 1,
      retryAt: new Date(t),
      error: 'late',
    });
    await cursors.release('siem', 'instance-a');
    expect(await cursors.list()).toMatchObject([
      { cursor: 5, delivered: 5, attempts: 0, lastError: null, leaseOwner: 'instance-b' },
    ]);
    expect(await cursors.claim('siem', 'instance-a', LEASE_MS)).toBeNull();

    // A rewind meanwhile: the holder's in-flight advance, made for the old generation, is refused too.
    expect(await cursors.rewind('siem', 2)).toBe(5);
    expect(await cursors.advance('siem', 'instance-b', { generation: 0, from: 5, to: 9, delivered: 4 })).toBe(
      false,
    );
    expect(await cursors.advance('siem', 'instance-b', { generation: 1, from: 2, to: 9, delivered: 7 })).toBe(
      true,
    );
    await cursors.release('siem', 'instance-b');
    expect(await cursors.claim('siem', 'instance-a', LEASE_MS)).toMatchObject({ cursor: 9, generation: 1 });
  });

  it('gives the receiver to exactly one of many instances claiming at once', async () => {
    const cursors = streamCursors(db, () => new Date(t));
    await cursors.ensure('siem', 'webhook');
    const got = await Promise.all(
      Array.from({ length: 6 }, (_, i) => cursors.claim('siem', `instance-${i}`, LEASE_MS)),
    );
    expect(got.filter((s) => s !== null)).toHaveLength(1);
  });
});
