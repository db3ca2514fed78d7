import 'server-only';
import { whenSessionsIndexed } from '@/lib/session-index/on-indexed';
import { getGeoIndex } from './geo-data';
import { signalsFromEvents } from './index-risk';

/** Risk signals follow the session index: each session written updates its user's stored signals. */
export function watchSessionIndex(): void {
  whenSessionsIndexed('signals', async (rows, db) => {
    await signalsFromEvents(db, rows, { now: Date.now(), geo: await getGeoIndex() });
  });
}
