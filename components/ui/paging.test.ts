import { describe, expect, it } from 'vitest';
import { pageInfo } from './paging';
import { formatExact, formatRelative, tickIntervalFor } from './time-format';

describe('pageInfo', () => {
  it('describes the first, a middle and the last page of 5,000 rows', () => {
    expect(pageInfo(5000, 25, 0)).toMatchObject({
      from: 1,
      to: 25,
      page: 1,
      pageCount: 200,
      prevOffset: null,
      nextOffset: 25,
      lastOffset: 4975,
    });
    expect(pageInfo(5000, 100, 200)).toMatchObject({
      from: 201,
      to: 300,
      page: 3,
      pageCount: 50,
      prevOffset: 100,
      nextOffset: 300,
    });
    expect(pageInfo(5000, 25, 4975)).toMatchObject({ from: 4976, to: 5000, page: 200, nextOffset: null });
  });

  it('handles an empty list, a short last page and an offset past the end', () => {
    expect(pageInfo(0, 25, 0)).toMatchObject({
      from: 0,
      to: 0,
      page: 1,
      pageCount: 1,
      prevOffset: null,
      nextOffset: null,
    });
    expect(pageInfo(6, 4, 4)).toMatchObject({ from: 5, to: 6, nextOffset: null, prevOffset: 0 });
    expect(pageInfo(6, 25, 100)).toMatchObject({ from: 0, to: 100, nextOffset: null, prevOffset: 75 });
  });

  it('clamps a nonsensical limit to 1 rather than dividing by zero', () => {
    expect(pageInfo(3, 0, 0).pageCount).toBe(3);
  });
});

describe('time formatting', () => {
  const now = Date.UTC(2026, 4, 12, 10, 0, 0);
  it('gives the exact time in UTC whatever the machine timezone', () => {
    expect(formatExact(now)).toBe('2026-05-12 10:00:00 UTC');
    expect(formatExact(Number.NaN)).toBe('—');
  });
  it('says past and future relative to now', () => {
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 minutes ago');
    expect(formatRelative(now + 6 * 86_400_000, now)).toBe('in 6 days');
    expect(formatRelative(now - 2_000, now)).toBe('just now');
    expect(formatRelative(now + 4_000, now)).toBe('just now');
    expect(formatRelative(now - 15_000, now)).toBe('15 seconds ago');
  });
  it('ticks often while recent and rarely once old', () => {
    expect(tickIntervalFor(now - 10_000, now)).toBe(5_000);
    expect(tickIntervalFor(now - 10 * 60_000, now)).toBe(30_000);
    expect(tickIntervalFor(now - 2 * 86_400_000, now)).toBe(300_000);
  });
});
