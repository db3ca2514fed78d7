import 'server-only';
import os from 'node:os';
import type { Db } from '@/lib/db';
import { toDbTime } from '@/lib/db/values';

export interface ConsoleInstance {
  /** Stable across restarts of the same instance (CONSOLE_INSTANCE_ID, else the host name). */
  id: string;
  startedAt: Date;
}

/** This process, as the audit log knows it. */
export const PROCESS_INSTANCE: ConsoleInstance = Object.freeze({
  id: (process.env.CONSOLE_INSTANCE_ID?.trim() || os.hostname() || 'console').slice(0, 128),
  startedAt: new Date(Math.floor(performance.timeOrigin)),
});

const registrations = new WeakMap<Db, Map<string, Promise<void>>>();

/**
 * Records that `instance` (re)started at `startedAt`. Intents it wrote before that, still without an outcome,
 * were cut off by a crash or restart and read as "unknown" at once instead of after the grace period. Only moves
 * forward, so an older process cannot make a newer one's intents look crashed. Once per process and database.
 */
export function registerConsoleInstance(db: Db, instance: ConsoleInstance = PROCESS_INSTANCE): Promise<void> {
  let perDb = registrations.get(db);
  if (!perDb) registrations.set(db, (perDb = new Map()));
  const key = `${instance.id}@${instance.startedAt.getTime()}`;
  let done = perDb.get(key);
  if (!done) {
    const startedAt = toDbTime(instance.startedAt);
    done = db
      .insertInto('console_instances')
      .values({ id: instance.id, started_at: startedAt })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ started_at: startedAt })
          .where('console_instances.started_at', '<', startedAt),
      )
      .execute()
      .then(() => undefined);
    perDb.set(key, done);
    done.catch(() => perDb.delete(key));
  }
  return done;
}
