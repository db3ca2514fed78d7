import 'server-only';
import { describe, expect, it } from 'vitest';
import { classifySearch, clientIdSchema, sessionIdSchema, templateNameSchema, userIdSchema } from './ids';

const HOSTILE_SUFFIXES = [
  '../users',
  '..',
  '%2F..%2Fusers',
  '%2e%2e',
  'abc/revoke',
  'abc?status=active',
  'abc#frag',
  'abc def',
  'abc\tdef',
  'abc\n',
  ' abc',
  'abc\u0000',
  'abc\u007f',
  'abc\u200b', // zero-width space
  'abc\u202e', // right-to-left override
  'аbc', // Cyrillic а
  'ａｂｃ', // fullwidth
  'abc.def',
  'abc-def',
  'abc_def',
  'abc;def',
  'abc\\def',
  '',
];

describe.each([
  ['session', sessionIdSchema, 'sess_'],
  ['user', userIdSchema, 'user_'],
  ['client', clientIdSchema, 'client_'],
])('%s id schema', (_label, schema, prefix) => {
  it('accepts the prefix followed by 1 to 64 letters and digits', () => {
    expect(schema.safeParse(`${prefix}2abcDEF123`).success).toBe(true);
    expect(schema.safeParse(`${prefix}x`).success).toBe(true);
    expect(schema.safeParse(`${prefix}${'a'.repeat(64)}`).success).toBe(true);
  });

  it.each(HOSTILE_SUFFIXES)('rejects %j after the prefix', (suffix) => {
    expect(schema.safeParse(`${prefix}${suffix}`).success).toBe(false);
  });

  it('rejects oversize input (65 characters after the prefix, and 10,000 characters)', () => {
    expect(schema.safeParse(`${prefix}${'a'.repeat(65)}`).success).toBe(false);
    expect(schema.safeParse(`${prefix}${'a'.repeat(10_000)}`).success).toBe(false);
  });

  it('rejects other prefixes, a missing prefix, an upper-case prefix and non-strings', () => {
    const others = ['sess_', 'user_', 'client_'].filter((p) => p !== prefix);
    for (const other of others) expect(schema.safeParse(`${other}abc123`).success).toBe(false);
    expect(schema.safeParse('abc123').success).toBe(false);
    expect(schema.safeParse(`${prefix.toUpperCase()}abc123`).success).toBe(false);
    expect(schema.safeParse(`x${prefix}abc123`).success).toBe(false);
    expect(schema.safeParse(123).success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
    expect(schema.safeParse([`${prefix}abc`]).success).toBe(false);
  });
});

describe('templateNameSchema', () => {
  it('accepts letters, digits, _ and - up to 64 characters', () => {
    for (const name of ['support-debug', 'hasura', 'long_lived', 'A1', 'x'.repeat(64)]) {
      expect(templateNameSchema.safeParse(name).success).toBe(true);
    }
  });
  it.each([
    '',
    '../jwks',
    'a/b',
    'a?b',
    'a#b',
    'a%2Fb',
    'a b',
    'a.b',
    '..',
    'a\n',
    'hаsura',
    'x'.repeat(65),
    'x'.repeat(10_000),
  ])('rejects %j', (name) => {
    expect(templateNameSchema.safeParse(name).success).toBe(false);
  });
});

describe('classifySearch', () => {
  it('recognises ids by their prefix', () => {
    expect(classifySearch('sess_2abc')).toEqual({ kind: 'session', id: 'sess_2abc' });
    expect(classifySearch('  user_2abc ')).toEqual({ kind: 'user', id: 'user_2abc' });
    expect(classifySearch('client_2abc')).toEqual({ kind: 'client', id: 'client_2abc' });
  });

  it('never turns a malformed or look-alike id into an id lookup', () => {
    expect(classifySearch('sess_../users')?.kind).toBe('text');
    expect(classifySearch('sess_abc%2F')?.kind).toBe('text');
    expect(classifySearch('ｓｅｓｓ_abc')?.kind).toBe('text'); // fullwidth prefix
    expect(classifySearch('user_аbc')?.kind).toBe('text'); // Cyrillic а
    expect(classifySearch(`sess_${'a'.repeat(65)}`)?.kind).toBe('text');
  });

  it('lower-cases emails and keeps them whole', () => {
    expect(classifySearch('Ada.Lovelace@Example.com')).toEqual({
      kind: 'email',
      value: 'ada.lovelace@example.com',
    });
    expect(classifySearch('a+tag@sub.example.co.uk')).toEqual({
      kind: 'email',
      value: 'a+tag@sub.example.co.uk',
    });
  });

  it('normalises phone numbers to + and digits', () => {
    expect(classifySearch('+1 (555) 010-0199')).toEqual({ kind: 'phone', value: '+15550100199' });
    expect(classifySearch('0612345678')).toEqual({ kind: 'phone', value: '0612345678' });
  });

  it('treats names and partial input as free text', () => {
    expect(classifySearch('Ada Lovelace')).toEqual({ kind: 'text', value: 'Ada Lovelace' });
    expect(classifySearch('ada@')).toEqual({ kind: 'text', value: 'ada@' });
    expect(classifySearch('12345')).toEqual({ kind: 'text', value: '12345' });
  });

  it('refuses empty, oversize and control-character input', () => {
    expect(classifySearch('')).toBeNull();
    expect(classifySearch('   ')).toBeNull();
    expect(classifySearch('a'.repeat(257))).toBeNull();
    expect(classifySearch('a'.repeat(10_000))).toBeNull();
    expect(classifySearch('ada\u0000lovelace')).toBeNull();
    expect(classifySearch('ada\nlovelace')).toBeNull();
    expect(classifySearch('ada\u202elovelace')).toBeNull();
    expect(classifySearch('ada\u200blovelace')).toBeNull();
  });
});
