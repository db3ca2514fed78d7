import { describe, expect, it } from 'vitest';
import { nounFor, plural } from './plural';

describe('plural', () => {
  it('uses the singular for exactly one and the plural otherwise, zero included', () => {
    expect(plural(1, 'session')).toBe('1 session');
    expect(plural(0, 'session')).toBe('0 sessions');
    expect(plural(2, 'older session')).toBe('2 older sessions');
  });

  it('groups digits the same way on every machine', () => {
    expect(plural(8421, 'session')).toBe('8,421 sessions');
  });

  it('takes an irregular plural', () => {
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
    expect(nounFor(1, 'entry', 'entries')).toBe('entry');
  });
});
