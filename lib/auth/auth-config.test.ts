import { describe, expect, it } from 'vitest';
import { safeCallbackPath, safeRedirectTarget } from './auth.config';
import { roleForEmail } from './oidc-roles';
import { requestContextFrom } from '../request-context';

describe('redirects after sign-in stay on this origin', () => {
  const base = 'https://console.example.com';
  it.each([
    ['/sessions?user_id=user_1', `${base}/sessions?user_id=user_1`],
    [`${base}/audit`, `${base}/audit`],
    ['https://evil.example/phish', `${base}/`],
    ['//evil.example/phish', `${base}/`],
    ['/\\evil.example', `${base}/`],
    ['javascript:alert(1)', `${base}/`],
    ['https://console.example.com.evil.example/', `${base}/`],
  ])('%s → %s', (url, expected) => {
    expect(safeRedirectTarget(url, base)).toBe(expected);
  });

  it('treats 127.0.0.1 and localhost on the same port as one origin, and nothing else', () => {
    expect(safeRedirectTarget('http://127.0.0.1:3000/users', 'http://localhost:3000')).toBe(
      'http://127.0.0.1:3000/users',
    );
    expect(safeRedirectTarget('http://127.0.0.1:4000/users', 'http://localhost:3000')).toBe(
      'http://localhost:3000/',
    );
    expect(safeRedirectTarget('http://127.0.0.1:3000/users', 'https://console.example.com')).toBe(
      'https://console.example.com/',
    );
  });

  it.each([
    [null, '/'],
    ['/sessions?status=all', '/sessions?status=all'],
    ['https://evil.example', '/'],
    ['//evil.example', '/'],
    ['/\\evil', '/'],
    ['/ok\r\nSet-Cookie: x=1', '/'],
    ['/sign-in?callbackUrl=//evil', '/'],
    ['/api/auth/signout', '/'],
  ])('callbackUrl %s → %s', (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });
});

describe('SSO role allowlist', () => {
  const rules = [
    { match: 'alice@corp.example', role: 'admin' as const },
    { match: '@corp.example', role: 'viewer' as const },
  ];
  it('prefers an exact email over its domain, case-insensitively', () => {
    expect(roleForEmail('Alice@Corp.Example', rules)).toBe('admin');
    expect(roleForEmail('bob@corp.example', rules)).toBe('viewer');
  });
  it('grants nothing to an email no rule names, or a look-alike domain', () => {
    expect(roleForEmail('eve@evil.example', rules)).toBeNull();
    expect(roleForEmail('eve@corp.example.evil.example', rules)).toBeNull();
    expect(roleForEmail('eve@subcorp.example', rules)).toBeNull();
    expect(roleForEmail('not-an-email', rules)).toBeNull();
  });
});

describe('request context', () => {
  it("reads only the proxy's client address, never X-Forwarded-For or X-Real-IP", () => {
    const h = new Headers({ 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '7.7.7.7', 'user-agent': 'UA' });
    expect(requestContextFrom(h)).toEqual({ ip: null, userAgent: 'UA' });
    h.set('x-console-client-ip', '203.0.113.9');
    expect(requestContextFrom(h)).toEqual({ ip: '203.0.113.9', userAgent: 'UA' });
  });
  it('bounds what it keeps', () => {
    const h = new Headers({ 'x-console-client-ip': '198.51.100.1', 'user-agent': 'x'.repeat(5000) });
    expect(requestContextFrom(h).userAgent).toHaveLength(300);
  });
});
