import 'server-only';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { streamTargets } from './targets';
import { streamWorker, type StreamWorker } from './worker';

export { streamStatus, type ReceiverStatus } from './status';
export { streamCursors } from './store';
export { cursorBefore, lastSeq } from './rows';
export { ssfJwks } from './ssf-key';
export { SSF_RECEIVER } from './targets';

const KEY = Symbol.for('session-console.audit-stream');
type Holder = { [KEY]?: Promise<StreamWorker | null> };

export function startAuditStream(): void {
  const g = globalThis as Holder;
  if (g[KEY]) return;
  const cfg = getEnv().stream;
  if (!cfg.receivers.length && !cfg.ssf) return;
  g[KEY] = getDb()
    .then((db) => {
      const worker = streamWorker({
        db,
        targets: streamTargets(db, cfg),
        pollMs: cfg.pollMs,
        // Longer than one send with its timeout, so a slow receiver never makes two instances deliver at once.
        leaseMs: Math.max(30_000, cfg.timeoutMs * 3),
      });
      worker.start();
      return worker;
    })
    .catch((e) => {
      log.error(
        { where: 'audit-stream', err: e instanceof Error ? e.name : 'unknown' },
        'audit stream not started',
      );
      delete g[KEY];
      return null;
    });
}

export async function stopAuditStream(): Promise<void> {
  const g = globalThis as Holder;
  const worker = await g[KEY];
  delete g[KEY];
  await worker?.stop();
}

/** After a rewind: deliver from the new cursor now, not at the next poll. */
export async function kickAuditStream(): Promise<void> {
  (await (globalThis as Holder)[KEY])?.kick();
}
