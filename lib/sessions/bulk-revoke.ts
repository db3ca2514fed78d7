export type RevokeOutcome =
  | { sessionId: string; outcome: 'revoked' }
  | {
      sessionId: string;
      outcome: 'already_inactive' | 'not_found' | 'failed' | 'unknown';
      message: string;
      traceId: string | null;
    };

export interface RevokeFailure {
  kind: string;
  message: string;
  traceId: string | null;
  retryAfterSeconds: number | null;
  /** Refused by the console's own request budget before any call: waited out without using up a retry. */
  local?: boolean;
}

export interface BulkRevokeDeps {
  /** Revokes one session; resolves to null on success or a failure description. Must not throw. */
  revokeOne(sessionId: string): Promise<RevokeFailure | null>;
  sleep?(ms: number): Promise<void>;
}

export interface BulkRevokeOptions {
  concurrency?: number;
  /** How many times one session is retried after a 429 before it is reported as failed. */
  maxRateLimitRetries?: number;
  /** Longest wait honoured from a Retry-After, so one request can't park the batch for minutes. */
  maxRetryAfterMs?: number;
}

/** A batch waits out the budget at most this many times per session (each wait at most maxRetryAfterMs). */
const MAX_LOCAL_WAITS = 30;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Revokes exactly the sessions it is given (never looks any up), with bounded concurrency. A 429 pauses the
 * whole batch for the Retry-After the API asked for, then that session is tried again: a rate-limited revoke
 * was not carried out, so repeating it can't revoke twice. Other failures are reported per session.
 */
export async function bulkRevoke(
  sessionIds: readonly string[],
  deps: BulkRevokeDeps,
  opts: BulkRevokeOptions = {},
): Promise<RevokeOutcome[]> {
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 4, 16));
  const maxRetries = opts.maxRateLimitRetries ?? 5;
  const maxWait = opts.maxRetryAfterMs ?? 15_000;
  const sleep = deps.sleep ?? defaultSleep;
  const unique = [...new Set(sessionIds)];
  const results = new Map<string, RevokeOutcome>();
  let next = 0;
  let pausedUntil = 0;

  async function worker() {
    for (;;) {
      const index = next++;
      const id = unique[index];
      if (id === undefined) return;
      let attempts = 0;
      let localWaits = 0;
      for (;;) {
        const wait = pausedUntil - Date.now();
        if (wait > 0) await sleep(wait);
        const failure = await deps.revokeOne(id);
        if (!failure) {
          results.set(id, { sessionId: id, outcome: 'revoked' });
          break;
        }
        if (failure.kind === 'rate_limited' && failure.local && localWaits < MAX_LOCAL_WAITS) {
          localWaits++;
          const ms = Math.min(maxWait, Math.max(1, failure.retryAfterSeconds ?? 1) * 1000);
          pausedUntil = Math.max(pausedUntil, Date.now() + ms);
          continue;
        }
        if (failure.kind === 'rate_limited' && attempts < maxRetries) {
          attempts++;
          const ms = Math.min(maxWait, Math.max(1, failure.retryAfterSeconds ?? 1) * 1000);
          pausedUntil = Math.max(pausedUntil, Date.now() + ms);
          continue;
        }
        const outcome =
          failure.kind === 'already_revoked'
            ? 'already_inactive'
            : failure.kind === 'not_found'
              ? 'not_found'
              : failure.kind === 'unavailable'
                ? 'unknown'
                : 'failed';
        results.set(id, { sessionId: id, outcome, message: failure.message, traceId: failure.traceId });
        break;
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  return unique.map((id) => results.get(id)!);
}
