import 'server-only';

/**
 * True when a browser sent `req` on behalf of another site: a GET with a side effect (an export writes an audit
 * row and hands over data) must not run for a link or an <img> on a page elsewhere. Browsers send
 * Sec-Fetch-Site; older ones are judged by Origin, then Referer, against the Host they addressed. A request with
 * none of the three is no browser's cross-site request (curl, a script holding the cookie) and passes.
 */
export function isCrossSite(req: Request): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const host = req.headers.get('host');
  const from = req.headers.get('origin') ?? req.headers.get('referer');
  if (!from) return false;
  try {
    return !host || new URL(from).host !== host;
  } catch {
    return true;
  }
}

export function crossSiteRefused(): Response {
  return new Response('Open this export from the console itself.\n', {
    status: 403,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
