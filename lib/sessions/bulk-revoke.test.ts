import { describe, expect, it } from 'vitest';
import { bulkRevoke, type RevokeFailure } from './bulk-revoke';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `sess_${String(i).padStart(4, '0')}`);

describe('bulkRevoke', () => {
  it('revokes exactly the sessions given, each once, and keeps their order in the report', async () => {
    const calls: string[] = [];
    const input = ids(23);
    const out = await bulkRevoke([...input, input[0]!], {
      async revokeOne(id) {
        calls.push(id);
        await new Promise((r) => setTimeout(r, 1));
        return null;
      },
    });
    expect(out.map((o) => o.sessionId)).toEqual(input);
    expect(out.every((o) => o.outcome === 'revoked')).toBe(true);
    expect([...calls].sort()).toEqual([...input].sort());
  });

  it('never runs more than the configured number of revokes at once', async () => {
    let inFlight = 0;
    let peak = 0;
    await bulkRevoke(
      ids(20),
      {
        async revokeOne() {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 3));
          inFlight--;
          return null;
        },
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
  });

  it('waits the Retry-After of a 429 and retries that session, so none is lost', async () => {
    const sleeps: number[] = [];
    let limited = 2;
    const out = await bulkRevoke(
      ['sess_a', 'sess_b'],
      {
        async revokeOne(id): Promise<RevokeFailure | null> {
          if (id === 'sess_a' && limited-- > 0)
            return { kind: 'rate_limited', message: 'slow down', traceId: 't', retryAfterSeconds: 2 };
          return null;
        },
        async sleep(ms) {
          sleeps.push(ms);
        },
      },
      { concurrency: 1 },
    );
    expect(out).toEqual([
      { sessionId: 'sess_a', outcome: 'revoked' },
      { sessionId: 'sess_b', outcome: 'revoked' },
    ]);
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sleeps)).toBeGreaterThan(1500);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(2000);
  });

  it('reports per-session failures with their trace ids and gives up on endless 429s', async () => {
    const out = await bulkRevoke(
      ['sess_gone', 'sess_old', 'sess_busy', 'sess_slow'],
      {
        async revokeOne(id) {
          if (id === 'sess_gone')
            return {
              kind: 'not_found',
              message: 'Session not found.',
              traceId: 'tr1',
              retryAfterSeconds: null,
            };
          if (id === 'sess_old')
            return {
              kind: 'already_revoked',
              message: 'No longer active.',
              traceId: 'tr2',
              retryAfterSeconds: null,
            };
          if (id === 'sess_busy')
            return { kind: 'rate_limited', message: 'Rate limited.', traceId: 'tr3', retryAfterSeconds: 1 };
          return {
            kind: 'unavailable',
            message: 'Clerk is unavailable.',
            traceId: null,
            retryAfterSeconds: null,
          };
        },
        async sleep() {},
      },
      { maxRateLimitRetries: 2 },
    );
    expect(out).toEqual([
      { sessionId: 'sess_gone', outcome: 'not_found', message: 'Session not found.', traceId: 'tr1' },
      { sessionId: 'sess_old', outcome: 'already_inactive', message: 'No longer active.', traceId: 'tr2' },
      { sessionId: 'sess_busy', outcome: 'failed', message: 'Rate limited.', traceId: 'tr3' },
      { sessionId: 'sess_slow', outcome: 'unknown', message: 'Clerk is unavailable.', traceId: null },
    ]);
  });
});
