import { describe, expect, it } from 'vitest';
import { backfillProgress } from './progress';

const fill = { startedAt: 1, finishedAt: null, sessions: 0, cursor: '{}' };

describe('backfillProgress', () => {
  it('says how many users of how many are filled', () => {
    expect(backfillProgress({ ...fill, users: 1200, totalUsers: 3000 })).toBe(
      'Backfill 1,200 of 3,000 users (40 %)',
    );
    expect(backfillProgress({ ...fill, users: 2999, totalUsers: 3000 })).toBe(
      'Backfill 2,999 of 3,000 users (99 %)',
    );
  });

  it('says only how many so far until the API has told the total', () => {
    expect(backfillProgress({ ...fill, users: 0, totalUsers: null })).toBe('Backfill 0 users so far');
    expect(backfillProgress({ ...fill, users: 1 })).toBe('Backfill 1 user so far');
  });
});
