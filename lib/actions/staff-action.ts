import 'server-only';
import { randomUUID } from 'node:crypto';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { actorOf, type Permission, fail, type ActionResult } from '@/lib/vocabulary';
import { requireStaff, StaffAccessError } from '@/lib/auth/require-staff';
import { ConsoleApiError } from '@/lib/clerk/errors';
import { runInLane } from '@/lib/clerk/lane';
import { auditLog, AuditUnavailableError } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { getRequestContext } from '@/lib/request-context';
import { log } from '@/lib/log';
import { runKeyedHandler, takeRequestKey, type IdempotencyOptions } from '@/lib/actions/idempotency';
import { auditedWith, type BeginAudit } from '@/lib/actions/audited';
import type { ActionContext, PublicActionContext } from '@/lib/actions/action-context';

export type { ActionContext, PublicActionContext } from '@/lib/actions/action-context';

export type ActionAccess = Permission | 'authenticated' | 'public';

type ContextFor<A extends ActionAccess> = A extends 'public' ? PublicActionContext : ActionContext;

export const STAFF_ACTION = Symbol.for('session-console.staff-action');

export type StaffActionFn<R> = ((input: unknown) => Promise<ActionResult<R>>) &
  ((prev: unknown, form: FormData) => Promise<ActionResult<R>>) & { [STAFF_ACTION]: ActionAccess };

function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith('$ACTION')) continue; // React's own fields on progressively enhanced forms
    if (typeof value !== 'string') continue;
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

// Nothing upstream (bodies, `e.message`, stacks) ever reaches the browser: every failure maps to a fixed message.
export function staffAction<S extends z.ZodType, R, A extends ActionAccess>(
  opts: {
    name: string;
    access: A;
    schema: S;
    idempotent?: true | IdempotencyOptions<R>;
  },
  handler: (input: z.infer<S>, ctx: ContextFor<A>) => Promise<ActionResult<R>>,
): StaffActionFn<R> {
  const run = async (...args: unknown[]): Promise<ActionResult<R>> => {
    const given = args.length >= 2 && args[1] instanceof FormData ? formToObject(args[1]) : args[0];
    const keyed = opts.idempotent ? takeRequestKey(given) : null;
    const raw = keyed ? keyed.rest : given;
    try {
      const staff =
        opts.access === 'public'
          ? null
          : await requireStaff(opts.access === 'authenticated' ? null : opts.access, `action:${opts.name}`);
      const parsed = opts.schema.safeParse(raw);
      if (!parsed.success) {
        return fail('invalid_input', 'Check the highlighted fields.', {
          fieldErrors: fieldErrorsOf(parsed.error),
        });
      }
      const request = await getRequestContext();
      if (!staff) {
        const publicCtx: PublicActionContext = { staff: null, request };
        return await handler(parsed.data, publicCtx as ContextFor<A>);
      }
      const beginAudit: BeginAudit = async (action, target, details) =>
        auditLog(await getDb()).begin({
          actor: actorOf(staff),
          action,
          target,
          details,
          ctx: request,
        });
      const ctx: ActionContext = { staff, request, beginAudit, audited: auditedWith(beginAudit) };
      const run = handler as (input: z.infer<S>, ctx: ActionContext) => Promise<ActionResult<R>>;
      if (keyed) {
        const options = opts.idempotent === true ? {} : (opts.idempotent ?? {});
        return await runInLane({ lane: 'interactive', staffId: staff.id }, () =>
          runKeyedHandler({ action: opts.name, options, ...keyed }, parsed.data, ctx, run, (e) => {
            unstable_rethrow(e);
            return toActionFailure(e, opts.name);
          }),
        );
      }
      return await runInLane({ lane: 'interactive', staffId: staff.id }, () => run(parsed.data, ctx));
    } catch (e) {
      unstable_rethrow(e);
      return toActionFailure(e, opts.name);
    }
  };
  return Object.assign(run, { [STAFF_ACTION]: opts.access }) as StaffActionFn<R>;
}

export function toActionFailure(e: unknown, name: string): ActionResult<never> {
  if (e instanceof StaffAccessError) return fail(e.kind, e.message);
  if (e instanceof AuditUnavailableError) {
    log.error({ action: name }, 'audit log unavailable; action refused');
    return fail(
      'audit_unavailable',
      'The audit log could not be written, so nothing was done. Try again or tell an administrator.',
    );
  }
  if (e instanceof ConsoleApiError) {
    if (e.kind === 'key_rejected' || e.kind === 'unavailable' || e.kind === 'unknown') {
      log.warn({ action: name, kind: e.kind, status: e.status, traceId: e.traceId }, 'upstream failure');
    }
    return fail(e.kind, e.userMessage, { traceId: e.traceId, retryAfterSeconds: e.retryAfterSeconds });
  }
  const errorId = randomUUID();
  log.error(
    { action: name, errorId, err: e instanceof Error ? { name: e.name } : typeof e },
    'unexpected action failure',
  );
  return fail('unknown', `Something went wrong. Reference ${errorId}.`);
}
