import { describe, expect, it } from 'vitest';
import { isConsoleFetch, readBodyLimited } from './request-checks';

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

describe('the body limit', () => {
  it('refuses on Content-Length before reading, and counts a chunked body as it arrives', async () => {
    expect(await readBodyLimited(req({ 'content-length': '11' }, 'hello world'), 10)).toBe('too_large');
    expect(await readBodyLimited(req({}, 'exactly10!'), 10)).toBe('exactly10!');
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(4).fill(97));
      },
    });
    expect(await readBodyLimited(req({}, endless), 10)).toBe('too_large');
    expect(pulled).toBeLessThan(10);
  });
});
