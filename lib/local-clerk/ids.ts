// `<prefix>_` + a 27-character base62 KSUID, so ids look and sort like Clerk's.
import { randomBytes } from 'node:crypto';
import { idPattern } from '@/lib/vocabulary';

export const ID_PREFIX = {
  session: 'sess',
  user: 'user',
  client: 'client',
  identification: 'idn',
  sessionActivity: 'sess_activity',
  jwtTemplate: 'jtmp',
  instance: 'ins',
  organization: 'org',
  externalAccount: 'eac',
} as const;
export type IdPrefix = (typeof ID_PREFIX)[keyof typeof ID_PREFIX];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const KSUID_LENGTH = 27;

export function ksuid(atMs: number, payload: Uint8Array): string {
  if (payload.length !== 16) throw new Error('KSUID payload must be 16 bytes');
  const seconds = Math.max(0, Math.floor(atMs / 1000) - KSUID_EPOCH_SECONDS) >>> 0;
  let n = BigInt(seconds);
  for (const byte of payload) n = (n << 8n) | BigInt(byte);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(KSUID_LENGTH, '0');
}

export function newId(prefix: IdPrefix, atMs: number = Date.now()): string {
  return `${prefix}_${ksuid(atMs, randomBytes(16))}`;
}

/** Strict, so a malformed path parameter is a plain 404 before it reaches SQL or a log line. */
export function isId(prefix: IdPrefix, value: string): boolean {
  return idPattern(prefix).test(value);
}
