import 'server-only';
import { getDb, type Db } from '@/lib/db';
import { log } from '@/lib/log';
import { getGeoIndex } from '@/lib/risk/geo-data';
import { signalsFromEvents } from '@/lib/risk/index-risk';
import type { IndexedSession } from '@/lib/session-index/types';

/** Called after each applied delivery and each backfill page with the rows written. */
export async function onSessionIndexed(
  rows: readonly IndexedSession[],
  opts: { db?: Db } = {},
): Promise<void> {
  if (rows.length === 0) return;
  try {
    const db = opts.db ?? (await getDb());
    await signalsFromEvents(db, rows, { now: Date.now(), geo: await getGeoIndex() });
  } catch (e) {
    // A delivery is applied whatever happens here: signals are recomputed with the user's next session.
    log.warn(
      { where: 'session-index.signals', err: e instanceof Error ? e.name : 'unknown' },
      'signals not computed',
    );
  }
}
