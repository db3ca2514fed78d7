import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth/auth';
import { buildSecurityHeaders } from '@/lib/security-headers';

const PUBLIC_PATHS = ['/sign-in', '/api/auth', '/api/health'];

/**
 * Runs before every route (on Node in Next 16): a fresh CSP nonce per request, the security headers, and a
 * redirect to sign-in for console pages without a session. Going through next-auth's wrapper also re-issues
 * the session cookie, which is what makes the idle timeout slide. Authorization is NOT decided here: every
 * page and action re-checks the role itself.
 */
const withAuth = auth((req) => {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const { pathname, search } = req.nextUrl;
  const security = buildSecurityHeaders(nonce);

  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', security['Content-Security-Policy']);
  requestHeaders.set('x-console-path', `${pathname}${search}`.slice(0, 1024));

  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const isApi = pathname.startsWith('/api/');
  let res: NextResponse;
  if (!isPublic && !req.auth?.staff && !isApi && req.method === 'GET') {
    // The Host the browser used, not req.nextUrl's (which reports 127.0.0.1 as "localhost"): a redirect to
    // another host name would lose the cookies set for this one.
    const url = new URL(
      '/sign-in',
      `${req.nextUrl.protocol}//${req.headers.get('host') ?? req.nextUrl.host}`,
    );
    url.searchParams.set('callbackUrl', `${pathname}${search}`);
    res = NextResponse.redirect(url);
  } else {
    res = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [k, v] of Object.entries(security)) res.headers.set(k, v);
  if (!pathname.startsWith('/_next/static')) res.headers.set('Cache-Control', 'no-store');
  return res;
});

// With a lazily configured NextAuth, auth(handler) resolves to the handler: Next needs a plain function export.
export async function proxy(req: NextRequest, event: NextFetchEvent) {
  const handler = (await withAuth) as unknown as (r: NextRequest, e: NextFetchEvent) => Promise<Response>;
  return handler(req, event);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
