import { describe, expect, it } from 'vitest';
import { can, isRole, PERMISSIONS, ROLES, type Permission } from './roles';

const ALL: Permission[] = [
  'users:read',
  'sessions:read',
  'sessions:revoke',
  'tokens:create',
  'audit:read',
  'staff:manage',
];

describe('roles', () => {
  it('grants viewers reading only, support also revoking, admins everything', () => {
    const table = Object.fromEntries(ROLES.map((r) => [r, ALL.filter((p) => can(r, p))]));
    expect(table).toEqual({
      viewer: ['users:read', 'sessions:read'],
      support: ['users:read', 'sessions:read', 'sessions:revoke'],
      admin: ALL,
    });
  });

  it('grants nothing to a role it does not know, and cannot be widened at run time', () => {
    expect(can('owner' as never, 'users:read')).toBe(false);
    expect(can('__proto__' as never, 'users:read')).toBe(false);
    expect(isRole('admin')).toBe(true);
    expect(isRole('Admin')).toBe(false);
    expect(() => (PERMISSIONS.viewer as Permission[]).push('tokens:create')).toThrow();
    expect(can('viewer', 'tokens:create')).toBe(false);
  });
});
