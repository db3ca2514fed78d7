import { describe, expect, it } from 'vitest';
import { ConsoleApiError } from '@/lib/clerk/errors';
import type { AuditIntent } from '@/lib/audit';
import { fail, ok } from '@/lib/vocabulary';
import { auditedWith } from './audited';

/** A beginAudit that records what an action wrote: the intent, then its one outcome. */
function recorder() {
  const rows: unknown[][] = [];
  const intent: AuditIntent = {
    id: 'intent_1',
    succeeded: async (extra = {}) => void rows.push(['succeeded', extra]),
    failed: async (code, extra = {}) => void rows.push(['failed', code, extra]),
    unknown: async (extra = {}) => void rows.push(['unknown', extra]),
  };
  const audited = auditedWith(async (action, target, details) => {
    rows.push(['intent', action, target, details]);
    return intent;
  });
  return { rows, audited };
}

const target = { sessionId: 'sess_1' };

describe('ctx.audited: intent before, outcome after', () => {
  it('records success with what the call reported (trace id, details)', async () => {
    const { rows, audited } = recorder();
    const r = await audited('session.revoke', target, { reason: 'r' }, async (report) => {
      report({ traceId: 'trace_ok', details: { status: 'revoked' } });
      return ok('done', 1);
    });
    expect(r).toEqual({ ok: true, message: 'done', data: 1 });
    expect(rows).toEqual([
      ['intent', 'session.revoke', target, { reason: 'r' }],
      ['succeeded', { traceId: 'trace_ok', details: { status: 'revoked' } }],
    ]);
  });

  it('records a refusal the call returns as failed, with its kind or the code it reported', async () => {
    const a = recorder();
    await a.audited('job.pause', {}, {}, async () => fail('not_found', 'gone'));
    expect(a.rows[1]).toEqual(['failed', 'not_found', { traceId: null }]);
    const b = recorder();
    await b.audited('job.pause', {}, {}, async (report) => {
      report({ code: 'wrong_state' });
      return fail('invalid_input', 'no');
    });
    expect(b.rows[1]).toEqual(['failed', 'wrong_state', { traceId: null }]);
  });

  it('records a Clerk failure with its code and trace id, and a lost answer as unknown; both rethrown', async () => {
    const a = recorder();
    const refused = new ConsoleApiError({
      kind: 'not_found',
      userMessage: 'Not found.',
      clerkCode: 'resource_not_found',
      traceId: 'trace_404',
    });
    await expect(a.audited('session.revoke', target, {}, () => Promise.reject(refused))).rejects.toBe(
      refused,
    );
    expect(a.rows[1]).toEqual(['failed', 'resource_not_found', { traceId: 'trace_404' }]);

    const b = recorder();
    const lost = new ConsoleApiError({
      kind: 'unavailable',
      userMessage: 'Unknown.',
      outcomeUnknown: true,
      traceId: 'trace_5xx',
    });
    await expect(b.audited('session.revoke', target, {}, () => Promise.reject(lost))).rejects.toBe(lost);
    expect(b.rows[1]).toEqual(['unknown', { traceId: 'trace_5xx' }]);
  });

  it('records any other failure with the code given (default "error"), and rethrows it', async () => {
    const a = recorder();
    const boom = new Error('disk full');
    await expect(
      a.audited('risk.review', target, {}, () => Promise.reject(boom), { errorCode: 'review_not_stored' }),
    ).rejects.toBe(boom);
    expect(a.rows[1]).toEqual(['failed', 'review_not_stored', {}]);
    const b = recorder();
    await expect(b.audited('staff.manage', {}, {}, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(b.rows[1]).toEqual(['failed', 'error', {}]);
  });

  it('writes nothing else and never calls the action when the intent cannot be written', async () => {
    let called = false;
    const audited = auditedWith(() => Promise.reject(new Error('audit down')));
    await expect(
      audited('session.revoke', target, {}, async () => {
        called = true;
        return ok('', null);
      }),
    ).rejects.toThrow('audit down');
    expect(called).toBe(false);
  });
});
