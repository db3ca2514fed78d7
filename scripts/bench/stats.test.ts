import { describe, expect, it } from 'vitest';
import { fmt, markdownTable, median, percentile, summarize } from './stats';

describe('percentile', () => {
  it('interpolates between closest ranks and ignores input order', () => {
    const xs = [40, 10, 30, 20];
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 100)).toBe(40);
    expect(median(xs)).toBe(25);
    expect(percentile(xs, 95)).toBeCloseTo(38.5);
    expect(xs).toEqual([40, 10, 30, 20]); // not sorted in place
  });

  it('is NaN with no samples, and the table shows that as a dash', () => {
    expect(summarize([]).p50).toBeNaN();
    expect(fmt(Number.NaN)).toBe('—');
    expect(fmt(1.26)).toBe('1.3');
  });
});

describe('markdownTable', () => {
  it('escapes pipes and line breaks so a cell cannot break the table', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 'line\nbreak']])).toBe(
      '| a | b |\n| --- | --- |\n| x\\|y | line break |',
    );
  });
});
