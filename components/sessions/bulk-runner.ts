import type { ActionResult } from '@/lib/actions/action-state';
import type { RevokeOutcome } from '@/lib/sessions/bulk-revoke';

export type BulkOutcome =
  | RevokeOutcome
  | { sessionId: string; outcome: 'skipped'; message: string; traceId: null };

export interface BulkRunOptions {
  sessionIds: readonly string[];
  batchSize?: number;
  /** One server round trip: revokes exactly these ids. */
  revokeBatch(sessionIds: string[]): Promise<ActionResult<{ outcomes: RevokeOutcome[] }>>;
  /** Checked before each batch: true stops the run (the batch in flight always completes). */
  isCancelled(): boolean;
  /** Called after each batch with every outcome so far. */
  onProgress?(outcomes: readonly BulkOutcome[]): void;
}

export interface BulkRunResult {
  outcomes: BulkOutcome[];
  cancelled: boolean;
  /** A failure of a whole batch (not allowed, audit down, network): the run stopped there. */
  stoppedBy: { message: string; traceId: string | null } | null;
}

export const BULK_BATCH_SIZE = 10;

/**
 * Sends the ids in batches, one after the other, so the person sees progress and can stop between batches.
 * A batch the server refused as a whole stops the run (the next would be refused too); ids never sent are
 * reported as skipped, never silently dropped. A batch whose request failed in flight is reported 'unknown':
 * the server may have revoked some of it.
 */
export async function runBulkRevoke(opts: BulkRunOptions): Promise<BulkRunResult> {
  const size = Math.max(1, Math.min(opts.batchSize ?? BULK_BATCH_SIZE, 100));
  const ids = [...new Set(opts.sessionIds)];
  const outcomes: BulkOutcome[] = [];
  let cancelled = false;
  let stoppedBy: BulkRunResult['stoppedBy'] = null;
  let i = 0;
  for (; i < ids.length; i += size) {
    if (opts.isCancelled()) {
      cancelled = true;
      break;
    }
    const batch = ids.slice(i, i + size);
    let result: ActionResult<{ outcomes: RevokeOutcome[] }>;
    try {
      result = await opts.revokeBatch(batch);
    } catch {
      const message =
        'The request failed on the way: this session may or may not have been revoked. Reload to check.';
      outcomes.push(
        ...batch.map((sessionId) => ({ sessionId, outcome: 'unknown' as const, message, traceId: null })),
      );
      stoppedBy = { message: 'The console could not be reached; the run stopped.', traceId: null };
      i += size;
      break;
    }
    if (!result.ok) {
      outcomes.push(
        ...batch.map((sessionId) => ({
          sessionId,
          outcome: 'failed' as const,
          message: result.ok ? '' : result.message,
          traceId: result.ok ? null : (result.traceId ?? null),
        })),
      );
      stoppedBy = { message: result.message, traceId: result.traceId ?? null };
      i += size;
      break;
    }
    const byId = new Map(result.data.outcomes.map((o) => [o.sessionId, o]));
    for (const sessionId of batch) {
      outcomes.push(
        byId.get(sessionId) ?? {
          sessionId,
          outcome: 'unknown',
          message: 'The server did not report on this session.',
          traceId: null,
        },
      );
    }
    opts.onProgress?.(outcomes);
  }
  const reason = cancelled ? 'Cancelled before this session was sent.' : 'Not attempted: the run stopped.';
  for (const sessionId of ids.slice(i))
    outcomes.push({ sessionId, outcome: 'skipped', message: reason, traceId: null });
  if (i < ids.length || stoppedBy) opts.onProgress?.(outcomes);
  return { outcomes, cancelled, stoppedBy };
}

export function summarize(outcomes: readonly BulkOutcome[]): Record<BulkOutcome['outcome'], number> {
  const counts = { revoked: 0, already_inactive: 0, not_found: 0, failed: 0, unknown: 0, skipped: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}

/** A v4 UUID for the batch id, also where crypto.randomUUID is missing (plain-http origins). */
export function newBatchId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
