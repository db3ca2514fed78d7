import { describe, expect, it } from 'vitest';
import type { UserDto } from '@/lib/clerk/dto';
import {
  EMPTY_WATCHLIST,
  parseWatchlistState,
  refreshWatchlist,
  type ScanDeps,
  type WatchlistState,
} from './watchlist';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;

function user(id: string, lastActiveAt: number): UserDto {
  return {
    id,
    firstName: null,
    lastName: null,
    displayName: id,
    primaryEmail: null,
    primaryPhone: null,
    imageUrl: null,
    createdAt: 0,
    lastActiveAt,
    lastSignInAt: null,
    banned: false,
    locked: false,
  };
}

/**
 * Clerk's users list as the watchlist sees it: newest activity first (ties by id), `last_active_at_before` strict,
 * and no offset beyond 100,000 (the console's own page check refuses one).
 */
class FakeUsers {
  private sorted: UserDto[] = [];
  readonly scanned: string[] = [];
  constructor(users: UserDto[]) {
    this.set(users);
  }
  set(users: UserDto[]) {
    this.sorted = [...users].sort(
      (a, b) => b.lastActiveAt! - a.lastActiveAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }
  touch(id: string, at: number) {
    this.set(this.sorted.map((u) => (u.id === id ? user(id, at) : u)));
  }
  deps(maxRequests: number): ScanDeps {
    return {
      now: NOW,
      windowMs: DAY,
      maxRequests,
      listUsers: async (q) => {
        expect(q).not.toHaveProperty('offset');
        // Binary searches: the list is long in one test. `from`: the first user active before `before`;
        // `to`: the first one not active after `since`.
        const firstBelow = (bound: number) => {
          let lo = 0;
          let hi = this.sorted.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.sorted[mid]!.lastActiveAt! >= bound) lo = mid + 1;
            else hi = mid;
          }
          return lo;
        };
        const from = q.before === null ? 0 : firstBelow(q.before);
        const to = firstBelow(q.since + 1);
        return {
          data: this.sorted.slice(from, Math.min(to, from + q.limit)),
          totalCount: Math.max(0, to - from),
        };
      },
      listSessions: async (userId) => {
        this.scanned.push(userId);
        return [];
      },
      signalsFor: async () => [],
      describe: () => 'failed',
    };
  }
}

async function completePass(fake: FakeUsers, state: WatchlistState, maxRequests: number) {
  for (let i = 0; i < 10_000; i++) {
    state = await refreshWatchlist(state, fake.deps(maxRequests));
    if (state.cursor === null) return state;
  }
  throw new Error('the pass never completed');
}

describe('the watchlist scan pages by keyset', () => {
  it('scans everyone once over many small refreshes, a user who becomes active mid-pass skipping nobody', async () => {
    const users = Array.from({ length: 30 }, (_, i) =>
      user(`user_${String(i).padStart(2, '0')}`, NOW - (i + 1) * 60_000),
    );
    const fake = new FakeUsers(users);
    let state = await refreshWatchlist(EMPTY_WATCHLIST, fake.deps(8));
    expect(fake.scanned.length).toBeGreaterThan(0);
    // A user the pass has not reached yet signs in: with an offset, everyone already scanned would shift down one
    // place and the scan would step over the next user.
    fake.touch('user_25', NOW - 1_000);
    state = await completePass(fake, state, 8);
    const others = users.map((u) => u.id).filter((id) => id !== 'user_25');
    expect(fake.scanned.filter((id) => id !== 'user_25').sort()).toEqual(others);
    expect(new Set(fake.scanned).size).toBe(fake.scanned.length);
    expect(state.lastPassCompletedAt).toBe(NOW);
    // The next pass starts from the most recently active: the user who moved is the first one seen.
    fake.scanned.length = 0;
    await refreshWatchlist(state, fake.deps(8));
    expect(fake.scanned[0]).toBe('user_25');
  });

  it('steps through users active at the same instant across page boundaries, each once', async () => {
    const sameInstant = NOW - 3_600_000;
    const users = [
      ...Array.from({ length: 7 }, (_, i) => user(`user_a${i}`, NOW - i * 1000)),
      ...Array.from({ length: 25 }, (_, i) => user(`user_t${String(i).padStart(2, '0')}`, sameInstant)),
      ...Array.from({ length: 5 }, (_, i) => user(`user_z${i}`, sameInstant - (i + 1) * 1000)),
    ];
    const fake = new FakeUsers(users);
    const state = await completePass(fake, EMPTY_WATCHLIST, 9);
    expect([...fake.scanned].sort()).toEqual(users.map((u) => u.id).sort());
    expect(state.lastPassScanned).toBe(users.length);
  });

  it('goes past 100,000 users, where an offset could not', async () => {
    const users = Array.from({ length: 100_250 }, (_, i) => user(`user_${i}`, NOW - 1 - i * 10));
    const fake = new FakeUsers(users);
    const state = await refreshWatchlist(EMPTY_WATCHLIST, fake.deps(110_000));
    expect(state.lastRefresh?.error).toBeNull();
    expect(state.lastPassScanned).toBe(100_250);
    expect(new Set(fake.scanned).size).toBe(100_250);
  });
});

describe('stored watchlist state', () => {
  it('starts a clean pass from an offset cursor an older version stored, or a broken one', () => {
    for (const cursor of [1234, '5', { before: 'x', seen: [] }, { before: 5, seen: [1] }]) {
      const state = parseWatchlistState(JSON.stringify({ ...EMPTY_WATCHLIST, cursor, passScanned: 1234 }));
      expect(state.cursor).toBeNull();
      expect(state.passScanned).toBe(0);
    }
    const kept = parseWatchlistState(
      JSON.stringify({ ...EMPTY_WATCHLIST, cursor: { before: 42, seen: ['user_1'] }, passScanned: 7 }),
    );
    expect(kept).toMatchObject({ cursor: { before: 42, seen: ['user_1'] }, passScanned: 7 });
  });
});
