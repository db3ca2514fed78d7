import 'server-only';
import { getDb, type Db } from '@/lib/db';
import { log } from '@/lib/log';
import type { IndexedSession } from '@/lib/session-index/types';

export type IndexedListener = (rows: readonly IndexedSession[], db: Db) => Promise<void>;

// On globalThis: Next bundles this module more than once per process, and a listener must hear every copy.
const KEY = Symbol.for('session-console.session-indexed-listeners');
const listeners = ((globalThis as { [KEY]?: Map<string, IndexedListener> })[KEY] ??= new Map());

/** Layers above the index (risk signals) subscribe here; the index never imports them. */
export function whenSessionsIndexed(name: string, listener: IndexedListener): void {
  listeners.set(name, listener);
}

/** Called after each applied delivery and each backfill page with the rows written. */
export async function onSessionIndexed(
  rows: readonly IndexedSession[],
  opts: { db?: Db } = {},
): Promise<void> {
  if (rows.length === 0 || listeners.size === 0) return;
  const db = opts.db ?? (await getDb());
  for (const [name, listener] of listeners) {
    try {
      await listener(rows, db);
    } catch (e) {
      // A delivery is applied whatever happens here: a listener catches up with the user's next session.
      log.warn(
        { where: `session-index.${name}`, err: e instanceof Error ? e.name : 'unknown' },
        'listener failed',
      );
    }
  }
}
