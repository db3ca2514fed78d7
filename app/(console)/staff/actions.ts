'use server';

import { z } from 'zod';
import { staffAction } from '@/lib/actions/staff-action';
import { fail, ok, ROLES } from '@/lib/vocabulary';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';
import { confirmStepUp } from '@/lib/auth/step-up';
import { reasonCodeInput, ticketInput } from '@/lib/reason-input';

const staffId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'Not a staff id.');
const reason = z.string().trim().min(3, 'Give a reason (at least 3 characters).').max(500);
const password = z.string().max(1024).optional();
const why = { reason, reasonCode: reasonCodeInput, ticket: ticketInput };

const manageStaffInput = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set-role'), staffId, role: z.enum(ROLES), ...why, password }).strict(),
  z.object({ op: z.literal('disable'), staffId, ...why, password }).strict(),
  z.object({ op: z.literal('enable'), staffId, ...why, password }).strict(),
  z.object({ op: z.literal('sign-out'), staffId, ...why, password }).strict(),
]);

/** Admin only, after step-up; an admin can't change their own account, so nobody removes the last admin. */
export const manageStaffAction = staffAction(
  {
    name: 'staff.manage',
    access: 'staff:manage',
    schema: manageStaffInput,
    // The re-entered password never goes into the stored fingerprint.
    idempotent: { omit: ['password'] },
  },
  async (input, ctx) => {
    const { staff } = ctx;
    if (input.staffId === staff.id) return fail('forbidden', 'You cannot change your own account here.');
    const store = staffStore(await getDb());
    const member = await store.findById(input.staffId);
    if (!member) return fail('not_found', 'No such staff member.');
    // A stolen admin cookie alone must not promote, demote, disable or sign out anyone: step up like minting.
    const refused = await confirmStepUp(staff, input.password, {
      action: 'staff.manage',
      target: {},
      request: ctx.request,
      details: { command: input.op, email: member.email },
    });
    if (refused) return refused;
    const messages = {
      'set-role': `${member.email} is now ${input.op === 'set-role' ? input.role : ''}; it applies from their next request.`,
      disable: `${member.email} is disabled and signed out everywhere.`,
      enable: `${member.email} can sign in again.`,
      'sign-out': `${member.email} is signed out of every console session.`,
    } as const;
    return ctx.audited(
      'staff.manage',
      {},
      {
        via: 'console',
        command: input.op,
        email: member.email,
        reason: input.reason,
        reasonCode: input.reasonCode,
        ticket: input.ticket,
        ...(input.op === 'set-role' ? { role: input.role, previousRole: member.role } : {}),
      },
      async () => {
        if (input.op === 'set-role') await store.setRole(member.id, input.role);
        else if (input.op === 'disable') await store.setDisabled(member.id, true);
        else if (input.op === 'enable') await store.setDisabled(member.id, false);
        else await store.signOutEverywhere(member.id);
        return ok(messages[input.op], null);
      },
    );
  },
);
