/** What every server action returns to the browser: a plain message, never an upstream body or a stack. */
export type ActionErrorKind =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_input'
  | 'not_found'
  | 'already_revoked'
  | 'rate_limited'
  | 'key_rejected'
  | 'unavailable'
  | 'audit_unavailable'
  | 'step_up_required'
  | 'conflict'
  | 'in_progress'
  | 'unknown';

export type ActionResult<T = undefined> =
  | { ok: true; message: string; data: T }
  | {
      ok: false;
      kind: ActionErrorKind;
      message: string;
      fieldErrors?: Record<string, string[]>;
      traceId?: string | null;
      retryAfterSeconds?: number | null;
    };

export function ok<T>(message: string, data: T): ActionResult<T> {
  return { ok: true, message, data };
}

export function fail(
  kind: ActionErrorKind,
  message: string,
  extra: {
    fieldErrors?: Record<string, string[]>;
    traceId?: string | null;
    retryAfterSeconds?: number | null;
  } = {},
): ActionResult<never> {
  return { ok: false, kind, message, ...extra };
}

export type ActionFailure = Extract<ActionResult<unknown>, { ok: false }>;

export class ActionError extends Error {
  constructor(readonly failure: ActionFailure) {
    super(failure.message);
    this.name = 'ActionError';
  }
}
