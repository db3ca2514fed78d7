import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which share of the Clerk request budget a call spends. Interactive reads and writes (a page, an action) come
 * first; bulk work (revocation jobs) and background work (the watchlist scan) take what is left, within their caps.
 * Set once around a unit of work with runInLane(); every Clerk call made inside it is counted against that lane.
 */
export type BudgetLane = 'interactive' | 'bulk' | 'background';

export interface LaneContext {
  lane: BudgetLane;
  /** The staff member on whose behalf the calls are made, for their fair share of the interactive lane. */
  staffId?: string;
}

const storage = new AsyncLocalStorage<LaneContext>();

export function runInLane<T>(ctx: LaneContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(ctx, fn);
}

export function currentLane(): LaneContext {
  return storage.getStore() ?? { lane: 'interactive' };
}
