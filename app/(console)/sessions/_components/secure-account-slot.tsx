import { getCurrentStaff } from '@/lib/auth/require-staff';
import { getUserWithAccountState } from '@/lib/clerk/account';
import { knownCounts, type SecureCounts } from '@/lib/account/preview';
import { canTakeStep, SECURE_STEPS, UNDO, type UndoKind } from '@/lib/account/steps';
import { userLabel } from '@/components/sessions/session-format';
import { can } from '@/lib/vocabulary';
import { stepUpWithSsoAction } from '../../actions';
import { dryRunSecureAccountAction, startSecureAccountAction } from '../../jobs/actions';
import { SecureAccountButton } from './secure-account-button';

export async function undoableBy(): Promise<UndoKind[]> {
  const staff = await getCurrentStaff();
  if (!staff) return [];
  return (Object.keys(UNDO) as UndoKind[]).filter((k) => can(staff.role, UNDO[k].permission));
}

/** Nothing for a role that may take no step (a viewer): the button is not there at all. */
export async function SecureAccountSlot({ userId, known }: { userId: string; known?: SecureCounts }) {
  const staff = await getCurrentStaff();
  if (!staff || !SECURE_STEPS.some((s) => canTakeStep(staff.role, s))) return null;
  // The page has read this user already: the read is memoised, so this costs no request.
  const { user, state } = await getUserWithAccountState(userId);
  return (
    <SecureAccountButton
      userId={userId}
      userLabel={userLabel(user)}
      role={staff.role}
      known={known ?? knownCounts(state)}
      dryRun={dryRunSecureAccountAction}
      start={startSecureAccountAction}
      ssoStepUp={staff.provider === 'oidc' ? stepUpWithSsoAction : undefined}
    />
  );
}
