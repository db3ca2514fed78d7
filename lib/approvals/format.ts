import { plural } from '@/lib/vocabulary';
import type { ApprovalSummary } from './types';

const ACTION_VERB: Record<string, string> = {
  sign_out: 'Sign out',
  ban: 'Ban',
  lock: 'Lock',
  password_compromised: 'Mark the passwords compromised of',
};

const STEP_WORDS: Record<string, string> = {
  ban: 'ban',
  lock: 'lock',
  password_compromised: 'mark the password compromised',
  sign_out_all: 'sign out everywhere',
  revoke_api_keys: 'revoke API keys',
  revoke_trusted_devices: 'revoke trusted devices',
  reset_mfa: 'reset MFA',
};

/** One line for a list: what the job would do, as its dry run counted it. */
export function describeApproval(s: ApprovalSummary): string {
  if (s.action === 'secure_account')
    return `Secure ${s.userIds[0] ?? 'an account'}: ${s.steps.map((x) => STEP_WORDS[x] ?? x).join(', ')}`;
  const sessions = s.sessions === null ? '' : ` (${plural(s.sessions, 'session')})`;
  return `${ACTION_VERB[s.action] ?? s.action} ${plural(s.users, 'user')}${sessions}`;
}
