'use server';

import { z } from 'zod';
import { signOut } from '@/lib/auth/auth';
import { staffAction } from '@/lib/actions/staff-action';
import { fail } from '@/lib/actions/action-state';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';

export const signOutAction = staffAction(
  { name: 'auth.sign_out', access: 'authenticated', schema: z.object({}).strict() },
  async (_input, ctx) => {
    const staff = ctx.staff!;
    const db = await getDb();
    // Staff sessions are stateless JWTs: clearing this browser's cookie alone would leave a copied (or re-issued
    // in-flight) cookie valid. Bumping the session version ends every console session of this staff member.
    await staffStore(db).signOutEverywhere(staff.id);
    await auditLog(db).record({
      actor: { staffId: staff.id, email: staff.email, role: staff.role },
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
