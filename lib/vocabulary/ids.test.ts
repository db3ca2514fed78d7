import { describe, expect, it } from 'vitest';
import { actorOf, CLIENT_ID, idPattern, SESSION_ID, USER_ID } from '@/lib/vocabulary';

describe('id patterns', () => {
  it('take the prefix, an underscore and 1–64 letters or digits, nothing else', () => {
    expect(SESSION_ID.test('sess_2abcXYZ09')).toBe(true);
    expect(USER_ID.test(`user_${'a'.repeat(64)}`)).toBe(true);
    expect(USER_ID.test(`user_${'a'.repeat(65)}`)).toBe(false);
    expect(CLIENT_ID.test('client_')).toBe(false);
    for (const hostile of ['sess_a/../b', 'sess_a%2F', 'sess_a\n', ' sess_a', 'user_a', 'sess_a_b'])
      expect(SESSION_ID.test(hostile), hostile).toBe(false);
  });

  it('builds the same rule for the embedded API’s other prefixes', () => {
    expect(idPattern('sess_activity').test('sess_activity_abc')).toBe(true);
    expect(idPattern('sess').test('sess_activity_abc')).toBe(false);
    expect(idPattern('sess')).toBe(SESSION_ID);
  });
});

describe('actorOf', () => {
  it('records a staff member as the audit log and the job store name them', () => {
    expect(actorOf({ id: 'stf_1', email: 'ada@example.com', role: 'support' })).toEqual({
      staffId: 'stf_1',
      email: 'ada@example.com',
      role: 'support',
    });
  });
});
