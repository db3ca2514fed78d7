import 'server-only';
import { Webhook } from 'standardwebhooks';
import { post } from './http';
import type { StreamRow } from './rows';

/** Same row, same bytes: a replay after a rewind is identical to the first delivery. */
export function webhookPayload(row: StreamRow): string {
  return JSON.stringify({
    type: `audit.${row.action}`,
    timestamp: row.at.toISOString(),
    data: {
      seq: row.seq,
      id: row.id,
      kind: row.kind,
      intentId: row.intentId,
      at: row.at.toISOString(),
      action: row.action,
      outcome: row.outcome,
      actor: row.actor,
      target: row.target,
      details: row.details,
      ip: row.ip,
      userAgent: row.userAgent,
      code: row.code,
      traceId: row.traceId,
      reconciled: row.reconciled,
    },
  });
}

// webhook-id is the audit row's own id, so a receiver de-duplicates a retry or a replay by it.
export function webhookSender(r: { url: string; secret: string }, timeoutMs: number) {
  const signer = new Webhook(r.secret);
  return async (row: StreamRow): Promise<void> => {
    const body = webhookPayload(row);
    const sentAt = new Date();
    await post(r.url, {
      timeoutMs,
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': row.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signer.sign(row.id, sentAt, body),
      },
    });
  };
}
