import 'server-only';
import type { z } from 'zod';
import type { Permission, ActionErrorKind, ActionFailure } from '@/lib/vocabulary';
import { requireStaff, type StaffContext } from '@/lib/auth/require-staff';
import { toActionFailure } from '@/lib/actions/staff-action';
import { runInLane } from '@/lib/clerk/lane';
import { crossSiteRefused, isCrossSite } from '@/lib/cross-site';

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

const UNEXPECTED = 'Something went wrong.';
const NOT_FOUND: ActionFailure = { ok: false, kind: 'not_found', message: 'Nothing has that id.' };

export interface RouteFailures {
  body: 'action' | 'error' | 'text';
  messages?: Partial<Record<ActionErrorKind, string>>;
  status?: Partial<Record<ActionErrorKind, number>>;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteContext<P> {
  staff: StaffContext;
  request: Request;
  params: P;
}

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

function answer(failure: ActionFailure, style: RouteFailures): Response {
  const own = style.messages?.[failure.kind];
  const message = !own
    ? failure.message
    : failure.kind === 'unknown' && failure.message.startsWith(UNEXPECTED)
      ? own + failure.message.slice(UNEXPECTED.length)
      : own;
  const status = style.status?.[failure.kind] ?? STATUS[failure.kind];
  const extra: Record<string, string> = failure.retryAfterSeconds
    ? { 'Retry-After': String(failure.retryAfterSeconds) }
    : {};
  if (style.body === 'action') return json(status, { ...failure, message }, extra);
  if (style.body === 'error') return json(status, { error: message }, extra);
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
  });
}

// Twin of staffAction, and a download also refuses another site's request; bad path params read as "not found".
export function staffRoute<
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  R = unknown,
>(
  opts: {
    name: string;
    access: Permission | 'authenticated';
    query?: Q;
    params?: P;
    refuseCrossSite?: true;
    failures?: RouteFailures;
  },
  handler: (query: Infer<Q>, ctx: RouteContext<Infer<P>>) => Promise<R | Response | null>,
): (request: Request, context?: { params?: Promise<unknown> }) => Promise<Response> {
  const style: RouteFailures = opts.failures ?? { body: 'action' };
  return async (request, context) => {
    if (opts.refuseCrossSite && isCrossSite(request)) return crossSiteRefused();
    let failure: ActionFailure;
    try {
      const staff = await requireStaff(
        opts.access === 'authenticated' ? null : opts.access,
        `api:${opts.name}`,
      );
      let params: unknown;
      if (opts.params) {
        const parsed = opts.params.safeParse(await context?.params);
        if (!parsed.success) return answer(NOT_FOUND, style);
        params = parsed.data;
      }
      let query: unknown;
      if (opts.query) {
        const parsed = opts.query.safeParse(queryObject(new URL(request.url)));
        if (!parsed.success) {
          const fieldErrors: Record<string, string[]> = {};
          for (const issue of parsed.error.issues) {
            const key = issue.path.length ? issue.path.map(String).join('.') : '_query';
            (fieldErrors[key] ??= []).push(issue.message);
          }
          const message = 'This request’s parameters are not valid.';
          return answer({ ok: false, kind: 'invalid_input', message, fieldErrors }, style);
        }
        query = parsed.data;
      }
      const result = await runInLane({ lane: 'interactive', staffId: staff.id }, () =>
        handler(query as Infer<Q>, { staff, request, params: params as Infer<P> }),
      );
      if (result instanceof Response) return result;
      if (result === null) return answer(NOT_FOUND, style);
      return json(200, result);
    } catch (e) {
      failure = toActionFailure(e, opts.name) as ActionFailure;
    }
    return answer(failure, style);
  };
}
