import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';
import { signInThrottle } from '@/lib/auth/throttle';
import { auditLog } from '@/lib/audit';
import { roleForEmail } from '@/lib/auth/oidc-roles';
import { buildAuthConfig } from '@/lib/auth/auth.config';
import { requestContextFrom } from '@/lib/request-context';
import { log } from '@/lib/log';

/** One message for every failed password sign-in: it must not tell an unknown account from a wrong password. */
export class InvalidCredentials extends CredentialsSignin {
  code = 'invalid_credentials';
}
export class ThrottledSignIn extends CredentialsSignin {
  code = 'throttled';
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
        const throttle = signInThrottle(db);
        const actor = { staffId: null, email, role: null };
        const verdict = await throttle.check(email, ctx.ip ?? 'unknown');
        if (!verdict.allowed) {
          await audit.denied({ actor, action: 'auth.sign_in', details: {}, ctx, code: 'throttled' });
          throw new ThrottledSignIn();
        }
        const staff = await staffStore(db).checkPassword(email, password);
        if (!staff) {
          await throttle.recordFailure(email, ctx.ip ?? 'unknown');
          await audit.record({
            actor,
            action: 'auth.sign_in',
            target: {},
            details: {},
            ctx,
            outcome: 'failed',
            code: 'invalid_credentials',
          });
          throw new InvalidCredentials();
        }
        await throttle.recordSuccess(email, ctx.ip ?? 'unknown');
        await staffStore(db).recordSignIn(staff.id);
        await audit.record({
          actor: { staffId: staff.id, email: staff.email, role: staff.role },
          action: 'auth.sign_in',
          target: {},
          details: { provider: 'credentials' },
          ctx,
          outcome: 'succeeded',
        });
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
    callbacks: {
      ...base.callbacks,
      async signIn({ account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const email = typeof profile?.email === 'string' ? profile.email.toLowerCase() : null;
        const role =
          email && profile?.email_verified !== false ? roleForEmail(email, env.oidc?.roles ?? []) : null;
        if (!email || !role) {
          const db = await getDb();
          await auditLog(db).record({
            actor: { staffId: null, email: email ?? 'unknown', role: null },
            action: 'auth.sign_in',
            target: {},
            details: { provider: 'oidc' },
            ctx: { ip: null, userAgent: null },
            outcome: 'denied',
            code: 'not_allowlisted',
          });
          return false;
        }
        return true;
      },
      async jwt(params) {
        const { account, profile, token } = params;
        if (account?.provider === 'oidc' && typeof profile?.email === 'string') {
          const email = profile.email.toLowerCase();
          const role = roleForEmail(email, env.oidc?.roles ?? []);
          if (!role) return null;
          const db = await getDb();
          const staff = await staffStore(db).upsertOidc(email, role);
          if (staff.disabled) return null;
          await staffStore(db).recordSignIn(staff.id);
          await auditLog(db).record({
            actor: { staffId: staff.id, email: staff.email, role: staff.role },
            action: 'auth.sign_in',
            target: {},
            details: { provider: 'oidc' },
            ctx: { ip: null, userAgent: null },
            outcome: 'succeeded',
          });
          token.staffId = staff.id;
          token.sessionVersion = staff.sessionVersion;
          token.signedInAt = Date.now();
          token.provider = 'oidc';
          return token;
        }
        return base.callbacks!.jwt!(params);
      },
    },
  };
});
