import type { AccountStateDto } from '@/lib/clerk/account';
import { plural, type JobStepUp } from '@/lib/vocabulary';
import type { SecureStep } from './steps';

/** What the dry run found on the account, for the steps chosen (a count is null when its step was not chosen). */
export interface SecureCounts {
  sessions: number | null;
  apiKeys: number | null;
  trustedDevices: number | null;
  banned: boolean;
  locked: boolean;
  passwordCompromised: boolean;
  passwordEnabled: boolean;
  mfaEnabled: boolean;
}

export interface SecureDryRun {
  plan: string;
  counts: SecureCounts;
  stepUp: JobStepUp;
}

export interface StepPreview {
  text: string;
  /** Nothing to change: the step will end as "already". */
  noop: boolean;
}

const nothing = (text: string): StepPreview => ({ text, noop: true });
const will = (text: string): StepPreview => ({ text, noop: false });

export function previewStep(step: SecureStep, c: SecureCounts): StepPreview {
  switch (step) {
    case 'sign_out_all':
      return c.sessions
        ? will(`Signs out ${plural(c.sessions, 'active session')}.`)
        : nothing('No active session.');
    case 'password_compromised':
      if (!c.passwordEnabled) return nothing('This user has no password.');
      return c.passwordCompromised ? nothing('Already marked compromised.') : will('Flags the password.');
    case 'lock':
      return c.locked ? nothing('Already locked.') : will('Locks the account.');
    case 'ban':
      return c.banned ? nothing('Already banned.') : will('Bans the user.');
    case 'revoke_api_keys':
      return c.apiKeys
        ? will(`Revokes ${plural(c.apiKeys, 'active API key')}.`)
        : nothing('No active API key.');
    case 'revoke_trusted_devices':
      return c.trustedDevices
        ? will(`Revokes ${plural(c.trustedDevices, 'trusted device')}.`)
        : nothing('No trusted device.');
    case 'reset_mfa':
      return c.mfaEnabled ? will('Removes the second factors.') : nothing('MFA is off.');
  }
}

/** What stays as it is because its step was not chosen, worded from what the dry run saw. */
export function leftAsIs(chosen: readonly SecureStep[], c: SecureCounts): string[] {
  const out: string[] = [];
  const not = (s: SecureStep) => !chosen.includes(s);
  if (not('sign_out_all') && !chosen.includes('ban') && !chosen.includes('password_compromised'))
    out.push('Sessions were not signed out.');
  if (not('password_compromised') && c.passwordEnabled && !c.passwordCompromised)
    out.push('The password still works: it was not marked compromised.');
  const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);
  if (not('revoke_api_keys') && c.apiKeys)
    out.push(`${plural(c.apiKeys, 'active API key')} still ${verb(c.apiKeys, 'works', 'work')}.`);
  if (not('revoke_trusted_devices') && c.trustedDevices)
    out.push(
      `${plural(c.trustedDevices, 'trusted device')} still ${verb(c.trustedDevices, 'skips', 'skip')} the second factor.`,
    );
  if (not('reset_mfa') && c.mfaEnabled) out.push('The second factors were kept (MFA not reset).');
  return out;
}

/** The dry run's counts where it made them, else what the page read. */
export function mergeCounts(known: SecureCounts | null, run: SecureCounts): SecureCounts {
  if (!known) return run;
  return {
    ...run,
    sessions: run.sessions ?? known.sessions,
    apiKeys: run.apiKeys ?? known.apiKeys,
    trustedDevices: run.trustedDevices ?? known.trustedDevices,
  };
}

export function knownCounts(
  state: AccountStateDto,
  counts: { apiKeys: number | null; trustedDevices: number | null } = { apiKeys: null, trustedDevices: null },
): SecureCounts {
  return {
    sessions: null,
    apiKeys: counts.apiKeys,
    trustedDevices: counts.trustedDevices,
    banned: state.banned,
    locked: state.locked,
    passwordCompromised: state.passwordCompromised,
    passwordEnabled: state.passwordEnabled,
    mfaEnabled: state.twoFactorEnabled,
  };
}
