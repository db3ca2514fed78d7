import 'server-only';
import type { z } from 'zod';
import type { Permission } from '@/lib/auth/roles';
import { requireStaff, type StaffContext } from '@/lib/auth/require-staff';
import { fail, type ActionErrorKind, type ActionFailure } from '@/lib/actions/action-state';
import { toActionFailure } from '@/lib/actions/staff-action';
import { runInLane } from '@/lib/clerk/lane';

const STATUS: Record<ActionErrorKind, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_input: 400,
  not_found: 404,
  already_revoked: 409,
  conflict: 409,
  in_progress: 409,
  rate_limited: 429,
  key_rejected: 502,
  unavailable: 503,
  audit_unavailable: 503,
  step_up_required: 403,
  unknown: 500,
};

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
  });
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/**
 * The GET twin of staffAction, for reads the browser repeats (polling): the same order and the same safe
 * failures (role fresh from the staff store with denials audited → strict zod on the query string → handler →
 * a fixed message), answered as JSON with an HTTP status. Success is the handler's DTO itself.
 */
export function staffRoute<S extends z.ZodType, R>(
  opts: { name: string; access: Permission | 'authenticated'; query: S },
  handler: (input: z.infer<S>, ctx: { staff: StaffContext; request: Request }) => Promise<R>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let failure: ActionFailure;
    try {
      const staff = await requireStaff(
        opts.access === 'authenticated' ? null : opts.access,
        `api:${opts.name}`,
      );
      const parsed = opts.query.safeParse(queryObject(new URL(request.url)));
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const key = issue.path.length ? issue.path.map(String).join('.') : '_query';
          (fieldErrors[key] ??= []).push(issue.message);
        }
        return json(400, fail('invalid_input', 'This request’s parameters are not valid.', { fieldErrors }));
      }
      return json(
        200,
        await runInLane({ lane: 'interactive', staffId: staff.id }, () =>
          handler(parsed.data, { staff, request }),
        ),
      );
    } catch (e) {
      failure = toActionFailure(e, opts.name) as ActionFailure;
    }
    const retry = failure.retryAfterSeconds
      ? { 'Retry-After': String(failure.retryAfterSeconds) }
      : undefined;
    return json(STATUS[failure.kind], failure, retry);
  };
}
