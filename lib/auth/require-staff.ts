import 'server-only';
import { cache } from 'react';
import { forbidden, redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { auth } from '@/lib/auth/auth';
import { ABSOLUTE_TIMEOUT_MS } from '@/lib/auth/auth.config';
import { can, type Permission, type Role } from '@/lib/vocabulary';
import { staffStore } from '@/lib/auth/staff-store';
import { getDb } from '@/lib/db';
import { auditLog } from '@/lib/audit';
import { getRequestContext } from '@/lib/request-context';

export interface StaffContext {
  id: string;
  email: string;
  role: Role;
  provider: string;
  signedInAt: number;
  authTime: number | null;
  consoleSessionId: string | null;
}

export type StaffAccessFailure = 'unauthenticated' | 'forbidden';

export class StaffAccessError extends Error {
  constructor(
    readonly kind: StaffAccessFailure,
    readonly permission: Permission | null,
  ) {
    super(
      kind === 'unauthenticated'
        ? 'Your console session has ended. Sign in again.'
        : 'Your role does not allow this.',
    );
    this.name = 'StaffAccessError';
  }
}

// The JWT only says who signed in; role, disabled state and session version come from the store on every request,
// so a demotion or a disable bites on the very next request.
export const getCurrentStaff = cache(async (): Promise<StaffContext | null> => {
  const session = await auth();
  const claims = session?.staff;
  if (!claims) return null;
  if (!claims.signedInAt || Date.now() - claims.signedInAt > ABSOLUTE_TIMEOUT_MS) return null;
  const member = await staffStore(await getDb()).findById(claims.staffId);
  if (!member || member.disabled || member.sessionVersion !== claims.sessionVersion) return null;
  return {
    id: member.id,
    email: member.email,
    role: member.role,
    provider: claims.provider,
    signedInAt: claims.signedInAt,
    authTime: claims.authTime ?? null,
    consoleSessionId: claims.sid ?? null,
  };
});

async function auditDenied(staff: StaffContext | null, permission: Permission | null, where: string) {
  try {
    // Folded per source and minute: an anonymous loop adds one counted row a minute, not one per request.
    await auditLog(await getDb()).denied({
      actor: { staffId: staff?.id ?? null, email: staff?.email ?? 'anonymous', role: staff?.role ?? null },
      action: 'access.denied',
      details: { permission, where: where.slice(0, 200) },
      ctx: await getRequestContext(),
      code: staff ? 'forbidden' : 'unauthenticated',
    });
  } catch {
    // A denial is refused whether or not it could be written down.
  }
}

export async function requireStaff(permission: Permission | null, where: string): Promise<StaffContext> {
  const staff = await getCurrentStaff();
  if (!staff) {
    await auditDenied(null, permission, where);
    throw new StaffAccessError('unauthenticated', permission);
  }
  if (permission && !can(staff.role, permission)) {
    await auditDenied(staff, permission, where);
    throw new StaffAccessError('forbidden', permission);
  }
  return staff;
}

export async function requireStaffPage(permission: Permission | null, where: string): Promise<StaffContext> {
  const staff = await getCurrentStaff();
  if (!staff) {
    const h = await headers();
    const path = h.get('x-console-path') ?? '/users';
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (permission && !can(staff.role, permission)) {
    await auditDenied(staff, permission, where);
    forbidden();
  }
  return staff;
}
