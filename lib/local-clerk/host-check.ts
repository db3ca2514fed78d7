// DNS rebinding: a page on evil.example that re-points its name at 127.0.0.1 can make the browser send requests
// here, with `Host: evil.example`. Only the loopback names the console itself uses are answered.
import type { IncomingMessage } from 'node:http';
import { ClerkApiError } from './errors';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOST = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i;

/** True when `host` is a loopback name, with no port or with `port` (the one this server listens on). */
export function isLoopbackHost(host: string | undefined, port: number | undefined): boolean {
  const m = host ? HOST.exec(host) : null;
  if (!m) return false;
  if (!LOOPBACK_NAMES.has(m[1]!.toLowerCase())) return false;
  return m[2] === undefined || Number(m[2]) === port;
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
