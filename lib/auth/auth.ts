import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';
import { cookies } from 'next/headers';
import { signInThrottle } from '@/lib/auth/throttle';
import {
  cookieFromHeader,
  deviceCookieName,
  deviceCookieOptions,
  issueDeviceCookie,
  verifyDeviceCookie,
} from '@/lib/auth/device-cookie';
import { auditLog } from '@/lib/audit';
import { actorOf } from '@/lib/vocabulary';
import type { OidcRefusal } from '@/lib/audit/denials';
import { roleForEmail } from '@/lib/auth/oidc-roles';
import { oidcIdentity } from '@/lib/auth/oidc-identity';
import { buildAuthConfig } from '@/lib/auth/auth.config';
import { getRequestContext, requestContextFrom, type RequestContext } from '@/lib/request-context';
import { log } from '@/lib/log';

/** One message for every failed password sign-in: it must not tell an unknown account from a wrong password. */
export class InvalidCredentials extends CredentialsSignin {
  code = 'invalid_credentials';
}
export class ThrottledSignIn extends CredentialsSignin {
  code = 'throttled';
}
export class BusySignIn extends CredentialsSignin {
  code = 'busy';
}

async function requestContextOrNone(): Promise<RequestContext> {
  try {
    return await getRequestContext();
  } catch {
    return { ip: null, userAgent: null };
  }
}

const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

