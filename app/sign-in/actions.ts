'use server';

import { z } from 'zod';
import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/auth';
import { safeCallbackPath } from '@/lib/auth/auth.config';
import { staffAction } from '@/lib/actions/staff-action';
import { fail } from '@/lib/vocabulary';

const signInInput = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(254, 'Enter your email.'),
  password: z.string().min(1, 'Enter your password.').max(1024),
  callbackUrl: z.string().max(2048).optional(),
});

const FAILED = 'Sign-in failed: the email or password is wrong, or the account is disabled.';
const THROTTLED =
  'Too many sign-in attempts from your network. Wait 15 minutes, or sign in from a browser you have used with the console before.';

/** The one public action: throttling, auditing and the device cookie happen in authorize(). */
export const signInAction = staffAction(
  { name: 'auth.sign_in', access: 'public', schema: signInInput },
  async (input) => {
    try {
      await signIn('credentials', {
        email: input.email,
        password: input.password,
        redirectTo: safeCallbackPath(input.callbackUrl),
      });
    } catch (e) {
      if (e instanceof AuthError) {
        const code = (e as AuthError & { code?: string }).code;
        if (code === 'throttled') return fail('rate_limited', THROTTLED);
        if (code === 'busy')
          return fail(
            'rate_limited',
            'Too many sign-in attempts on this console right now. Wait a minute and try again.',
          );
        return fail('unauthenticated', FAILED);
      }
      throw e; // the success redirect (and anything unexpected) is handled by staffAction
    }
    return fail('unknown', FAILED);
  },
);

export const signInWithSsoAction = staffAction(
  {
    name: 'auth.sign_in_sso',
    access: 'public',
    schema: z.object({ callbackUrl: z.string().max(2048).optional() }),
  },
  async (input) => {
    await signIn('oidc', { redirectTo: safeCallbackPath(input.callbackUrl) });
    return fail('unknown', 'Single sign-on could not start.');
  },
);
