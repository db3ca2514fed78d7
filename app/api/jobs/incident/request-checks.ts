import 'server-only';
import { isCrossSite } from '@/lib/cross-site';
import { CONSOLE_FETCH_HEADER } from '@/lib/jobs/types';

/** Same-origin fetch only: not cross-site, not a navigation, and a header no form can set without a preflight. */
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
