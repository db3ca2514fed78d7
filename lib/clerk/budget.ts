import 'server-only';
import { sql } from 'kysely';
import type { Db } from '@/lib/db';
import type { BudgetConfig } from '@/lib/env/budget';
import type { LaneContext } from './lane';

// One transaction per decision: the increment locks the bucket row, serialising instances sharing the DB.

export const WINDOW_SECONDS = 10;
const PAUSE_KEY = 'pause';

export type BudgetDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface ClerkBudget {
  take(ctx: LaneContext): Promise<BudgetDecision>;
  peek(ctx: LaneContext): Promise<BudgetDecision>;
  pauseFor(seconds: number): Promise<void>;
}

interface Usage {
  used: number;
  oldest: number;
}

class Refused extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('budget spent');
  }
}

export function caps(config: BudgetConfig) {
  const share = (f: number) => Math.max(1, Math.floor(config.perWindow * f));
  return {
    total: config.perWindow,
    bulk: share(config.bulkShare),
    background: share(config.backgroundShare),
    staff: share(config.staffShare),
  };
}

function keysFor(ctx: LaneContext): string[] {
  const keys = ['all'];
  if (ctx.lane !== 'interactive') keys.push(`lane:${ctx.lane}`);
  else if (ctx.staffId) keys.push(`staff:${ctx.staffId}`);
  return keys;
}

export function clerkBudget(db: Db, config: BudgetConfig, opts: { now?: () => number } = {}): ClerkBudget {
  const now = opts.now ?? Date.now;
  const limits = caps(config);
  let sinceCleanup = 0;

  function decide(
    ctx: LaneContext,
    usage: Map<string, Usage>,
    pausedUntilMs: number,
    nowMs: number,
    pending: 0 | 1,
  ): BudgetDecision {
    if (pausedUntilMs > nowMs) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((pausedUntilMs - nowMs) / 1000)) };
    }
    const nowS = Math.floor(nowMs / 1000);
    const get = (key: string) => usage.get(key) ?? { used: 0, oldest: nowS };
    const refuse = (key: string): BudgetDecision => ({
      ok: false,
      retryAfterSeconds: Math.max(1, get(key).oldest + WINDOW_SECONDS - nowS),
    });
    const all = get('all').used + pending;
    if (all > limits.total) return refuse('all');
    if (ctx.lane !== 'interactive') {
      return get(`lane:${ctx.lane}`).used + pending > limits[ctx.lane]
        ? refuse(`lane:${ctx.lane}`)
        : { ok: true };
    }
    if (ctx.staffId && get(`staff:${ctx.staffId}`).used + pending > limits.staff) {
      return refuse(`staff:${ctx.staffId}`);
    }
    let reserved = 0;
    for (const lane of ['bulk', 'background'] as const) {
      const used = get(`lane:${lane}`).used;
      if (used > 0) reserved += Math.max(0, limits[lane] - used);
    }
    return all > limits.total - reserved ? refuse('all') : { ok: true };
  }

  async function read(exec: Db, keys: string[], nowMs: number) {
    const since = Math.floor(nowMs / 1000) - WINDOW_SECONDS;
    const rows = await exec
      .selectFrom('clerk_budget')
      .select((eb) => ['key', eb.fn.min('bucket').as('oldest'), eb.fn.sum('n').as('used')])
      .where('key', 'in', [...new Set([...keys, 'lane:bulk', 'lane:background'])])
      .where('bucket', '>', since)
      .groupBy('key')
      .execute();
    const usage = new Map<string, Usage>();
    for (const r of rows) usage.set(r.key, { used: Number(r.used), oldest: Number(r.oldest) });
    const pause = await exec
      .selectFrom('clerk_budget')
      .select('n')
      .where('key', '=', PAUSE_KEY)
      .where('bucket', '=', 0)
      .executeTakeFirst();
    return { usage, pausedUntilMs: pause ? Number(pause.n) : 0 };
  }

  async function cleanup(nowMs: number) {
    if (++sinceCleanup < 200) return;
    sinceCleanup = 0;
    await db
      .deleteFrom('clerk_budget')
      .where('key', '!=', PAUSE_KEY)
      .where('bucket', '<', Math.floor(nowMs / 1000) - 6 * WINDOW_SECONDS)
      .execute()
      .catch(() => {});
  }

  return {
    async take(ctx) {
      const nowMs = now();
      const bucket = Math.floor(nowMs / 1000);
      const keys = keysFor(ctx);
      try {
        await db.transaction().execute(async (trx) => {
          // Fixed write order: row locks without deadlocks; SQLite takes its write lock up front.
          for (const key of keys) {
            await trx
              .insertInto('clerk_budget')
              .values({ key, bucket, n: 1 })
              .onConflict((oc) =>
                oc.columns(['key', 'bucket']).doUpdateSet({ n: sql<number>`clerk_budget.n + 1` }),
              )
              .execute();
          }
          const { usage, pausedUntilMs } = await read(trx, keys, nowMs);
          const verdict = decide(ctx, usage, pausedUntilMs, nowMs, 0);
          if (!verdict.ok) throw new Refused(verdict.retryAfterSeconds);
        });
      } catch (e) {
        if (e instanceof Refused) return { ok: false, retryAfterSeconds: e.retryAfterSeconds };
        throw e;
      }
      void cleanup(nowMs);
      return { ok: true };
    },

    async peek(ctx) {
      const nowMs = now();
      const { usage, pausedUntilMs } = await read(db, keysFor(ctx), nowMs);
      return decide(ctx, usage, pausedUntilMs, nowMs, 1);
    },

    async pauseFor(seconds) {
      if (config.maxPauseSeconds === 0 || !(seconds > 0)) return;
      const until = now() + Math.min(seconds, config.maxPauseSeconds) * 1000;
      await db
        .insertInto('clerk_budget')
        .values({ key: PAUSE_KEY, bucket: 0, n: until })
        .onConflict((oc) =>
          oc.columns(['key', 'bucket']).doUpdateSet({
            n: sql<number>`case when excluded.n > clerk_budget.n then excluded.n else clerk_budget.n end`,
          }),
        )
        .execute();
    },
  };
}
