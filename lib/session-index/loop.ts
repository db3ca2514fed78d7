import 'server-only';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { beginBackfill, runBackfill } from '@/lib/session-index/backfill';
import { clerkBackfillDeps } from '@/lib/session-index/backfill-clerk';
import { sessionIndex } from '@/lib/session-index/store';

const KEY = Symbol.for('session-console.session-index-loop');
const TICK_MS = 60_000;
const PURGE_EVERY_MS = 3_600_000;
const FIRST_TICK_MS = 1_000;
const BACKFILL_RETRY_MS = 15_000;
// No instance marked the index alive for this long: deliveries may have been missed, so fill again.
export const OFFLINE_AFTER_MS = 10 * 60_000;
const ALIVE = 'alive';
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
  state.backfilling = true;
  void (async () => {
    try {
      await beginBackfill(db, now);
      for (;;) {
        try {
          const done = await runBackfill(db, clerkBackfillDeps());
          if (done.cursor === null) break;
        } catch (e) {
          // Budget spent or Clerk unreachable: the saved cursor resumes the fill after a pause.
          log.warn({ where: 'session-index', err: e instanceof Error ? e.name : 'error' }, 'backfill paused');
          await new Promise((r) => setTimeout(r, BACKFILL_RETRY_MS).unref());
        }
      }
    } finally {
      state.backfilling = false;
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
