import { describe, expect, it } from 'vitest';
import { isConsoleFetch } from './request-checks';

const req = (headers: Record<string, string>, body?: BodyInit) =>
  new Request('http://console.test/api/jobs/incident', {
    method: 'POST',
    headers: { host: 'console.test', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

describe('only the console’s own fetch', () => {
  it('takes a same-origin fetch carrying the console header', () => {
    expect(
      isConsoleFetch(
        req({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'x-console-fetch': '1' }),
      ),
    ).toBe(true);
    expect(isConsoleFetch(req({ origin: 'http://console.test', 'x-console-fetch': '1' }))).toBe(true);
  });
  it('refuses cross-site, same-site, navigations, foreign origins and requests without the header', () => {
    expect(isConsoleFetch(req({ 'sec-fetch-site': 'cross-site', 'x-console-fetch': '1' }))).toBe(false);
    expect(isConsoleFetch(req({ 'sec-fetch-site': 'same-site', 'x-console-fetch': '1' }))).toBe(false);
    expect(isConsoleFetch(req({ 'sec-fetch-site': 'none', 'x-console-fetch': '1' }))).toBe(false);
    expect(
      isConsoleFetch(
        req({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'x-console-fetch': '1' }),
      ),
    ).toBe(false);
    expect(isConsoleFetch(req({ origin: 'https://evil.example', 'x-console-fetch': '1' }))).toBe(false);
    expect(isConsoleFetch(req({ 'sec-fetch-site': 'same-origin' }))).toBe(false);
  });
});
