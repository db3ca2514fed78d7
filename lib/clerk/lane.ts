import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

export type BudgetLane = 'interactive' | 'bulk' | 'background';

export interface LaneContext {
  lane: BudgetLane;
  staffId?: string;
}

const storage = new AsyncLocalStorage<LaneContext>();

export function runInLane<T>(ctx: LaneContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(ctx, fn);
}

export function currentLane(): LaneContext {
  return storage.getStore() ?? { lane: 'interactive' };
}
