// Stops DNS rebinding (a foreign page re-pointed at 127.0.0.1): only the console's loopback names are answered.
import type { IncomingMessage } from 'node:http';
import { ClerkApiError } from './errors';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOST = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i;

export function isLoopbackHost(host: string | null | undefined, port: number | 'any' | undefined): boolean {
  const m = host ? HOST.exec(host) : null;
  if (!m) return false;
  if (!LOOPBACK_NAMES.has(m[1]!.toLowerCase())) return false;
  return m[2] === undefined || port === 'any' || Number(m[2]) === port;
}

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

export function checkHost(req: IncomingMessage): void {
  if (!isLoopbackHost(req.headers.host, req.socket.localPort)) throw misdirectedRequest();
}
