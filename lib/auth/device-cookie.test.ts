import { describe, expect, it } from 'vitest';
import {
  cookieFromHeader,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  deviceCookieName,
  deviceCookieOptions,
  issueDeviceCookie,
  verifyDeviceCookie,
} from '@/lib/auth/device-cookie';

const SECRET = 'a-console-secret-of-at-least-32-characters';
const T0 = Date.parse('2026-05-01T10:00:00.000Z');

describe('device cookie', () => {
  it('names a browser for one account: verified for that email only, under this secret only', () => {
    const value = issueDeviceCookie(SECRET, 'Admin@Example.com', T0);
    const id = verifyDeviceCookie(SECRET, 'admin@example.com', value, T0 + 1000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifyDeviceCookie(SECRET, ' ADMIN@example.com ', value, T0)).toBe(id);
    expect(verifyDeviceCookie(SECRET, 'support@example.com', value, T0)).toBeNull();
    expect(verifyDeviceCookie(`${SECRET}x`, 'admin@example.com', value, T0)).toBeNull();
    // The email is not written into the cookie.
    expect(value).not.toMatch(/admin|example/i);
    // Each sign-in gets a new id.
    expect(
      verifyDeviceCookie(SECRET, 'admin@example.com', issueDeviceCookie(SECRET, 'admin@example.com', T0), T0),
    ).not.toBe(id);
  });

  it('refuses any altered character, a moved issue time, garbage, and an expired cookie', () => {
    const value = issueDeviceCookie(SECRET, 'admin@example.com', T0);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '.') continue;
      const other = [...alphabet].find(
        (c) => c !== value[i] && (/\d/.test(value[i]!) ? /\d/.test(c) : true),
      )!;
      const altered = value.slice(0, i) + other + value.slice(i + 1);
      expect(verifyDeviceCookie(SECRET, 'admin@example.com', altered, T0), altered).toBeNull();
    }
    const [id, , sig] = value.split('.');
    expect(
      verifyDeviceCookie(SECRET, 'admin@example.com', `${id}.${T0 / 1000 + 86_400}.${sig}`, T0),
    ).toBeNull();
    for (const junk of [null, '', 'x', `${value}.`, `${value}x`, value.replace(/\./g, '')])
      expect(verifyDeviceCookie(SECRET, 'admin@example.com', junk, T0)).toBeNull();
    const later = T0 + DEVICE_COOKIE_MAX_AGE_SECONDS * 1000;
    expect(verifyDeviceCookie(SECRET, 'admin@example.com', value, later)).not.toBeNull();
    expect(verifyDeviceCookie(SECRET, 'admin@example.com', value, later + 1000)).toBeNull();
  });

  it('is HttpOnly, SameSite=Lax, long-lived, and __Host- and Secure over https', () => {
    expect(deviceCookieName(false)).toBe('console.device');
    expect(deviceCookieName(true)).toBe('__Host-console.device');
    expect(deviceCookieOptions(true)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: true,
      maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
    });
    expect(deviceCookieOptions(false).secure).toBe(false);
    expect(DEVICE_COOKIE_MAX_AGE_SECONDS).toBeGreaterThanOrEqual(90 * 86_400);
  });

  it('reads one cookie from a Cookie header', () => {
    const h = 'console.session=abc; console.device=one.two.three; x=1; console.device=second';
    expect(cookieFromHeader(h, 'console.device')).toBe('one.two.three');
    expect(cookieFromHeader(h, 'device')).toBeNull();
    expect(cookieFromHeader(null, 'console.device')).toBeNull();
  });
});
