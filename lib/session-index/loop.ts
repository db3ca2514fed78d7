import 'server-only';
import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { beginBackfill, runBackfill } from '@/lib/session-index/backfill';
import { clerkBackfillDeps } from '@/lib/session-index/backfill-clerk';
import { backfillLease } from '@/lib/session-index/lease';
import { sessionIndex } from '@/lib/session-index/store';

const KEY = Symbol.for('session-console.session-index-loop');
const TICK_MS = 60_000;
const PURGE_EVERY_MS = 3_600_000;
const FIRST_TICK_MS = 1_000;
const BACKFILL_RETRY_MS = 15_000;
// No instance marked the index alive for this long: deliveries may have been missed, so fill again.
export const OFFLINE_AFTER_MS = 10 * 60_000;
const ALIVE = 'alive';
// Renewed before every page: an instance that dies mid-fill hands the fill on within this time.
const LEASE_MS = 2 * 60_000;
const OWNER = randomUUID();
const PURGED = 'purged';

async function tick(state: { backfilling: boolean }): Promise<void> {
  const { retentionDays, backfill } = getEnv().webhooks;
  const db = await getDb();
  const index = sessionIndex(db);
  const now = Date.now();
  const alive = await index.readMark(ALIVE);
  await index.writeMark(ALIVE, now);
  if (now - ((await index.readMark(PURGED)) ?? 0) >= PURGE_EVERY_MS) {
    const purged = await index.purgeOlderThan(now - retentionDays * 86_400_000);
    await index.writeMark(PURGED, now);
    if (purged.sessions) log.info({ where: 'session-index', ...purged }, 'session index purged');
  }
  if (!backfill || state.backfilling) return;
  const fill = await index.backfill();
  if (fill.cursor === null && fill.finishedAt !== null && alive !== null && now - alive < OFFLINE_AFTER_MS)
    return;
  const lease = backfillLease(db);
  if (!(await lease.take(OWNER, now, LEASE_MS))) return;
  state.backfilling = true;
  const stillMine = () => lease.take(OWNER, Date.now(), LEASE_MS);
  void (async () => {
    try {
      await beginBackfill(db, now);
      for (;;) {
        try {
          const done = await runBackfill(db, clerkBackfillDeps(), { beforePage: stillMine });
          if (done.cursor === null || !(await stillMine())) break;
        } catch (e) {
          // Budget spent or Clerk unreachable: the saved cursor resumes the fill after a pause.
          log.warn({ where: 'session-index', err: e instanceof Error ? e.name : 'error' }, 'backfill paused');
          await new Promise((r) => setTimeout(r, BACKFILL_RETRY_MS).unref());
        }
      }
    } finally {
      state.backfilling = false;
      await lease.release(OWNER).catch(() => {});
    }
  })();
}

/** Purges hourly and on start, and fills the index when it is new or was offline. Idempotent. */
export function ensureSessionIndexLoop(): void {
  if (!getEnv().webhooks.signingSecret) return;
  const g = globalThis as { [KEY]?: true };
  if (g[KEY]) return;
  g[KEY] = true;
  const state = { backfilling: false };
  const run = () => {
    tick(state)
      .catch((e: unknown) =>
        log.warn(
          { where: 'session-index', err: e instanceof Error ? e.name : 'error' },
          'session index tick failed',
        ),
      )
      .finally(() => setTimeout(run, TICK_MS).unref());
  };
  setTimeout(run, FIRST_TICK_MS).unref();
}
