import 'server-only';
import os from 'node:os';
import type { Db } from '@/lib/db';
import { toDbTime } from '@/lib/db/values';

export interface ConsoleInstance {
  id: string;
  startedAt: Date;
}

const PROCESS_ID = /^(.*)\/([^/:]+):(\d+):(\d+)$/;

// Unique per process: with a shared CONSOLE_INSTANCE_ID, one starting process marked the other's live intents unknown.
export function processInstance(o: {
  name?: string;
  host: string;
  pid: number;
  startedAt: Date;
}): ConsoleInstance {
  const host = o.host.replace(/[/:\s]/g, '_').slice(0, 48) || 'host';
  const name = (o.name?.trim() || host).slice(0, 48);
  return { id: `${name}/${host}:${o.pid}:${o.startedAt.getTime()}`, startedAt: o.startedAt };
}

export const PROCESS_INSTANCE: ConsoleInstance = Object.freeze(
  processInstance({
    name: process.env.CONSOLE_INSTANCE_ID,
    host: os.hostname(),
    pid: process.pid,
    startedAt: new Date(Math.floor(performance.timeOrigin)),
  }),
);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Only this host's pids mean anything here: a gone process will never finish its intents.
async function supersedeDeadNeighbours(db: Db, instance: ConsoleInstance): Promise<void> {
  const me = PROCESS_ID.exec(instance.id);
  if (!me || Number(me[3]) !== process.pid) return;
  const host = me[2]!;
  const startedAt = toDbTime(instance.startedAt);
  const rows = await db
    .selectFrom('console_instances')
    .select('id')
    .where('started_at', '<', startedAt)
    .execute();
  const dead = rows
    .map((r) => ({ id: r.id, m: PROCESS_ID.exec(r.id) }))
    .filter(({ m }) => m && m[2] === host && Number(m[3]) !== process.pid && !isAlive(Number(m[3])))
    .map((r) => r.id);
  if (!dead.length) return;
  await db
    .updateTable('console_instances')
    .set({ started_at: startedAt })
    .where('id', 'in', dead)
    .where('started_at', '<', startedAt)
    .execute();
}

const registrations = new WeakMap<Db, Map<string, Promise<void>>>();

// Only moves forward, so an older process cannot make a newer one's intents look crashed.
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
      .then(() => supersedeDeadNeighbours(db, instance).catch(() => {}));
    perDb.set(key, done);
    done.catch(() => perDb.delete(key));
  }
  return done;
}
