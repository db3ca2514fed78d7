import 'server-only';
import { z } from 'zod';
import { CLIENT_ID, SESSION_ID, TEMPLATE_NAME, USER_ID, idPattern } from '@/lib/vocabulary';

// Length capped before the regex runs.
const MAX_ID_LENGTH = 80;

function prefixedId(prefix: string, label: string) {
  const pattern = idPattern(prefix);
  return z
    .string({ message: `Not a ${label} id.` })
    .max(MAX_ID_LENGTH, `Not a ${label} id.`)
    .regex(pattern, `Not a ${label} id (${prefix}_…).`);
}

export const sessionIdSchema = prefixedId('sess', 'session');
export const userIdSchema = prefixedId('user', 'user');
export const clientIdSchema = prefixedId('client', 'client');
export const templateNameSchema = z
  .string({ message: 'Not a template name.' })
  .max(MAX_ID_LENGTH, 'Not a template name.')
  .regex(TEMPLATE_NAME, 'Not a template name (letters, digits, _ and -).');

export type SearchTarget =
  | { kind: 'session' | 'user' | 'client'; id: string }
  | { kind: 'email' | 'phone' | 'text'; value: string };

const MAX_SEARCH_LENGTH = 256;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{1,63}$/;
const PHONE = /^\+?[0-9][0-9 ().-]{4,24}$/;

export function classifySearch(q: string): SearchTarget | null {
  if (typeof q !== 'string' || q.length > MAX_SEARCH_LENGTH * 4) return null;
  const trimmed = q.normalize('NFKC').trim();
  if (trimmed.length === 0 || trimmed.length > MAX_SEARCH_LENGTH) return null;
  // Control and invisible formatting characters (zero-width, bidi overrides) have no place in a search.
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(trimmed)) return null;
  // Ids are matched on the raw (trimmed) input, not the NFKC form, so a look-alike never becomes a real id.
  const rawTrimmed = q.trim();
  if (SESSION_ID.test(rawTrimmed)) return { kind: 'session', id: rawTrimmed };
  if (USER_ID.test(rawTrimmed)) return { kind: 'user', id: rawTrimmed };
  if (CLIENT_ID.test(rawTrimmed)) return { kind: 'client', id: rawTrimmed };
  if (EMAIL.test(trimmed)) return { kind: 'email', value: trimmed.toLowerCase() };
  if (PHONE.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    if (digits.length >= 6 && digits.length <= 15)
      return { kind: 'phone', value: `${trimmed.startsWith('+') ? '+' : ''}${digits}` };
  }
  return { kind: 'text', value: trimmed };
}
