// The risk tables on both engines: reviews keyed by occurrence, and the watchlist's shared state and lease.
import { describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '@/lib/testing/pg';
import { dbPerTest } from '@/lib/testing/engines';
import { postgresForThisFile } from '@/lib/testing/engines';
import { riskReviews } from './reviews';
import type { RiskSignal } from './types';
import { EMPTY_WATCHLIST, type ScanDeps } from './watchlist';
import { readWatchlist, refreshStoredWatchlist } from './watchlist-store';

const pg = postgresForThisFile();

const signal = (p: Partial<RiskSignal> = {}): RiskSignal => ({
  sessionId: 'sess_1',
  kind: 'impossible_travel',
  severity: 'high',
  evidence: 'somewhere',
  fingerprint: '0123456789abcdef',
  ...p,
});
const T0 = Date.parse('2026-11-26T12:00:00.000Z');

/** A scan that finds one user with one high signal, counting what it was asked. */
function fakeDeps(now: number, calls: { users: number; sessions: number }): ScanDeps {
  return {
    now,
    windowMs: 24 * 3600_000,
    maxRequests: 10,
    async listUsers() {
      calls.users++;
      return {
        data: [
          {
            id: 'user_1',
            firstName: 'Hélène',
            lastName: 'Huet',
            displayName: 'Hélène Huet',
            primaryEmail: 'helene@example.com',
            primaryPhone: null,
            imageUrl: null,
            createdAt: now - 1e9,
            lastActiveAt: now - 3600_000,
            lastSignInAt: now - 7200_000,
            banned: false,
            locked: false,
          },
        ],
        totalCount: 1,
      };
    },
    async listSessions() {
      calls.sessions++;
      return [];
    },
    signalsFor: async () => [{ ...signal(), review: null }],
    describe: () => 'failed',
  };
}

describe.each(TEST_ENGINES)('risk stores on %s', (engine) => {
  const current = dbPerTest(engine, pg);

  it('attaches a review to its occurrence only, and a second review replaces the note', async () => {
    const reviews = riskReviews(current.db);
    const staff = { id: 'stf_1', email: 'support@example.com' };
    await reviews.record({ ...signal(), userId: 'user_1', note: 'first look', staff, at: new Date(T0) });
    const newOccurrence = signal({ fingerprint: 'fedcba9876543210' });
    const otherKind = signal({ kind: 'new_country' });
    const [a, b, c] = await reviews.attach('user_1', [signal(), newOccurrence, otherKind]);
    expect(a?.review).toEqual({ note: 'first look', reviewedBy: 'support@example.com', reviewedAt: T0 });
    expect(b?.review).toBeNull();
    expect(c?.review).toBeNull();
    await reviews.record({
      ...signal(),
      userId: 'user_1',
      note: 'second\nlook\u0000',
      staff,
      at: new Date(T0 + 1000),
    });
    const [again] = await reviews.attach('user_1', [signal()]);
    expect(again?.review).toEqual({
      note: 'second\nlook',
      reviewedBy: 'support@example.com',
      reviewedAt: T0 + 1000,
    });
    expect(await reviews.attach('user_2', [signal()])).toEqual([{ ...signal(), review: null }]);
  });

  it('stores the watchlist for every instance and lets one instance scan at a time', async () => {
    expect(await readWatchlist(current.db)).toEqual({ state: EMPTY_WATCHLIST, refreshedAt: null });
    const calls = { users: 0, sessions: 0 };
    const opts = { minGapMs: 60_000, leaseMs: 120_000 };
    const results = await Promise.all(
      ['a', 'b', 'c'].map((owner) =>
        refreshStoredWatchlist(current.db, fakeDeps(T0, calls), { ...opts, owner }),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(calls).toEqual({ users: 1, sessions: 1 });
    const stored = await readWatchlist(current.db);
    expect(stored.refreshedAt?.getTime()).toBe(T0);
    expect(stored.state.entries.map((e) => [e.name, e.signals.map((s) => s.kind)])).toEqual([
      ['Hélène Huet', ['impossible_travel']],
    ]);
    expect(stored.state.lastPassCompletedAt).toBe(T0);
    // Too soon for another refresh; after the gap, the next one runs.
    expect(await refreshStoredWatchlist(current.db, fakeDeps(T0 + 30_000, calls), opts)).toBeNull();
    expect(await refreshStoredWatchlist(current.db, fakeDeps(T0 + 61_000, calls), opts)).not.toBeNull();
    expect(calls.users).toBe(2);
  });

  it('frees the lease when a refresh throws, so the next one is not locked out', async () => {
    const calls = { users: 0, sessions: 0 };
    const broken: ScanDeps = {
      ...fakeDeps(T0, calls),
      signalsFor: async () => {
        throw new Error('database gone');
      },
      describe: () => {
        throw new Error('describe failed too');
      },
    };
    const opts = { minGapMs: 0, leaseMs: 600_000 };
    await expect(refreshStoredWatchlist(current.db, broken, { ...opts, owner: 'a' })).rejects.toThrow();
    expect(
      await refreshStoredWatchlist(current.db, fakeDeps(T0 + 1, calls), { ...opts, owner: 'b' }),
    ).not.toBeNull();
  });
});
