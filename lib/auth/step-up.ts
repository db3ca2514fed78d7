import 'server-only';
import type { StaffContext } from '@/lib/auth/require-staff';
import { staffStore } from '@/lib/auth/staff-store';
import { stepUpThrottle } from '@/lib/auth/throttle';
import { auditLog, type AuditAction, type AuditTarget } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { actorOf, fail, type ActionResult } from '@/lib/vocabulary';
import type { RequestContext } from '@/lib/request-context';

export const SSO_STEP_UP_WINDOW_MS = 5 * 60 * 1000;

export function ssoStepUpFresh(staff: Pick<StaffContext, 'authTime'>, now = Date.now()): boolean {
  return (
    staff.authTime !== null && now - staff.authTime <= SSO_STEP_UP_WINDOW_MS && staff.authTime <= now + 60_000
  );
}

// Password staff get a step-up limiter of their own (not the sign-in one); SSO staff must have re-authenticated
// at the identity provider (prompt=login, max_age=0) within 5 minutes, per its `auth_time`.
export async function confirmStepUp(
  staff: StaffContext,
  password: string | undefined,
  what: {
    action: AuditAction;
    target: AuditTarget;
    request: RequestContext;
    details?: Record<string, unknown>;
  },
): Promise<ActionResult<never> | null> {
  const db = await getDb();
  const refuse = async (outcome: 'failed' | 'denied', code: string, result: ActionResult<never>) => {
    await auditLog(db).record({
      actor: actorOf(staff),
      action: 'auth.step_up',
      target: what.target,
      details: {
        ...what.details,
        for: what.action,
        consoleSession: staff.consoleSessionId,
        provider: staff.provider,
      },
      ctx: what.request,
      outcome,
      code,
    });
    return result;
  };

  if (staff.provider === 'oidc') {
    if (ssoStepUpFresh(staff)) return null;
    return refuse(
      'failed',
      'sso_reauth_required',
      fail(
        'step_up_required',
        'Re-authenticate with single sign-on first (it asks for your password again).',
      ),
    );
  }

  const throttle = stepUpThrottle(db);
  const verdict = await throttle.check(staff.id);
  if (!verdict.allowed) {
    return refuse(
      'denied',
      'throttled',
      fail(
        'step_up_required',
        `Too many password attempts. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} min.`,
      ),
    );
  }
  const confirmed = password ? await staffStore(db).checkPassword(staff.email, password) : null;
  if (!confirmed || confirmed.id !== staff.id) {
    return refuse(
      'failed',
      password ? 'wrong_password' : 'password_missing',
      fail('step_up_required', 'Your password was not accepted.', {
        fieldErrors: { password: ['Re-enter your password.'] },
      }),
    );
  }
  await throttle.recordSuccess(staff.id);
  return null;
}
