import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth/auth';
import { getEnv } from '@/lib/env';
import { buildSecurityHeaders } from '@/lib/security-headers';
import { CLIENT_IP_HEADER, clientAddress, peerHeaderName } from '@/lib/client-address';
import { isLoopbackHost } from '@/lib/local-clerk/host-check';

const PUBLIC_PATHS = ['/sign-in', '/api/auth', '/api/health'];

export const POLL_HEADER = 'x-console-poll';

// Polls and action calls skip next-auth: no cookie re-issue, so the idle timeout keeps running.
function isBackground(req: NextRequest): boolean {
  return req.headers.get(POLL_HEADER) === '1' || (req.method === 'POST' && req.headers.has('next-action'));
}

// next-auth's wrapper re-issues the cookie (sliding idle timeout). Authorization is NOT decided here.
function respond(req: NextRequest, signedIn: boolean | null): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const { pathname, search } = req.nextUrl;
  const security = buildSecurityHeaders(nonce);

  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', security['Content-Security-Policy']);
  requestHeaders.set('x-console-path', `${pathname}${search}`.slice(0, 1024));
  const peerHeader = peerHeaderName();
  const ip = clientAddress({
    peer: peerHeader ? req.headers.get(peerHeader) : null,
    forwardedFor: req.headers.get('x-forwarded-for'),
    realIp: req.headers.get('x-real-ip'),
    hops: getEnv().trustedProxyHops,
  });
  // Whatever the client sent under this name is dropped: only the address worked out here reaches the routes.
  requestHeaders.delete(CLIENT_IP_HEADER);
  if (peerHeader) requestHeaders.delete(peerHeader);
  if (ip) requestHeaders.set(CLIENT_IP_HEADER, ip);

  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const isApi = pathname.startsWith('/api/');
  let res: NextResponse;
  if (signedIn === false && !isPublic && !isApi && req.method === 'GET') {
    // The Host the browser used (nextUrl says "localhost"): another host name would lose the cookies.
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
}

const withAuth = auth((req) => respond(req, Boolean(req.auth?.staff)));

// Demo accounts have a published password: only loopback Host names are answered, against DNS rebinding.
function misdirected(req: NextRequest): Response | null {
  if (getEnv().mode !== 'local' || isLoopbackHost(req.headers.get('host'), 'any')) return null;
  return new Response(
    'This console runs in local mode and answers only on 127.0.0.1, localhost or [::1].\n',
    {
      status: 421,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    },
  );
}

// A lazily configured NextAuth resolves auth(handler) to the handler: Next needs a plain function.
export async function proxy(req: NextRequest, event: NextFetchEvent) {
  const refused = misdirected(req);
  if (refused) return refused;
  // next-auth routes manage their own cookies: wrapped here too, its sign-out POST lost its CSRF pair.
  if (isBackground(req) || req.nextUrl.pathname.startsWith('/api/auth/')) return respond(req, null);
  const handler = (await withAuth) as unknown as (r: NextRequest, e: NextFetchEvent) => Promise<Response>;
  return handler(req, event);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
