/**
 * `npm run bench:local-clerk`: latency figures for the embedded API on loopback (not a test).
 * Starts it on a temp dir with no rate limit, then measures the heavy user's 500-session page sequentially and
 * under 50 concurrent requests. Bounded: a fixed number of requests, each with a timeout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_FIXTURES } from '../lib/local-clerk/seed';
import { LOCAL_CLERK_DB_FILE, startLocalClerk } from '../lib/local-clerk/server';
import { LocalClerkStore } from '../lib/local-clerk/store';

const SEQUENTIAL = 200;
const CONCURRENT = 50;
const TIMEOUT_MS = 10_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (v: number) => `${v.toFixed(2)} ms`;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-clerk-bench-'));
  const t0 = performance.now();
  const server = await startLocalClerk({ port: 0, dataDir, rateLimit: 0, quiet: true });
  const startup = performance.now() - t0;
  try {
    const headers = { Authorization: `Bearer ${server.secretKey}` };
    const get = (route: string) =>
      fetch(`${server.url}${route}`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const heavy = (
      (await (await get(`/v1/users?email_address=${SEED_FIXTURES.heavy}`)).json()) as { id: string }[]
    )[0];
    if (!heavy) throw new Error('the heavy user is not seeded');
    const route = `/v1/sessions?user_id=${heavy.id}&limit=500&paginated=true`;

    for (let i = 0; i < 10; i++) await (await get(route)).arrayBuffer(); // warm-up
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SEQUENTIAL; i++) {
      const s = performance.now();
      const res = await get(`${route}&offset=${(i % 10) * 500}`);
      bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);

    const c0 = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, async (_, i) => {
        const res = await get(`${route}&offset=${(i % 10) * 500}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }),
    );
    const concurrentTotal = performance.now() - c0;
    const errors = results.filter((r) => r.status === 'rejected').length;

    // The same page straight from the store (second connection, WAL), as the handler builds it: the database's
    // share of the latency.
    const store = new LocalClerkStore(path.join(dataDir, LOCAL_CLERK_DB_FILE));
    const storeTimes: number[] = [];
    try {
      for (let i = 0; i < SEQUENTIAL; i++) {
        const s = performance.now();
        store.listSessionsJson({ userId: heavy.id }, 500, (i % 10) * 500);
        store.countSessions({ userId: heavy.id });
        storeTimes.push(performance.now() - s);
      }
    } finally {
      store.close();
    }
    storeTimes.sort((a, b) => a - b);

    console.log('Embedded Clerk API benchmark (loopback, rate limit off)');
    console.log(`  start-up incl. seeding and key generation: ${ms(startup)}`);
    console.log(
      `  GET ${route.replace(heavy.id, '<heavy>')}  (~${Math.round(bytes / 1024)} KiB per response)`,
    );
    console.log(
      `  ${SEQUENTIAL} sequential: median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(times.at(-1) ?? NaN)}`,
    );
    console.log(
      `  store only (list 500 as JSON + count): median ${ms(percentile(storeTimes, 50))}, p95 ${ms(percentile(storeTimes, 95))}`,
    );
    console.log(
      `  ${CONCURRENT} concurrent: ${errors} errors, total ${ms(concurrentTotal)} (${ms(concurrentTotal / CONCURRENT)} per request)`,
    );
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
