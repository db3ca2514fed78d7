import { describe, expect, it } from 'vitest';
import type { ActionResult } from '@/lib/actions/action-state';
import type { RevokeOutcome } from '@/lib/sessions/bulk-revoke';
import { newBatchId, runBulkRevoke, summarize } from './bulk-runner';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `sess_${i + 1}`);
const okBatch = (batch: string[]): ActionResult<{ outcomes: RevokeOutcome[] }> => ({
  ok: true,
  message: '',
  data: { outcomes: batch.map((sessionId) => ({ sessionId, outcome: 'revoked' as const })) },
});

describe('runBulkRevoke', () => {
  it('sends batches of 10 in order and reports every session once', async () => {
    const sent: string[][] = [];
    const progress: number[] = [];
    const r = await runBulkRevoke({
      sessionIds: [...ids(23), 'sess_1'],
      revokeBatch: async (b) => (sent.push(b), okBatch(b)),
      isCancelled: () => false,
      onProgress: (o) => progress.push(o.length),
    });
    expect(sent.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(sent.flat()).toEqual(ids(23));
    expect(progress).toEqual([10, 20, 23]);
    expect(r).toMatchObject({ cancelled: false, stoppedBy: null });
    expect(summarize(r.outcomes)).toMatchObject({ revoked: 23, skipped: 0 });
  });

  it('stops after the batch in flight when cancelled and marks the rest not attempted', async () => {
    let cancelled = false;
    const sent: string[][] = [];
    const r = await runBulkRevoke({
      sessionIds: ids(35),
      revokeBatch: async (b) => {
        sent.push(b);
        cancelled = true; // the person presses Cancel while the first batch is running
        return okBatch(b);
      },
      isCancelled: () => cancelled,
    });
    expect(sent).toHaveLength(1);
    expect(r.cancelled).toBe(true);
    expect(summarize(r.outcomes)).toMatchObject({ revoked: 10, skipped: 25 });
    expect(r.outcomes).toHaveLength(35);
  });

  it('keeps per-session failures from the server and carries on', async () => {
    const r = await runBulkRevoke({
      sessionIds: ids(12),
      revokeBatch: async (b) => ({
        ok: true,
        message: '',
        data: {
          outcomes: b.map((sessionId) =>
            sessionId === 'sess_2'
              ? {
                  sessionId,
                  outcome: 'already_inactive' as const,
                  message: 'No longer active.',
                  traceId: 'tr_1',
                }
              : { sessionId, outcome: 'revoked' as const },
          ),
        },
      }),
      isCancelled: () => false,
    });
    expect(summarize(r.outcomes)).toMatchObject({ revoked: 11, already_inactive: 1 });
    expect(r.outcomes.find((o) => o.sessionId === 'sess_2')).toMatchObject({ traceId: 'tr_1' });
  });

  it('stops when a whole batch is refused, and never drops an id', async () => {
    let calls = 0;
    const r = await runBulkRevoke({
      sessionIds: ids(25),
      revokeBatch: async (b) =>
        ++calls === 2
          ? { ok: false, kind: 'audit_unavailable', message: 'The audit log is unavailable.', traceId: null }
          : okBatch(b),
      isCancelled: () => false,
    });
    expect(calls).toBe(2);
    expect(r.stoppedBy).toEqual({ message: 'The audit log is unavailable.', traceId: null });
    expect(summarize(r.outcomes)).toMatchObject({ revoked: 10, failed: 10, skipped: 5 });
    expect(r.outcomes.map((o) => o.sessionId).sort()).toEqual(ids(25).sort());
  });

  it('reports a batch lost in transit as unknown, not failed', async () => {
    const r = await runBulkRevoke({
      sessionIds: ids(3),
      revokeBatch: async () => {
        throw new TypeError('Failed to fetch');
      },
      isCancelled: () => false,
    });
    expect(summarize(r.outcomes)).toMatchObject({ unknown: 3 });
    expect(r.outcomes[0]).toMatchObject({ outcome: 'unknown' });
    expect(JSON.stringify(r)).not.toContain('Failed to fetch');
  });

  it('reports a session the server left out as unknown', async () => {
    const r = await runBulkRevoke({
      sessionIds: ids(2),
      revokeBatch: async () => ({
        ok: true,
        message: '',
        data: { outcomes: [{ sessionId: 'sess_1', outcome: 'revoked' }] },
      }),
      isCancelled: () => false,
    });
    expect(r.outcomes.map((o) => o.outcome)).toEqual(['revoked', 'unknown']);
  });
});

describe('newBatchId', () => {
  it('is a v4 uuid (the server schema requires one)', () => {
    expect(newBatchId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newBatchId()).not.toBe(newBatchId());
  });
});
