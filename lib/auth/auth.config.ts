import type { NextAuthConfig } from 'next-auth';
import { decodeSessionJwt, encodeSessionJwt } from '@/lib/auth/session-jwt';

export const IDLE_TIMEOUT_SECONDS = 30 * 60;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export interface StaffClaims {
  staffId: string;
  sessionVersion: number;
  signedInAt: number;
  provider: string;
  authTime: number | null;
  sid: string | null;
}

declare module 'next-auth' {
  interface Session {
    staff?: StaffClaims;
  }
  interface User {
    sessionVersion?: number;
  }
}

// Role and disabled state are NOT trusted from the JWT: requireStaff() reads them from the store every request.
export function buildAuthConfig(opts: {
  secret: string;
  secureCookies: boolean;
}): Omit<NextAuthConfig, 'providers'> {
  return {
    secret: opts.secret,
    trustHost: true,
    pages: { signIn: '/sign-in', error: '/sign-in' },
    session: { strategy: 'jwt', maxAge: IDLE_TIMEOUT_SECONDS, updateAge: 0 },
    jwt: { encode: encodeSessionJwt, decode: decodeSessionJwt },
    useSecureCookies: opts.secureCookies,
    cookies: {
      sessionToken: {
        // `__Host-` pins the cookie to this origin (no Domain, Path=/, Secure) when served over https.
        name: opts.secureCookies ? '__Host-console.session' : 'console.session',
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: opts.secureCookies },
      },
    },
    callbacks: {
      jwt({ token, user, account }) {
        if (user?.id) {
          token.staffId = user.id;
          token.sessionVersion = user.sessionVersion ?? 0;
          token.signedInAt = Date.now();
          token.provider = account?.provider ?? 'credentials';
          token.sid = crypto.randomUUID();
        }
        return token;
      },
      session({ session, token }) {
        if (typeof token.staffId === 'string') {
          session.staff = {
            staffId: token.staffId,
            sessionVersion: Number(token.sessionVersion ?? 0),
            signedInAt: Number(token.signedInAt ?? 0),
            provider: String(token.provider ?? 'credentials'),
            authTime: typeof token.authTime === 'number' ? token.authTime : null,
            sid: typeof token.sid === 'string' ? token.sid : null,
          };
        }
        return session;
      },
      redirect({ url, baseUrl }) {
        return safeRedirectTarget(url, baseUrl);
      },
    },
  };
}

export function safeRedirectTarget(url: string, baseUrl: string): string {
  const fallback = `${baseUrl}/`;
  try {
    if (url.startsWith('/') && !url.startsWith('//') && !url.includes('\\')) return `${baseUrl}${url}`;
    const target = new URL(url);
    const base = new URL(baseUrl);
    if (target.origin === base.origin) return target.href;
    // Next reports a loopback host as "localhost" in some handlers: 127.0.0.1 and localhost are one machine.
    if (
      target.protocol === base.protocol &&
      target.port === base.port &&
      isLoopback(target) &&
      isLoopback(base)
    ) {
      return target.href;
    }
  } catch {
    /* not a URL */
  }
  return fallback;
}

function isLoopback(u: URL): boolean {
  return u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
}

// Signing in lands on the home page (the watchlist, running jobs, one's own actions) unless a page asked for it.
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  if (value.startsWith('/sign-in') || value.startsWith('/api/')) return '/';
  return value.slice(0, 512);
}
