import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db';
import { log } from '@/lib/log';
import { describeDeliveryError } from './http';
import { rowsAfter, settledPrefix, type StreamRow } from './rows';
import { streamCursors, type ReceiverKind } from './store';

export interface StreamTarget {
  name: string;
  kind: ReceiverKind;
  wants(row: StreamRow): boolean;
  send(row: StreamRow): Promise<void>;
}

export interface StreamWorkerOptions {
  db: Db;
  targets: StreamTarget[];
  pollMs: number;
  leaseMs: number;
  owner?: string;
  batch?: number;
  backoff?: { baseMs: number; maxMs: number };
  now?: () => Date;
}

export type PassResult = 'idle' | 'more' | 'waiting' | 'failed' | 'not_owner' | 'lost';

export function retryDelay(attempts: number, b: { baseMs: number; maxMs: number }): number {
  const full = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(full * (0.75 + Math.random() * 0.25));
}

// One loop per receiver, off every request path: a dead receiver only ever holds up its own cursor.
export function streamWorker(o: StreamWorkerOptions) {
  const now = o.now ?? (() => new Date());
  const owner = o.owner ?? `stream-${randomUUID()}`;
  const batch = o.batch ?? 100;
  const backoff = o.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
  const store = streamCursors(o.db, now);
  const ensured = new Set<string>();

  async function pass(t: StreamTarget): Promise<PassResult> {
    if (!ensured.has(t.name)) {
      await store.ensure(t.name, t.kind);
      ensured.add(t.name);
    }
    const state = await store.claim(t.name, owner, o.leaseMs);
    if (!state) return 'not_owner';
    if (state.nextAttemptAt && state.nextAttemptAt > now()) return 'waiting';
    const rows = settledPrefix(await rowsAfter(o.db, state.cursor, batch), state.cursor, now());
    let cursor = state.cursor;
    let checked = cursor;
    const move = async (to: number, delivered: number) => {
      const ok = await store.advance(t.name, owner, {
        generation: state.generation,
        from: cursor,
        to,
        delivered,
      });
      if (ok) cursor = checked = to;
      return ok;
    };
    for (const row of rows) {
      if (!t.wants(row)) {
        checked = row.seq;
        continue;
      }
      try {
        await t.send(row);
      } catch (e) {
        if (checked !== cursor) await move(checked, 0);
        const attempts = state.attempts + 1;
        await store.failed(t.name, owner, {
          generation: state.generation,
          attempts,
          retryAt: new Date(now().getTime() + retryDelay(attempts, backoff)),
          error: describeDeliveryError(e),
        });
        return 'failed';
      }
      // Saved per event: a crash now re-sends at most this one, which the receiver de-duplicates by its id.
      if (!(await move(row.seq, 1))) return 'lost';
    }
    if (checked !== cursor && !(await move(checked, 0))) return 'lost';
    return rows.length === batch ? 'more' : 'idle';
  }

  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = true;

  function schedule(t: StreamTarget, ms: number) {
    if (stopped) return;
    clearTimeout(timers.get(t.name));
    const timer = setTimeout(() => void run(t), ms);
    timer.unref();
    timers.set(t.name, timer);
  }

  function run(t: StreamTarget): Promise<void> {
    const busy = running.get(t.name);
    if (busy) return busy;
    const job = (async () => {
      let next = o.pollMs;
      try {
        if ((await pass(t)) === 'more') next = 0;
      } catch (e) {
        log.warn(
          { where: 'audit-stream', receiver: t.name, err: e instanceof Error ? e.name : 'unknown' },
          'audit stream pass failed',
        );
      } finally {
        running.delete(t.name);
        schedule(t, next);
      }
    })();
    running.set(t.name, job);
    return job;
  }

  return {
    owner,
    pass,
    start() {
      if (!stopped) return;
      stopped = false;
      for (const t of o.targets) schedule(t, 0);
    },
    /** Look now rather than at the next poll. */
    kick() {
      for (const t of o.targets) if (!running.has(t.name)) schedule(t, 0);
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running.values()]);
      await Promise.allSettled(o.targets.map((t) => store.release(t.name, owner)));
    },
  };
}

export type StreamWorker = ReturnType<typeof streamWorker>;
