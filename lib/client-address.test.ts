import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientAddress, installPeerAddressStamp, peerHeaderName, throttleIpKey } from './client-address';

describe('clientAddress', () => {
  const peer = '192.0.2.10';
  it('with no trusted proxy, is the socket peer whatever the forwarding headers claim', () => {
    for (const forwardedFor of [null, '6.6.6.6', '6.6.6.6, 7.7.7.7', 'unknown'])
      expect(clientAddress({ peer, forwardedFor, realIp: '8.8.8.8', hops: 0 })).toBe(peer);
    expect(clientAddress({ peer: '::ffff:127.0.0.1', forwardedFor: null, realIp: null, hops: 0 })).toBe(
      '127.0.0.1',
    );
    expect(clientAddress({ peer: null, forwardedFor: '6.6.6.6', realIp: null, hops: 0 })).toBeNull();
  });

  it('with N proxies, takes the Nth entry from the right (what the outermost trusted proxy saw)', () => {
    const forwardedFor = '6.6.6.6, 203.0.113.9, 10.0.0.2';
    expect(clientAddress({ peer, forwardedFor, realIp: null, hops: 1 })).toBe('10.0.0.2');
    expect(clientAddress({ peer, forwardedFor, realIp: null, hops: 2 })).toBe('203.0.113.9');
    // Fewer entries than proxies: the left-most there is.
    expect(clientAddress({ peer, forwardedFor: '203.0.113.9', realIp: null, hops: 3 })).toBe('203.0.113.9');
  });

  it('uses X-Real-IP only behind a trusted proxy and without X-Forwarded-For; junk falls back to the peer', () => {
    expect(clientAddress({ peer, forwardedFor: null, realIp: '203.0.113.4', hops: 1 })).toBe('203.0.113.4');
    expect(clientAddress({ peer, forwardedFor: 'not-an-ip', realIp: null, hops: 1 })).toBe(peer);
    expect(clientAddress({ peer, forwardedFor: null, realIp: '<script>', hops: 1 })).toBe(peer);
  });
});

describe('installPeerAddressStamp', () => {
  it("stamps the socket's address under a per-process header a client cannot guess or override", async () => {
    installPeerAddressStamp();
    const name = peerHeaderName();
    expect(name).toMatch(/^x-console-peer-[0-9a-f]{32}$/);
    const seen: Record<string, string | string[] | undefined>[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ ...req.headers });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/`, {
        headers: { [name!]: '6.6.6.6', 'x-forwarded-for': '6.6.6.6' },
      });
    } finally {
      server.close();
    }
    expect(seen[0]?.[name!]).toBe('127.0.0.1');
    installPeerAddressStamp();
    expect(peerHeaderName()).toBe(name);
  });
});

describe('throttleIpKey', () => {
  it('is the address for IPv4 (mapped or not) and the /64 for IPv6, however it is written', () => {
    expect(throttleIpKey('::FFFF:198.51.100.7')).toBe('198.51.100.7');
    for (const ip of [
      '2001:db8:a:b::1',
      '2001:0db8:000a:000b:1:2:3:4',
      '[2001:db8:a:b::ffff]',
      'fe80::1%eth0',
    ])
      expect(throttleIpKey(ip)).toBe(ip.startsWith('fe80') ? 'fe80:0:0:0::/64' : '2001:db8:a:b::/64');
    expect(throttleIpKey('not an address')).toBe('not an address');
  });
});
