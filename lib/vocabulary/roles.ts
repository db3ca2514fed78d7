// Shared with the browser to hide what a role cannot do; requireStaff() re-checks it against the staff store.

export const ROLES = ['viewer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'users:read'
  | 'sessions:read'
  | 'sessions:revoke'
  | 'tokens:create'
  | 'audit:read'
  | 'staff:manage'
  | 'jobs:incident'
  | 'account:sign_out'
  | 'account:lock'
  | 'account:password_compromised'
  | 'account:ban'
  | 'account:revoke_keys'
  | 'account:revoke_devices'
  | 'account:reset_mfa'
  | 'approvals:decide'
  | 'approvals:break_glass';

const VIEWER: readonly Permission[] = ['users:read', 'sessions:read'];
const SUPPORT: readonly Permission[] = [
  ...VIEWER,
  'sessions:revoke',
  'account:sign_out',
  'account:lock',
  'account:password_compromised',
];
const ADMIN: readonly Permission[] = [
  ...SUPPORT,
  'tokens:create',
  'audit:read',
  'staff:manage',
  'jobs:incident',
  'account:ban',
  'account:revoke_keys',
  'account:revoke_devices',
  'account:reset_mfa',
  'approvals:decide',
  'approvals:break_glass',
];

export const PERMISSIONS: Record<Role, readonly Permission[]> = Object.freeze({
  viewer: Object.freeze(VIEWER),
  support: Object.freeze(SUPPORT),
  admin: Object.freeze(ADMIN),
});

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Unknown roles (a stale cookie, a hand-edited row) get nothing rather than throwing. */
export function can(role: Role, p: Permission): boolean {
  if (!isRole(role)) return false;
  return PERMISSIONS[role].includes(p);
}

export function rolesWith(p: Permission): string[] {
  return ROLES.filter((r) => can(r, p));
}