function providers(): Provider[] {
  const env = getEnv();
  const list: Provider[] = [
    Credentials({
      id: 'credentials',
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const { email, password } = parsed.data;
        const ctx = requestContextFrom(request.headers);
        const db = await getDb();
        const audit = auditLog(db);
        const throttle = signInThrottle(db, {
          maxPerMinute: env.signInMaxPerMinute,
          maxPerAccount: env.signInMaxPerAccount,
          maxPerDevice: env.signInMaxPerDevice,
        });
        const actor = { staffId: null, email, role: null };
        const deviceName = deviceCookieName(env.secureCookies);
        const deviceId = verifyDeviceCookie(
          env.authSecret,
          email,
          cookieFromHeader(request.headers.get('cookie'), deviceName),
        );
        const ip = ctx.ip ?? 'unknown';
        const verdict = await throttle.check(email, ip, deviceId);
        if (!verdict.allowed) {
          await audit.denied({
            actor,
            action: 'auth.sign_in',
            details: { limit: verdict.scope ?? null },
            ctx,
            code: 'throttled',
          });
          throw verdict.scope === 'global' ? new BusySignIn() : new ThrottledSignIn();
        }
        if (verdict.delayMs) await new Promise((r) => setTimeout(r, verdict.delayMs));
        const device = verdict.trustedDevice ? { knownDevice: true } : {};
        const staff = await staffStore(db).checkPassword(email, password);
        if (!staff) {
          await audit.record({
            actor,
            action: 'auth.sign_in',
            target: {},
            details: device,
            ctx,
            outcome: 'failed',
            code: 'invalid_credentials',
          });
          throw new InvalidCredentials();
        }
        await throttle.recordSuccess(email, ip, verdict.trustedDevice ? deviceId : null);
        await staffStore(db).recordSignIn(staff.id);
        await audit.record({
          actor: actorOf(staff),
          action: 'auth.sign_in',
          target: {},
          details: { provider: 'credentials', ...device },
          ctx,
          outcome: 'succeeded',
        });
        // Both ways in, the form's server action and next-auth's own route, may set this cookie.
        try {
          (await cookies()).set(
            deviceName,
            issueDeviceCookie(env.authSecret, staff.email),
            deviceCookieOptions(env.secureCookies),
          );
        } catch (e) {
          log.warn({ message: String(e) }, 'device cookie not set');
        }
        return { id: staff.id, email: staff.email, sessionVersion: staff.sessionVersion };
      },
    }),
  ];
  if (env.oidc) {
    list.push({
      id: 'oidc',
      name: env.oidc.name,
      type: 'oidc',
      issuer: env.oidc.issuer,
      clientId: env.oidc.clientId,
      clientSecret: env.oidc.clientSecret,
      checks: ['pkce', 'state', 'nonce'],
    });
  }
  return list;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = getEnv();
  const base = buildAuthConfig({ secret: env.authSecret, secureCookies: env.secureCookies });
  return {
    ...base,
    providers: providers(),
    logger: {
      // A wrong password is not a server error: next-auth would log a stack for each one.
      error(error) {
        const type = (error as { type?: string }).type;
        if (type === 'CredentialsSignin') return;
        // The logger scrubs keys and tokens from the message; the cause names what to fix (e.g. an IdP mismatch).
        log.error(
          {
            type: type ?? 'AuthError',
            message: error.message,
            cause: String((error as { cause?: { err?: unknown } }).cause?.err ?? ''),
          },
          'auth error',
        );
      },
      warn(code) {
        log.warn({ code }, 'auth warning');
      },
      debug() {},
    },
    events: {
      // next-auth's signout only clears this browser's cookie: bumping the version ends every copy. Only a valid
      // cookie may, so a stale copy cannot sign its owner out again and again.
      async signOut(message) {
        const token = 'token' in message ? message.token : null;
        if (!token || typeof token.staffId !== 'string') return;
        const db = await getDb();
        const store = staffStore(db);
        const member = await store.findById(token.staffId);
        if (!member || member.sessionVersion !== Number(token.sessionVersion ?? -1)) return;
        await store.signOutEverywhere(member.id);
        await auditLog(db).record({
          actor: actorOf(member),
          action: 'auth.sign_out',
          target: {},
          details: { scope: 'all sessions of this staff member', consoleSession: token.sid ?? null },
          ctx: await requestContextOrNone(),
          outcome: 'succeeded',
        });
      },
    },
    callbacks: {
      ...base.callbacks,
      async signIn({ account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const id = oidcIdentity(profile, env.oidc?.issuer ?? '');
        const ctx = await requestContextOrNone();
        const db = await getDb();
        // Anyone can send refused sign-ins: they fold like every other denial (one counted row per source).
        const deny = async (code: OidcRefusal, staffId: string | null = null) => {
          await auditLog(db).denied({
            actor: { staffId, email: id.email ?? 'unknown', role: null },
            action: 'auth.sign_in',
            details: { provider: 'oidc' },
            ctx,
            code,
          });
          return false;
        };
        if (!id.email || !id.subject) return deny('not_allowlisted');
        if (!id.emailVerified) return deny('email_unverified');
        // The allowlist decides who may come in at all; once a member exists, their role is the console's.
        const role = roleForEmail(id.email, env.oidc?.roles ?? []);
        if (!role) return deny('not_allowlisted');
        const bound = await staffStore(db).signInOidc({
          issuer: id.issuer,
          subject: id.subject,
          email: id.email,
          role,
        });
        if (!bound.ok) return deny(bound.code);
        if (bound.member.disabled) return deny('disabled', bound.member.id);
        return true;
      },
      async jwt(params) {
        const { account, profile, token } = params;
        if (account?.provider === 'oidc') {
          const id = oidcIdentity(profile, env.oidc?.issuer ?? '');
          if (!id.subject) return null;
          const db = await getDb();
          const staff = await staffStore(db).findByOidc(id.issuer, id.subject);
          if (!staff || staff.disabled) return null;
          await staffStore(db).recordSignIn(staff.id);
          await auditLog(db).record({
            actor: actorOf(staff),
            action: 'auth.sign_in',
            target: {},
            details: { provider: 'oidc', authTime: id.authTime },
            ctx: await requestContextOrNone(),
            outcome: 'succeeded',
          });
          token.staffId = staff.id;
          token.sessionVersion = staff.sessionVersion;
          token.signedInAt = Date.now();
          token.provider = 'oidc';
          token.authTime = id.authTime;
          token.sid = crypto.randomUUID();
          return token;
        }
        return base.callbacks!.jwt!(params);
      },
    },
  };
});
