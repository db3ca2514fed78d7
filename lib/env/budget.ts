import 'server-only';
import { z } from 'zod';
import type { ConsoleMode } from './clerk';
import { ConfigError, int, parse, raw, type EnvSource } from './parse';

export interface BudgetConfig {
  perWindow: number;
  bulkShare: number;
  backgroundShare: number;
  staffShare: number;
  maxPauseSeconds: number;
}

const shareSchema = z.coerce.number().gt(0).max(1);

// Clerk allows 100 requests / 10 s to a development instance and 1,000 to production; the product needs the rest.
export function parseBudget(source: EnvSource, mode: ConsoleMode, secretKey: string): BudgetConfig | null {
  const explicit = raw(source, 'CLERK_RATE_BUDGET');
  let perWindow: number;
  if (explicit !== undefined) {
    if (explicit === 'off') return null;
    perWindow = parse(
      z.coerce.number().int().min(1).max(100_000),
      explicit,
      'CLERK_RATE_BUDGET must be a whole number of requests per 10 s from 1 to 100000, or off.',
    );
  } else if (mode === 'local') {
    const limit = int(
      source,
      'LOCAL_CLERK_RATE_LIMIT',
      { min: 0, max: 1_000_000, fallback: 100 },
      'LOCAL_CLERK_RATE_LIMIT must be a whole number of requests per 10 s (0 = no limit).',
    );
    if (limit === 0) return null;
    perWindow = Math.max(1, Math.floor(limit / 2));
  } else {
    perWindow = secretKey.startsWith('sk_live_') ? 500 : 50;
  }
  const share = (name: string, fallback: number) =>
    parse(shareSchema, raw(source, name) ?? fallback, `${name} must be a fraction above 0 and at most 1.`);
  const bulkShare = share('CLERK_BUDGET_BULK_SHARE', 0.4);
  const backgroundShare = share('CLERK_BUDGET_BACKGROUND_SHARE', 0.1);
  if (bulkShare + backgroundShare > 0.9) {
    throw new ConfigError(
      'CLERK_BUDGET_BULK_SHARE and CLERK_BUDGET_BACKGROUND_SHARE together must leave at least 0.1 for pages and actions.',
    );
  }
  const staffShare = share('CLERK_BUDGET_STAFF_SHARE', 0.3);
  const maxPauseSeconds = int(
    source,
    'CLERK_BUDGET_MAX_PAUSE_SECONDS',
    { min: 0, max: 3600, fallback: 60 },
    'CLERK_BUDGET_MAX_PAUSE_SECONDS must be a whole number of seconds from 0 to 3600.',
  );
  return { perWindow, bulkShare, backgroundShare, staffShare, maxPauseSeconds };
}
