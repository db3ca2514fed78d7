import { describe, expect, it } from 'vitest';
import { readLimitedBody } from './read-limited-body';

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('http://console.test/api', {
    method: 'POST',
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

function stream(chunks: number, size: number, onPull?: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      onPull?.();
      if (sent++ >= chunks) c.close();
      else c.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

describe('readLimitedBody', () => {
  it('reads a body up to the limit, byte for byte', async () => {
    expect(await readLimitedBody(post('exactly10!'), 10)).toEqual({ ok: true, text: 'exactly10!' });
    expect(await readLimitedBody(post('héllo'), 6)).toEqual({ ok: true, text: 'héllo' });
    expect(await readLimitedBody(post(null), 10)).toEqual({ ok: true, text: '' });
    expect(await readLimitedBody(post('too_large'), 10)).toEqual({ ok: true, text: 'too_large' });
  });

  it('refuses on the declared length before reading anything', async () => {
    const request = post(stream(1_000, 4), { 'content-length': '11' });
    expect(await readLimitedBody(request, 10)).toEqual({ ok: false });
    expect(request.body?.locked).toBe(false);
    expect(request.bodyUsed).toBe(false);
    expect(await readLimitedBody(post('x', { 'content-length': 'abc' }), 10)).toEqual({ ok: false });
  });

  it('counts a chunked body and stops reading once it passes the limit', async () => {
    let pulls = 0;
    const endless = stream(1_000_000, 4, () => pulls++);
    expect(await readLimitedBody(post(endless), 10)).toEqual({ ok: false });
    expect(pulls).toBeLessThan(10);
  });
});
