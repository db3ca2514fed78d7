'use server';

import { staffAction } from '@/lib/actions/staff-action';
import { ok } from '@/lib/vocabulary';
import { undoAccountInput } from '@/lib/account/inputs';
import { UNDO } from '@/lib/account/steps';
import {
  assertClerkBudget,
  unbanUser,
  unlockUser,
  unsetPasswordCompromised,
  withTraceId,
  type AccountStateDto,
} from '@/lib/clerk';

export const unbanUserAction = staffAction(
  { name: 'account.unban', access: UNDO.unban.permission, schema: undoAccountInput, idempotent: true },
  async ({ userId, reason, reasonCode, ticket }, ctx) => {
    await assertClerkBudget();
    return ctx.audited('account.unban', { userId }, { reason, reasonCode, ticket }, async (report) => {
      const { value, traceId } = await withTraceId(() => unbanUser(userId));
      report({ traceId, details: { banned: value.banned } });
      return ok<AccountStateDto>(UNDO.unban.done, value);
    });
  },
);

export const unlockUserAction = staffAction(
  { name: 'account.unlock', access: UNDO.unlock.permission, schema: undoAccountInput, idempotent: true },
  async ({ userId, reason, reasonCode, ticket }, ctx) => {
    await assertClerkBudget();
    return ctx.audited('account.unlock', { userId }, { reason, reasonCode, ticket }, async (report) => {
      const { value, traceId } = await withTraceId(() => unlockUser(userId));
      report({ traceId, details: { locked: value.locked } });
      return ok<AccountStateDto>(UNDO.unlock.done, value);
    });
  },
);

export const unsetPasswordCompromisedAction = staffAction(
  {
    name: 'account.unset_compromised',
    access: UNDO.unset_compromised.permission,
    schema: undoAccountInput,
    idempotent: true,
  },
  async ({ userId, reason, reasonCode, ticket }, ctx) => {
    await assertClerkBudget();
    return ctx.audited(
      'account.unset_compromised',
      { userId },
      { reason, reasonCode, ticket },
      async (report) => {
        const { value, traceId } = await withTraceId(() => unsetPasswordCompromised(userId));
        report({ traceId, details: { passwordCompromised: value.passwordCompromised } });
        return ok<AccountStateDto>(UNDO.unset_compromised.done, value);
      },
    );
  },
);
