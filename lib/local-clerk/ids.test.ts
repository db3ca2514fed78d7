import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { ID_PREFIX, isId, ksuid, newId } from './ids';

describe('ids', () => {
  it('encodes 27-character base62 KSUIDs that sort by time', () => {
    const zero = new Uint8Array(16);
    const max = new Uint8Array(16).fill(255);
    expect(ksuid(1_400_000_000_000, zero)).toBe('0'.repeat(27));
    expect(ksuid(Date.UTC(2106, 0, 1), max)).toMatch(/^[0-9A-Za-z]{27}$/);
    const early = ksuid(Date.UTC(2025, 0, 1), max);
    const late = ksuid(Date.UTC(2025, 0, 2), zero);
    expect(early < late).toBe(true);
    expect(newId(ID_PREFIX.session)).toMatch(/^sess_[0-9A-Za-z]{27}$/);
    expect(newId(ID_PREFIX.sessionActivity)).toMatch(/^sess_activity_[0-9A-Za-z]{27}$/);
    expect(newId(ID_PREFIX.user)).not.toBe(newId(ID_PREFIX.user));
  });

  it('accepts only the expected prefix followed by alphanumerics', () => {
    expect(isId('sess', `sess_${'a'.repeat(27)}`)).toBe(true);
    for (const bad of [
      'sess_',
      'sess',
      `user_${'a'.repeat(27)}`,
      'sess_a-b',
      'sess_a b',
      'sess_a/b',
      'sess_..',
      `sess_${'a'.repeat(65)}`,
      'sess_activity_abc',
      'SESS_abc',
      'sess_ä',
    ]) {
      expect(isId('sess', bad), bad).toBe(false);
    }
  });
});

describe('createRng', () => {
  it('is deterministic per seed and stream, and independent across streams', () => {
    const a = createRng('s', 'x');
    const b = createRng('s', 'x');
    const seq = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(seq);
    const c = createRng('s', 'y');
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(seq);
    expect(seq.every((v) => v >= 0 && v < 1)).toBe(true);
    const r = createRng('s', 'ints');
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v >= 3 && v <= 5 && Number.isInteger(v)).toBe(true);
    }
  });
});
