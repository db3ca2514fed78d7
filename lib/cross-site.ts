import 'server-only';

// A GET with side effects must not run for another site's link; no Sec-Fetch-Site/Origin/Referer: no browser.
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
