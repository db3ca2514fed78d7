// Client-safe: what each "Secure this account" step does, who may choose it, and what it costs in Clerk requests.
import { can, type Permission, type Role } from '@/lib/vocabulary';

export const SECURE_STEPS = [
  'sign_out_all',
  'password_compromised',
  'lock',
  'ban',
  'revoke_api_keys',
  'revoke_trusted_devices',
  'reset_mfa',
] as const;
export type SecureStep = (typeof SECURE_STEPS)[number];

export interface StepInfo {
  label: string;
  does: string;
  permissions: readonly Permission[];
  who: 'Support and admins' | 'Admins only';
  byDefault: boolean;
}

export const STEP_INFO: Record<SecureStep, StepInfo> = {
  sign_out_all: {
    label: 'Sign out everywhere',
    does: 'Revokes every active session of this user, on every device.',
    permissions: ['account:sign_out', 'sessions:revoke'],
    who: 'Support and admins',
    byDefault: true,
  },
  password_compromised: {
    label: 'Mark the password compromised',
    does: 'The next sign-in must reset the password, so whoever knows the old one cannot sign back in with it.',
    permissions: ['account:password_compromised'],
    who: 'Support and admins',
    byDefault: true,
  },
  lock: {
    label: 'Lock the account',
    does: 'Refuses every sign-in until the lockout expires or someone unlocks it.',
    permissions: ['account:lock'],
    who: 'Support and admins',
    byDefault: false,
  },
  ban: {
    label: 'Ban the user',
    does: 'Revokes every session and refuses every sign-in until an admin unbans them.',
    permissions: ['account:ban'],
    who: 'Admins only',
    byDefault: false,
  },
  revoke_api_keys: {
    label: 'Revoke API keys',
    does: "Revokes each of the user's active API keys; requests made with them are refused from then on.",
    permissions: ['account:revoke_keys'],
    who: 'Admins only',
    byDefault: false,
  },
  revoke_trusted_devices: {
    label: 'Revoke trusted devices',
    does: 'A trusted device no longer skips the second factor at the next sign-in.',
    permissions: ['account:revoke_devices'],
    who: 'Admins only',
    byDefault: false,
  },
  reset_mfa: {
    label: 'Reset MFA',
    does: "Removes the user's second factors (authenticator app, backup codes), e.g. when the attacker enrolled their own.",
    permissions: ['account:reset_mfa'],
    who: 'Admins only',
    byDefault: false,
  },
};

export function canTakeStep(role: Role, step: SecureStep): boolean {
  return STEP_INFO[step].permissions.every((p) => can(role, p));
}

export function defaultSteps(role: Role): SecureStep[] {
  return SECURE_STEPS.filter((s) => STEP_INFO[s].byDefault && canTakeStep(role, s));
}

export const OPEN_AFTER_SECURING = {
  sessionToken:
    'A session token already issued stays valid for up to a minute: Clerk cannot recall it, it only stops being renewed.',
  templateTokens:
    'A template token the console minted earlier stays valid until it expires: no step can revoke it.',
} as const;

export { UNDO, type UndoKind } from './undo';
