import 'server-only';
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The header the proxy sets for every route: the client address it worked out (any client-sent copy is dropped). */
export const CLIENT_IP_HEADER = 'x-console-client-ip';

const PEER_HEADER = Symbol.for('session-console.peer-header');
type Holder = { [PEER_HEADER]?: string };

/**
 * Next gives proxy.ts no socket, and only fills in X-Forwarded-For when the client did not send one, so no header
 * a request arrives with can say where it came from. Node's HTTP server announces every request on a diagnostics
 * channel before Next sees it: there the socket's address is copied into a header whose name is random per
 * process, so a client cannot send it. Installed by instrumentation.ts in the server process.
 */
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

/** The name of this process's peer header (null when the stamp is not installed: then no address is known). */
export function peerHeaderName(): string | null {
  return (globalThis as Holder)[PEER_HEADER] ?? null;
}

function cleanIp(value: string | null | undefined): string | null {
  const v = (value ?? '').trim().replace(/^\[|\]$/g, '');
  if (!v || isIP(v) === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v);
  return mapped?.[1] ?? v;
}

/**
 * The client's address. With no trusted proxy (hops 0) it is the socket's peer, whatever X-Forwarded-For or
 * X-Real-IP say. With N proxies that each append the address they saw, it is the Nth entry from the right of
 * X-Forwarded-For (entries left of it were written by the client), or X-Real-IP when there is no X-Forwarded-For.
 */
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

/** Expands an IPv6 address into its 8 groups (null if it is not one). */
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

/**
 * The source an address counts as, for the sign-in limits and for folding refused requests in the audit log. One
 * IPv6 host usually owns a whole /64, so counting per address would let it rotate through 2^64 of them: IPv6 is
 * counted per /64. IPv4-mapped IPv6 counts as the IPv4 address.
 */
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
