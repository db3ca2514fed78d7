import 'server-only';
import { hkdfSync, randomBytes } from 'node:crypto';
import { hmacTag, sameTag } from '@/lib/hmac';

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

export const deviceCookieName = (secure: boolean) => (secure ? '__Host-console.device' : 'console.device');

export function deviceCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure,
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  };
}

const keys = new Map<string, Buffer>();

/** A key of its own, derived from AUTH_SECRET: a device cookie can never be replayed as anything else. */
function keyFor(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'session-console', 'sign-in device cookie v1', 32));
    keys.set(secret, key);
  }
  return key;
}

const normal = (email: string) => email.trim().toLowerCase();

const tag = (secret: string, email: string, id: string, issuedAt: number) =>
  hmacTag(keyFor(secret), `v1\n${normal(email)}\n${id}\n${issuedAt}`);

export function issueDeviceCookie(secret: string, email: string, now = Date.now()): string {
  const id = randomBytes(16).toString('base64url');
  const issuedAt = Math.floor(now / 1000);
  return `${id}.${issuedAt}.${tag(secret, email, id, issuedAt)}`;
}

export function verifyDeviceCookie(
  secret: string,
  email: string,
  value: string | null | undefined,
  now = Date.now(),
): string | null {
  const m = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m) return null;
  const [, id, at, sig] = m as unknown as [string, string, string, string];
  const issuedAt = Number(at);
  const age = Math.floor(now / 1000) - issuedAt;
  if (age < -60 || age > DEVICE_COOKIE_MAX_AGE_SECONDS) return null;
  return sameTag(sig, tag(secret, email, id, issuedAt)) ? id : null;
}

export function cookieFromHeader(header: string | null, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
