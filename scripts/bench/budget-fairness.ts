// `npm run bench` (budget part): does the console leave the product alone? The embedded API runs at a
// development instance's limit; "the product" calls it directly with the same key at a steady quarter of that
// limit, and counts its 429s, while staff hammer the console (and, in the second phase, a revocation job runs).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createDb, sqlitePathFor } from '../../lib/db';
import { jobStore, type JobStore } from '../../lib/jobs/store';
import { consoleBudgetCaps } from './console-budget';
import { discoverActions, getPage, signIn, type CookieJar } from './console-http';
import type { LocalStack } from './local-stack';
import { benchActor } from './bench-staff';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BudgetPhase {
  label: string;
  seconds: number;
  productCalls: number;
  product429: number;
  /** Upstream requests the console made, per 10 s, and as a share of the instance's limit. */
  consolePer10s: number;
  consoleShare: number;
  pages: number;
  /** Pages that said the console's budget (or Clerk) refused a read ("Clerk is busy for this console"). */
  busyPages: number;
  bulk: null | {
    revoked: number;
    /** Bulk-lane upstream requests (revokes and owner look-ups) per 10 s, over the bulk share. */
    perShare: number;
    sharePer10s: number;
    outcomes: Record<string, number>;
  };
}

interface Options {
  stack: LocalStack;
  limit: number;
  windowSeconds: number;
  staffEmails: readonly string[];
  log(line: string): void;
}

const PRODUCT_MARK = 'product-bench';

/** The product: one call every (window / (limit/4)), on its own clock, never retried. */
async function runProduct(o: Options, untilMs: number) {
  const interval = (o.windowSeconds * 1000) / Math.max(1, Math.floor(o.limit / 4));
  let calls = 0;
  let limited = 0;
  let next = performance.now();
  while (Date.now() < untilMs) {
    const res = await fetch(`${o.stack.api.url}/v1/users?limit=1&query=${PRODUCT_MARK}`, {
      headers: { authorization: `Bearer ${o.stack.apiKey}` },
    });
    await res.arrayBuffer();
    calls++;
    if (res.status === 429) limited++;
    next += interval;
    await sleep(Math.max(0, next - performance.now()));
  }
  return { calls, limited };
}

/** One staff member loading a session list (the pending filter scans upstream pages) as fast as it answers. */
async function hammer(base: string, jar: CookieJar, path: string, untilMs: number) {
  let pages = 0;
  let busy = 0;
  while (Date.now() < untilMs) {
    const r = await getPage(base, path, jar);
    pages++;
    // A section refused inside a Suspense boundary reaches the HTML as its error digest (the browser renders the
    // sentence from it), a whole page as the sentence itself.
    if (r.value.includes('Clerk is busy for this console') || r.value.includes('console-api:rate_limited'))
      busy++;
  }
  return { pages, busy };
}

/**
 * Revokes in flight at the cancel still settle (a runner holds each under its lease until then): wait until the
 * job holds none. Bounded by the console's Clerk timeout (15 s) several times over.
 */
async function inFlightSettled(store: JobStore, id: string, deadlineMs = 60_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const held = await store.inFlight(id);
    if (held === 0) return;
    if (Date.now() > until) {
      const counts = (await store.get(id))?.counts;
      throw new Error(
        `budget: ${held} items of the cancelled job still held after ${deadlineMs / 1000} s (${JSON.stringify(counts)})`,
      );
    }
    await sleep(100);
  }
}

/**
 * A revocation job over the sessions given, created in the bench console's own store (its SQLite file) exactly as
 * the jobs page creates one; the console's runner works it in the bulk lane until the phase ends, then it is
 * cancelled. Counts the job's outcomes.
 */
async function runJob(o: Options, userId: string, ids: string[], untilMs: number) {
  const db = await createDb({ sqlitePath: sqlitePathFor(path.join(o.stack.dataDir, 'console')) });
  try {
    const store = jobStore(db);
    const { id } = await store.create({
      idempotencyKey: randomUUID(),
      kind: 'sessions',
      scope: { sessionIds: ids.slice(0, 20), userIds: [userId] },
      reason: 'budget benchmark',
      actor: await benchActor(db, 'support@example.com'),
      permission: 'sessions:revoke',
      sessions: ids.map((sessionId) => ({ sessionId, userId })),
      expand: [],
    });
    await sleep(Math.max(0, untilMs - Date.now()));
    await store.transition(id, ['queued', 'running', 'paused'], 'cancelled');
    await inFlightSettled(store, id);
    const job = await store.get(id);
    return Object.fromEntries(Object.entries(job?.counts ?? {}).filter(([, n]) => n > 0));
  } finally {
    await db.destroy();
  }
}

export async function measureBudgetFairness(
  o: Options & { phases: { label: string; seconds: number; staff: number; bulk: boolean }[] },
): Promise<BudgetPhase[]> {
  const api = o.stack.apiClient;
  const signInId = (await discoverActions(o.stack.url, ['/sign-in'])).get('signInAction');
  if (!signInId) throw new Error('the sign-in action was not found');
  const jars = await Promise.all(
    o.staffEmails.map((e) => signIn(o.stack.url, signInId, e, o.stack.demoPassword)),
  );
  const heavy = await api.userIdByEmail('heavy.user@example.com');
  const active = await api.sessionIds(heavy, 'active');
  // Let the set-up calls leave the window: each phase starts from an empty one.
  await sleep(o.windowSeconds * 1000 + 500);

  const sharePer10s = consoleBudgetCaps(o.stack.console.env, o.stack.apiKey).bulk;
  const results: BudgetPhase[] = [];
  let bulkCursor = 0;
  for (const phase of o.phases) {
    o.log(`budget: ${phase.label} for ${phase.seconds} s…`);
    await api.clearRequests();
    const started = Date.now();
    const until = started + phase.seconds * 1000;
    const path = `/sessions?user_id=${heavy}&status=pending`;
    const ids = active.slice(bulkCursor, bulkCursor + 2000);
    const [product, pages, bulkOutcomes] = await Promise.all([
      runProduct(o, until),
      Promise.all(jars.slice(0, phase.staff).map((jar) => hammer(o.stack.url, jar, path, until))),
      phase.bulk ? runJob(o, heavy, ids, until) : Promise.resolve(null),
    ]);
    const seconds = (Date.now() - started) / 1000;
    const log = (await api.requests()).requests;
    const consoleCalls = log.filter((r) => !String(r.query ?? '').includes(PRODUCT_MARK)).length;
    const bulkCalls = log.filter(
      (r) =>
        /\/revoke$/.test(r.path) ||
        (r.path === '/v1/sessions' &&
          /status=active/.test(String(r.query)) &&
          /limit=500/.test(String(r.query))),
    ).length;
    const revoked = bulkOutcomes?.revoked ?? 0;
    bulkCursor += revoked + (bulkOutcomes?.already_inactive ?? 0);
    const per10 = (n: number) => (n / seconds) * o.windowSeconds;
    results.push({
      label: phase.label,
      seconds,
      productCalls: product.calls,
      product429: product.limited,
      consolePer10s: per10(consoleCalls),
      consoleShare: per10(consoleCalls) / o.limit,
      pages: pages.reduce((n, p) => n + p.pages, 0),
      busyPages: pages.reduce((n, p) => n + p.busy, 0),
      bulk: bulkOutcomes
        ? { revoked, perShare: per10(bulkCalls) / sharePer10s, sharePer10s, outcomes: bulkOutcomes }
        : null,
    });
  }
  return results;
}
