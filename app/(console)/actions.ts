'use server';

import { z } from 'zod';
import { signOut } from '@/lib/auth/auth';
import { staffAction } from '@/lib/actions/staff-action';
import { fail } from '@/lib/actions/action-state';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';

export const signOutAction = staffAction(
  { name: 'auth.sign_out', access: 'authenticated', schema: z.object({}).strict() },
  async (_input, ctx) => {
    const staff = ctx.staff!;
    await auditLog(await getDb()).record({
      actor: { staffId: staff.id, email: staff.email, role: staff.role },
      action: 'auth.sign_out',
      target: {},
      details: {},
      ctx: ctx.request,
      outcome: 'succeeded',
    });
    await signOut({ redirectTo: '/sign-in' });
    return fail('unknown', 'Sign-out did not complete.');
  },
);
