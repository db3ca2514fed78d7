'use server';

import { z } from 'zod';
import { staffAction } from '@/lib/actions/staff-action';
import { actorOf, fail, ok } from '@/lib/vocabulary';
import { auditLog } from '@/lib/audit';
import { reconcileIntent, ReconcileError, type ReconcileResult } from '@/lib/audit/reconcile';
import { ConsoleApiError, getSession } from '@/lib/clerk';
import { getDb } from '@/lib/db';

const reconcileAuditInput = z.object({ intentId: z.uuid('Not an audit entry id.') }).strict();

/** Settles an unknown-outcome audit entry by asking Clerk (admin only). */
export const reconcileAuditAction = staffAction(
  { name: 'audit.reconcile', access: 'audit:read', schema: reconcileAuditInput },
  async ({ intentId }, ctx) => {
    const { staff } = ctx;
    let result: ReconcileResult;
    try {
      result = await reconcileIntent(
        {
          audit: auditLog(await getDb()),
          getSession,
          isNotFound: (e) => e instanceof ConsoleApiError && e.kind === 'not_found',
        },
        {
          intentId,
          by: actorOf(staff),
          ctx: ctx.request,
        },
      );
    } catch (e) {
      if (!(e instanceof ReconcileError)) throw e;
      if (e.kind === 'upstream' && e.cause instanceof ConsoleApiError) throw e.cause; // its safe message + trace id
      return fail(e.kind === 'upstream' ? 'unavailable' : 'invalid_input', e.message);
    }
    const label = { succeeded: 'Succeeded', failed: 'Failed', unknown: 'Unknown' }[result.outcome];
    return ok(`Resolved as ${label}. ${result.note}`, result);
  },
);
