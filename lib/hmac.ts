import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacTag(key: string | Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

// Compared as text: base64url decoding ignores a last character's spare bits, so an altered tag could decode equal.
export function sameTag(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
