import { describe, expect, it } from 'vitest';
import { assertLoopback, CookieJar, parseActionResult, sessionIdsIn, userIdsIn } from './console-http';
import { countWaves } from './measures';

describe('parseActionResult', () => {
  it('returns the row the head row points at, with React escapes undone', () => {
    const body =
      '0:{"a":"$@1","q":"?user_id=user_1","i":false,"b":"build"}\n' +
      '1:{"ok":false,"kind":"invalid_input","message":"$$5 off","traceId":"$undefined"}\n';
    expect(parseActionResult(body)).toEqual({ ok: false, kind: 'invalid_input', message: '$5 off' });
  });

  it('is undefined for a stream with no action result (an HTML error page, a redirect)', () => {
    expect(parseActionResult('<!DOCTYPE html><html></html>')).toBeUndefined();
    expect(parseActionResult('0:{"b":"build"}\n')).toBeUndefined();
  });
});

describe('CookieJar', () => {
  const res = (...cookies: string[]) => {
    const h = new Headers();
    for (const c of cookies) h.append('set-cookie', c);
    return new Response(null, { headers: h });
  };

  it('keeps only the console session cookie, and forgets it when the server clears it', () => {
    const jar = new CookieJar();
    jar.absorb(res('authjs.csrf-token=abc; Path=/', 'console.session=v1; Path=/; HttpOnly'));
    expect(jar.header()).toBe('console.session=v1');
    jar.absorb(res('console.session=v2; Path=/'));
    expect(jar.header()).toBe('console.session=v2');
    jar.absorb(res('console.session=; Path=/; Max-Age=0'));
    expect(jar.signedIn).toBe(false);
  });
});

describe('assertLoopback', () => {
  it('refuses anything but this machine', () => {
    expect(assertLoopback('http://127.0.0.1:3000/x').origin).toBe('http://127.0.0.1:3000');
    expect(assertLoopback('http://localhost:3000').hostname).toBe('localhost');
    expect(() => assertLoopback('https://console.example.com')).toThrow(/loopback/);
    expect(() => assertLoopback('http://10.0.0.5:3000')).toThrow(/loopback/);
  });
});

describe('page scraping', () => {
  it('finds user and session ids once each', () => {
    const html =
      '<a href="/sessions?user_id=user_A1">x</a><a href="/sessions?user_id=user_A1">y</a>' +
      '<tr data-session-id="sess_1"></tr><tr data-session-id="sess_2"></tr>';
    expect(userIdsIn(html)).toEqual(['user_A1']);
    expect(sessionIdsIn(html)).toEqual(['sess_1', 'sess_2']);
  });
});

describe('countWaves', () => {
  it('counts requests arriving together as one round trip', () => {
    expect(countWaves([])).toBe(0);
    expect(countWaves([1000, 1003])).toBe(1);
    expect(countWaves([1000, 1003, 1055, 1110])).toBe(3);
  });
});
