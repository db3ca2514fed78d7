import 'server-only';
import type { SecureCounts } from '@/lib/account/preview';
import type { SecureStep } from '@/lib/account/steps';
import { getAccountState, listApiKeys, listTrustedDevices } from '@/lib/clerk/account';
import { runInLane } from '@/lib/clerk/lane';
import { listSessions } from '@/lib/clerk/sessions';
import { openBody, signBody } from '@/lib/jobs/signing';

// Close the doors before clearing the room: no new sign-in (ban, lock, flagged password), then what is open now.
export const RUN_ORDER: readonly SecureStep[] = [
  'ban',
  'lock',
  'password_compromised',
  'sign_out_all',
  'revoke_api_keys',
  'revoke_trusted_devices',
  'reset_mfa',
];

export function inRunOrder(steps: readonly SecureStep[]): SecureStep[] {
  return RUN_ORDER.filter((s) => steps.includes(s));
}

/** Reads only what the chosen steps need: the account (1 request), and a count per list chosen. */
export async function secureDryRun(
  userId: string,
  chosen: readonly SecureStep[],
  staffId: string,
): Promise<{ plan: string; counts: SecureCounts }> {
  const steps = inRunOrder(chosen);
  return runInLane({ lane: 'interactive', staffId }, async () => {
    const state = await getAccountState(userId);
    const sessions = steps.includes('sign_out_all')
      ? (await listSessions({ userId, status: 'active', limit: 1, offset: 0 })).totalCount
      : null;
    const apiKeys = steps.includes('revoke_api_keys')
      ? (await listApiKeys(userId, { limit: 100 })).data.filter((k) => !k.revoked).length
      : null;
    const trustedDevices = steps.includes('revoke_trusted_devices')
      ? (await listTrustedDevices(userId)).filter((d) => d.status === 'active').length
      : null;
    const counts: SecureCounts = {
      sessions,
      apiKeys,
      trustedDevices,
      banned: state.banned,
      locked: state.locked,
      passwordCompromised: state.passwordCompromised,
      passwordEnabled: state.passwordEnabled,
      mfaEnabled: state.twoFactorEnabled,
    };
    return { plan: signBody({ k: 'secure_account', s: staffId, u: userId, st: steps, n: sessions }), counts };
  });
}

export function openSecurePlan(
  plan: string,
  staffId: string,
): { userId: string; steps: SecureStep[]; sessions: number | null } | null {
  const p = openBody(plan);
  if (!p || p.k !== 'secure_account' || p.s !== staffId || typeof p.u !== 'string' || !Array.isArray(p.st))
    return null;
  const steps = inRunOrder(p.st as SecureStep[]);
  return steps.length ? { userId: p.u, steps, sessions: typeof p.n === 'number' ? p.n : null } : null;
}
