import 'server-only';
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const CLIENT_IP_HEADER = 'x-console-client-ip';

const PEER_HEADER = Symbol.for('session-console.peer-header');
type Holder = { [PEER_HEADER]?: string };

// Next gives proxy.ts no socket: the peer address is stamped under a random per-process header name.
export function installPeerAddressStamp(): void {
  const holder = globalThis as Holder;
  if (holder[PEER_HEADER]) return;
  const name = `x-console-peer-${randomBytes(16).toString('hex')}`;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    request.headers[name] = request.socket?.remoteAddress ?? '';
  });
  holder[PEER_HEADER] = name;
}

export function peerHeaderName(): string | null {
  return (globalThis as Holder)[PEER_HEADER] ?? null;
}

function cleanIp(value: string | null | undefined): string | null {
  const v = (value ?? '').trim().replace(/^\[|\]$/g, '');
  if (!v || isIP(v) === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v);
  return mapped?.[1] ?? v;
}

// With N trusted hops, the Nth X-Forwarded-For entry from the right; those left of it are client-written.
export function clientAddress(input: {
  peer: string | null;
  forwardedFor: string | null;
  realIp: string | null;
  hops: number;
}): string | null {
  const peer = cleanIp(input.peer);
  if (input.hops <= 0) return peer;
  const chain = (input.forwardedFor ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!chain.length) return cleanIp(input.realIp) ?? peer;
  return cleanIp(chain[Math.max(0, chain.length - input.hops)]) ?? peer;
}

function ipv6Groups(ip: string): string[] | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) =>
    g.replace(/^0+(?=.)/, '').toLowerCase(),
  );
}

// IPv6 counts per /64: one host usually owns a whole /64 and could rotate through it.
export function throttleIpKey(ip: string): string {
  const trimmed = ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  if (isIP(trimmed) === 6) {
    const groups = ipv6Groups(trimmed);
    if (groups) return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return trimmed.slice(0, 64) || 'unknown';
}
