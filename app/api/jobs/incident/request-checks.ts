import 'server-only';
import { isCrossSite } from '@/lib/cross-site';
import { CONSOLE_FETCH_HEADER } from '@/lib/jobs/types';

/**
 * Only the console's own fetch: not cross-site by Sec-Fetch-Site (or Origin/Referer), not a navigation (a form
 * posted from anywhere), and carrying a header no form can set and no other origin can add without a CORS
 * preflight this console never grants.
 */
export function isConsoleFetch(req: Request): boolean {
  if (isCrossSite(req)) return false;
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') return false;
  const mode = req.headers.get('sec-fetch-mode');
  if (mode && mode !== 'cors' && mode !== 'same-origin') return false;
  return req.headers.get(CONSOLE_FETCH_HEADER) === '1';
}

export function isListContentType(req: Request): boolean {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'text/plain' || type === 'text/csv';
}

/**
 * The body as text, or 'too_large' past `max` bytes: refused on Content-Length before reading, and counted
 * while streaming (a chunked body has no length), so no more than `max` bytes plus one chunk is ever held.
 */
export async function readBodyLimited(req: Request, max: number): Promise<string | 'too_large'> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) return 'too_large';
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return 'too_large';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
