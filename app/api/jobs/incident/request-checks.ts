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
