export const APPROVAL_ACTION_NAMES = [
  'ban',
  'lock',
  'password_compromised',
  'mfa_reset',
  'api_keys',
  'trusted_devices',
  'sign_out',
] as const;
export type ApprovalAction = (typeof APPROVAL_ACTION_NAMES)[number];

/** Set by the deployer (APPROVAL_*): above these a job waits for a second administrator. */
export interface ApprovalRules {
  enabled: boolean;
  minUsers: number;
  minSessions: number;
  actions: readonly ApprovalAction[];
  ttlHours: number;
}
