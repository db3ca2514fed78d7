import 'server-only';
import type { Db } from '@/lib/db';
import { itemClaims } from './claims';
import { jobLifecycle } from './lifecycle';
import { jobReads } from './reads';

export function jobStore(db: Db, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());
  return { ...jobLifecycle(db, now), ...itemClaims(db, now), ...jobReads(db, now) };
}

export type JobStore = ReturnType<typeof jobStore>;
