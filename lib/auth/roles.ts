// Shared with the browser (navigation and buttons hide what a role cannot do): pure data, no server imports.
// The server never trusts this from the client: requireStaff() re-checks it against the staff store.

export const ROLES = ['viewer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'users:read'
  | 'sessions:read'
  | 'sessions:revoke'
  | 'tokens:create'
  | 'audit:read'
  | 'staff:manage'
  /** The incident form: one job over a pasted list of users. */
  | 'jobs:incident';

const VIEWER: readonly Permission[] = ['users:read', 'sessions:read'];
const SUPPORT: readonly Permission[] = [...VIEWER, 'sessions:revoke'];
const ADMIN: readonly Permission[] = [
  ...SUPPORT,
  'tokens:create',
  'audit:read',
  'staff:manage',
  'jobs:incident',
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

/** The roles that hold `p` (for queries that check a stored role against a permission). */
export function rolesWith(p: Permission): string[] {
  return ROLES.filter((r) => can(r, p));
}
