'use server';

import { z } from 'zod';
import { signIn, signOut } from '@/lib/auth/auth';
import { safeCallbackPath } from '@/lib/auth/auth.config';
import { staffAction } from '@/lib/actions/staff-action';
import { actorOf, fail } from '@/lib/vocabulary';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';

export const signOutAction = staffAction(
  { name: 'auth.sign_out', access: 'authenticated', schema: z.object({}).strict() },
  async (_input, ctx) => {
    const { staff } = ctx;
    const db = await getDb();
    // Stateless JWTs: a copied cookie outlives clearing this one, so bump the version to end every session.
    await staffStore(db).signOutEverywhere(staff.id);
    await auditLog(db).record({
      actor: actorOf(staff),
      action: 'auth.sign_out',
      target: {},
      details: { scope: 'all sessions of this staff member' },
      ctx: ctx.request,
      outcome: 'succeeded',
    });
    await signOut({ redirectTo: '/sign-in' });
    return fail('unknown', 'Sign-out did not complete.');
  },
);

/** SSO step-up: prompt=login, max_age=0 forces a fresh password; lib/auth/step-up checks the auth_time. */
export const stepUpWithSsoAction = staffAction(
  {
    name: 'auth.step_up_sso',
    access: 'authenticated',
    schema: z.object({ callbackUrl: z.string().max(2048).optional() }).strict(),
  },
  async (input, ctx) => {
    if (ctx.staff.provider !== 'oidc')
      return fail('invalid_input', 'Only single sign-on accounts re-authenticate this way.');
    await signIn(
      'oidc',
      { redirectTo: safeCallbackPath(input.callbackUrl) },
      { prompt: 'login', max_age: '0' },
    );
    return fail('unknown', 'Single sign-on could not start.');
  },
);
