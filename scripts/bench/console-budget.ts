// The request budget a benchmark's console runs with, derived the way the console derives it, so that a changed
// default (the share of the instance's limit, a lane's share) moves the figures the benchmarks compare against.
import { caps } from '../../lib/clerk/budget';
import { parseBudget } from '../../lib/env/budget';
import type { EnvSource } from '../../lib/env/parse';

/** The caps (per window) of a local-mode console or job runner started with `env`. */
export function consoleBudgetCaps(env: EnvSource, secretKey: string): ReturnType<typeof caps> {
  const budget = parseBudget(env, 'local', secretKey);
  if (!budget)
    throw new Error('this console runs without a request budget (its rate limit is 0 or the budget off)');
  return caps(budget);
}
