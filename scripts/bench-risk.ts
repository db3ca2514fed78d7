/**
 * `npm run bench:risk`: what computing risk signals adds to a user's sessions page (not a test; prints figures).
 * The seed's 5,000-session user: the page computes from its newest 500 sessions (one Clerk page); all 5,000 are
 * timed too. The city index loads once per process and is timed separately. Bounded: a fixed number of runs.
 */
import { buildSeed, SEED_FIXTURES } from '../lib/local-clerk/seed';
import { summarize } from './bench/stats';
import { getGeoIndex } from '../lib/risk/geo-data';
import { computeSignals, type RiskSession } from '../lib/risk/signals';
import { riskSessionOfJson as toRisk } from '../lib/testing/risk-sessions';

const RUNS = 200;

async function main() {
  const now = Date.now();
  const data = buildSeed('session-console', now);
  const heavy = data.users.find((u) => u.email_addresses[0]?.email_address === SEED_FIXTURES.heavy)!;
  const all = data.sessions
    .filter((s) => s.user_id === heavy.id)
    .sort((a, b) => b.created_at - a.created_at)
    .map(toRisk);

  const t0 = performance.now();
  const geo = await getGeoIndex();
  const loadMs = performance.now() - t0;
  const heapMb = process.memoryUsage().heapUsed / 1e6;

  const time = (sessions: RiskSession[]) => {
    const samples: number[] = [];
    let signals = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      signals = computeSignals(sessions, { now, geo }).length;
      samples.push(performance.now() - start);
    }
    return { ...summarize(samples), signals };
  };
  const fmt = (v: number) => `${v.toFixed(2)} ms`;
  console.log(`city index: loaded once in ${fmt(loadMs)} (heap ${heapMb.toFixed(0)} MB after load)`);
  for (const [label, sessions] of [
    ['newest 500 (what the page computes)', all.slice(0, 500)],
    ['all 5,000', all],
  ] as const) {
    const r = time([...sessions]);
    console.log(
      `${label}: ${r.signals} signals; p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, p99 ${fmt(r.p99)}, max ${fmt(r.max)} over ${r.count} runs`,
    );
  }
}

void main();
