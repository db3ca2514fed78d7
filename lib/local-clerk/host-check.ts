// DNS rebinding: a page on evil.example that re-points its name at 127.0.0.1 can make the browser send requests
// here, with `Host: evil.example`. Only the loopback names the console itself uses are answered.
import type { IncomingMessage } from 'node:http';
import { ClerkApiError } from './errors';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOST = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i;

/**
 * True when `host` (a Host header) is a loopback name, with no port or with `port` (the one this server listens
 * on); `port: 'any'` accepts every port (the console, which may sit behind a local proxy on another one).
 */
export function isLoopbackHost(host: string | null | undefined, port: number | 'any' | undefined): boolean {
  const m = host ? HOST.exec(host) : null;
  if (!m) return false;
  if (!LOOPBACK_NAMES.has(m[1]!.toLowerCase())) return false;
  return m[2] === undefined || port === 'any' || Number(m[2]) === port;
}

/** A HOST to listen on that only this machine can reach (`::1` as written for a listen address, unbracketed). */
export function isLoopbackBindAddress(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === '::1' || LOOPBACK_NAMES.has(h);
}

export function misdirectedRequest(): ClerkApiError {
  return new ClerkApiError(421, [
    {
      message: 'Invalid host',
      long_message: 'This API answers only requests addressed to 127.0.0.1, localhost or [::1].',
      code: 'host_invalid',
    },
  ]);
}

/** Throws the 421 unless the request names this server by a loopback name. */
export function checkHost(req: IncomingMessage): void {
  if (!isLoopbackHost(req.headers.host, req.socket.localPort)) throw misdirectedRequest();
}
