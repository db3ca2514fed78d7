// Delivers the outbox to each endpoint as Svix does for Clerk: one svix-id per event, signed again on every
// attempt, retried with back-off while the receiver fails; concurrent, so deliveries can arrive out of order.
import { webhookHeaders } from './webhook-sign';
import { lastOutboxSeq, setWebhooksOn, type DueSend } from './webhook-outbox';
import type { LocalClerkStore } from './store';

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Svix stops after about three days of attempts. */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 500, maxMs: 60_000, giveUpAfterMs: 3 * 86_400_000 };
const CONCURRENCY = 8;
const POLL_MS = 100;
const TIMEOUT_MS = 15_000;

export interface WebhookSenderOptions {
  store: LocalClerkStore;
  endpoints: string[];
  secret: string;
  instanceId: string;
  retry?: RetryPolicy;
  log?: (line: string) => void;
}

export interface WebhookSender {
  /** Resolves once nothing is waiting to be delivered (tests and benchmarks). */
  drained(): Promise<void>;
  stats(): { delivered: number; failedAttempts: number; gaveUp: number };
  close(): Promise<void>;
}

export function startWebhookSender(o: WebhookSenderOptions): WebhookSender {
  const db = o.store.db;
  const retry = o.retry ?? DEFAULT_RETRY;
  const log = o.log ?? (() => {});
  setWebhooksOn(db, true);
  const endpoints = [...new Set(o.endpoints)];
  db.prepare(`DELETE FROM webhook_sends WHERE endpoint NOT IN (SELECT value FROM json_each(?))`).run(
    JSON.stringify(endpoints),
  );
  const fanOut = db.transaction((now: number) => {
    const from = Number(o.store.getMeta('webhook_fanned') ?? '0');
    const to = lastOutboxSeq(db);
    if (to <= from) return;
    const insert = db.prepare(
      `INSERT OR IGNORE INTO webhook_sends (seq, endpoint, attempts, next_at, first_at)
       SELECT seq, ?, 0, ?, ? FROM webhook_outbox WHERE seq > ? AND seq <= ?`,
    );
    for (const e of endpoints) insert.run(e, now, now, from, to);
    o.store.setMeta('webhook_fanned', String(to));
    db.prepare(
      'DELETE FROM webhook_outbox WHERE seq <= ? AND NOT EXISTS (SELECT 1 FROM webhook_sends s WHERE s.seq = webhook_outbox.seq)',
    ).run(to);
  });
  const due = db.prepare<[number, number], DueSend>(
    `SELECT o.*, s.endpoint, s.attempts, s.first_at FROM webhook_sends s JOIN webhook_outbox o ON o.seq = s.seq
     WHERE s.next_at <= ? ORDER BY s.next_at, s.seq LIMIT ?`,
  );
  const done = db.prepare<[number, string]>('DELETE FROM webhook_sends WHERE seq = ? AND endpoint = ?');
  const later = db.prepare<[number, number, string]>(
    'UPDATE webhook_sends SET attempts = attempts + 1, next_at = ? WHERE seq = ? AND endpoint = ?',
  );
  const pending = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM webhook_sends');
  const stats = { delivered: 0, failedAttempts: 0, gaveUp: 0 };
  const inFlight = new Set<string>();
  const stop = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let waiters: (() => void)[] = [];

  function payload(row: DueSend): string {
    let data: unknown;
    if (row.type.startsWith('session.')) {
      const session = JSON.parse(row.doc ?? '{}') as { user_id?: string };
      data = { ...session, user: (session.user_id && o.store.getUser(session.user_id)) || null };
    } else if (row.type === 'user.deleted') data = { object: 'user', id: row.object_id, deleted: true };
    else data = o.store.getUser(row.object_id) ?? { object: 'user', id: row.object_id, deleted: true };
    return JSON.stringify({
      data,
      object: 'event',
      type: row.type,
      timestamp: row.at,
      instance_id: o.instanceId,
      event_attributes: {
        http_request: { client_ip: row.client_ip ?? '', user_agent: row.user_agent ?? '' },
      },
    });
  }

  async function deliver(row: DueSend): Promise<void> {
    const body = payload(row);
    let ok = false;
    try {
      const res = await fetch(row.endpoint, {
        method: 'POST',
        headers: {
          ...webhookHeaders(o.secret, row.msg_id, body),
          'user-agent': 'Svix-Webhooks/1.0 (local-clerk)',
        },
        body,
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      });
      await res.arrayBuffer().catch(() => {});
      ok = res.ok;
    } catch {
      ok = false;
    }
    if (stop.signal.aborted && !ok) return;
    const now = Date.now();
    if (ok) {
      done.run(row.seq, row.endpoint);
      stats.delivered++;
    } else if (now - row.first_at >= retry.giveUpAfterMs) {
      done.run(row.seq, row.endpoint);
      stats.gaveUp++;
      log(
        `webhook ${row.msg_id} (${row.type}) to ${row.endpoint}: gave up after ${row.attempts + 1} attempts`,
      );
    } else {
      stats.failedAttempts++;
      const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(row.attempts, 20));
      later.run(now + delay * (0.8 + Math.random() * 0.4), row.seq, row.endpoint);
    }
  }

  function schedule(ms: number): void {
    if (stop.signal.aborted) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(pump, ms);
    timer.unref();
  }

  function pump(): void {
    timer = null;
    if (stop.signal.aborted) return;
    try {
      const now = Date.now();
      fanOut(now);
      const free = CONCURRENCY - inFlight.size;
      if (free > 0) {
        for (const row of due.all(now, free + inFlight.size)) {
          const key = `${row.seq} ${row.endpoint}`;
          if (inFlight.has(key) || inFlight.size >= CONCURRENCY) continue;
          inFlight.add(key);
          void deliver(row).finally(() => {
            inFlight.delete(key);
            schedule(0);
          });
        }
      }
      if (
        inFlight.size === 0 &&
        pending.get()!.n === 0 &&
        lastOutboxSeq(db) <= Number(o.store.getMeta('webhook_fanned') ?? '0')
      ) {
        for (const w of waiters.splice(0)) w();
      }
    } catch (e) {
      log(`webhook sender: ${e instanceof Error ? e.message : String(e)}`);
    }
    schedule(POLL_MS);
  }

  schedule(0);
  return {
    drained: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        schedule(0);
      }),
    stats: () => ({ ...stats }),
    async close() {
      stop.abort();
      if (timer) clearTimeout(timer);
      waiters = [];
    },
  };
}
