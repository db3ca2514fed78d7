/**
 * `npm run bench`: measures the console against its targets in one run and prints a markdown table (figure,
 * target, met/missed). Starts throwaway local-mode consoles from the production build (NEXT_DIST_DIR or .next):
 * one without a rate limit (figures (a) and (c), overhead, first-load JS, Lighthouse: `--only pages`); two more for
 * (b), risk read from Clerk and from a complete session index (`--only scale`); two job runners on a throwaway
 * PostgreSQL (jobs).
 *
 * A third console runs at a development instance's limit (100 / 10 s) next to "the product" (budget part).
 *
 * The page figures are read against what this stack costs on the same machine in the same run: (a) a light page
 * against the signed-in page with no upstream call, (b) the heaviest user's page against a light one, (c) an open
 * loop (fixed arrival rate) of list and detail views on one console process.
 *
 *   npm run bench -- [--runs 40] [--latency 0] [--no-lighthouse] [--open-rate 40] [--open-seconds 60]
 *                    [--only budget|pages|scale] [--only-jobs]
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import path from 'node:path';
import { discoverActions, signIn, type CookieJar } from './bench/console-http';
import { startLocalStack, type LocalStack } from './bench/local-stack';
import {
  LIGHTHOUSE_VERSION,
  measureFirstLoadJs,
  measureOverhead,
  measureScale,
  runLighthouse,
} from './bench/measures';
import { measureBudgetFairness } from './bench/budget-fairness';
import { consoleBudgetCaps } from './bench/console-budget';
import { distDir, ROOT } from '../lib/testing/processes';
import { fmt, markdownTable } from './bench/stats';
import { benchJobs } from './bench/jobs';
import { measurePageViews } from './bench/page-views';
import { measureCpuPerView, measureFloorRatio, openLoopTargets, runOpenLoop } from './bench/open-loop';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    latency: { type: 'string', default: '0' },
    'no-lighthouse': { type: 'boolean', default: false },
    only: { type: 'string' },
    'job-sessions': { type: 'string', default: '5000' },
    'job-limit': { type: 'string', default: '1000' },
    'only-jobs': { type: 'boolean', default: false },
    'open-rate': { type: 'string', default: '40' },
    'open-seconds': { type: 'string', default: '60' },
  },
});
const int = (v: string | undefined, name: string) => {
  if (!v || !/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number`);
  return Number(v);
};
const RUNS = int(values.runs, 'runs');
const WINDOW_SECONDS = 10; // the embedded API's rate-limit window
const DEV_LIMIT = 100;
const LATENCY_MS = int(values.latency, 'latency');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const SCALE_PORT = Number(process.env.BENCH_PORT ?? 3610);

type Row = [figure: string, value: string, target: string, verdict: string];
const rows: Row[] = [];
const verdict = (met: boolean) => (met ? 'met' : 'missed');
const log = (line: string) => console.error(line);
const kb = (bytes: number) => `${fmt(bytes / 1024)} kB`;

async function staffSession(stack: LocalStack, email: string): Promise<{ jar: CookieJar; signInId: string }> {
  const signInId = (await discoverActions(stack.url, ['/sign-in'])).get('signInAction');
  if (!signInId) throw new Error('the sign-in action was not found in the sign-in page');
  return { jar: await signIn(stack.url, signInId, email, stack.demoPassword), signInId };
}

async function unlimited() {
  const stack = await startLocalStack({ rateLimit: 0, faults: true, label: 'bench' });
  try {
    const { jar } = await staffSession(stack, 'admin@example.com');
    const api = stack.apiClient;
    const [ada, five, heavy] = await Promise.all([
      api.userIdByEmail('ada.lovelace@example.com'),
      api.userIdByEmail('five.sessions@example.com'),
      api.userIdByEmail('heavy.user@example.com'),
    ]);

    log(`floor: five.sessions' sessions page vs the signed-in page with no upstream call, ${RUNS} runs…`);
    const f = await measureFloorRatio({
      base: stack.url,
      jar,
      pagePath: `/sessions?user_id=${five}`,
      floorPath: '/users',
      runs: RUNS,
    });
    rows.push([
      `(a) A 5-session user's sessions page vs the empty signed-in page (\`/users\`, the stack's floor), sequential medians of ${f.runs}`,
      `${fmt(f.pageMedianMs)} ms vs ${fmt(f.floorMedianMs)} ms = ${fmt(f.ratio, 2)}×`,
      '≤ 1.5×',
      verdict(f.ratio <= 1.5),
    ]);

    log(`overhead: ${RUNS} runs with ${LATENCY_MS} ms injected on every /v1 call…`);
    const o = await measureOverhead({
      base: stack.url,
      jar,
      api,
      apiUrl: stack.api.url,
      apiKey: stack.apiKey,
      userId: ada,
      runs: RUNS,
      latencyMs: LATENCY_MS,
    });
    const perTrip = o.addedBeyondUpstreamMs / Math.max(1, o.upstreamRoundTrips);
    rows.push(
      [
        `Overhead: /sessions?user_id=<ada>&status=all (full HTML) vs GET /v1/sessions, medians of ${o.runs}, ${o.latencyMs} ms injected upstream`,
        `page ${fmt(o.pageMedianMs)} ms, API ${fmt(o.directMedianMs)} ms → +${fmt(o.addedMs)} ms`,
        '—',
        'info',
      ],
      [
        'Overhead: upstream calls per page render',
        `${o.upstreamCalls} calls in ${o.upstreamRoundTrips} sequential round trip(s): ${o.upstreamPaths.join(', ')}`,
        '—',
        'info',
      ],
      [
        'Overhead: page − round trips × API (the console’s own time), total and per round trip',
        `+${fmt(o.addedBeyondUpstreamMs)} ms total, +${fmt(perTrip)} ms per round trip`,
        '—',
        'info',
      ],
    );

    const rate = int(values['open-rate'], 'open-rate');
    const seconds = int(values['open-seconds'], 'open-seconds');
    log(`open loop: ${rate} page views/s for ${seconds} s (list and detail pages of many users)…`);
    const targets = await openLoopTargets(stack.url, jar);
    // Before the open loop: requests it gave up on (10 s) are still being answered for a while after it ends.
    log('ceiling: the console’s CPU per view with no queueing (the floor, list and detail pages)…');
    const cpuRuns = Math.max(100, RUNS * 3);
    const pid = stack.console.child.pid!;
    const cpuOf = (paths: string[]) =>
      measureCpuPerView({ base: stack.url, jar, consolePid: pid, paths, runs: cpuRuns });
    const floorCpu = await cpuOf(['/users']);
    const listCpu = await cpuOf(targets.paths.filter((p) => p.includes('?user_id=')));
    const detailCpu = await cpuOf(targets.paths.filter((p) => !p.includes('?user_id=')));
    const jars = [jar];
    for (const email of ['support@example.com', 'viewer@example.com'])
      jars.push((await staffSession(stack, email)).jar);
    const ol = await runOpenLoop({
      base: stack.url,
      jars,
      targets,
      ratePerSecond: rate,
      seconds,
      consolePid: stack.console.child.pid,
    });
    rows.push(
      [
        `(c) Open loop: ${ol.ratePerSecond} page views/s for ${ol.seconds} s on one console process (${ol.pages.list} list + ${ol.pages.detail} detail views over ${ol.users} users, 3 staff sessions)`,
        `p50 ${fmt(ol.latency.p50)} ms, p95 ${fmt(ol.latency.p95)} ms, p99 ${fmt(ol.latency.p99)} ms, ${ol.errors} errors of ${ol.sent}`,
        '40/s: p95 ≤ 300 ms, 0 errors',
        verdict(ol.ratePerSecond >= 40 && ol.latency.p95 <= 300 && ol.errors === 0),
      ],
      [
        '(c) Open loop: the console’s CPU per page view under that load; the sender’s worst lag behind its schedule',
        `${ol.consoleCpuMsPerView === null ? '—' : `${fmt(ol.consoleCpuMsPerView)} ms`}; ${fmt(ol.maxSendLagMs)} ms`,
        '—',
        'info',
      ],
    );

    const mix = (pick: (c: { consoleMs: number; benchMs: number }) => number) =>
      (pick(listCpu) * ol.pages.list + pick(detailCpu) * ol.pages.detail) / (ol.pages.list + ol.pages.detail);
    const mixCpu = mix((c) => c.consoleMs);
    const mixMachine = mix((c) => c.consoleMs + c.benchMs);
    rows.push(
      [
        `(c) Ceiling: the console’s CPU per view, sequential (${cpuRuns} each, no queueing): empty signed-in page, list, detail; what one core can serve of the open loop’s mix`,
        `${fmt(floorCpu.consoleMs)} ms, ${fmt(listCpu.consoleMs)} ms, ${fmt(detailCpu.consoleMs)} ms → at most ${fmt(1000 / mixCpu, 0)} views/s at 100 % of a core (the empty page alone: ${fmt(1000 / floorCpu.consoleMs, 0)}/s)`,
        '—',
        'info',
      ],
      [
        // The sender and the embedded API run on the same machine as the console: what a view costs the machine.
        `(c) This machine: the same mix's CPU per view, the console plus this process (the sender and the embedded API the console calls), and what ${ol.ratePerSecond} views/s take of the machine's ${os.availableParallelism()} cores`,
        `${fmt(mixCpu)} + ${fmt(mixMachine - mixCpu)} = ${fmt(mixMachine)} ms → ${fmt((ol.ratePerSecond * mixMachine) / 1000, 2)} cores`,
        '—',
        'info',
      ],
    );

    log('first-load JavaScript per route…');
    const [adaSession] = await api.sessionIds(ada, 'active');
    const buildDir = path.join(ROOT, distDir());
    const routes: { label: string; route: string; signedIn: boolean; target?: number }[] = [
      { label: '/sessions (list)', route: `/sessions?user_id=${ada}`, signedIn: true },
      { label: '/sessions/[id] (detail)', route: `/sessions/${adaSession}`, signedIn: true },
      { label: '/users', route: '/users', signedIn: true },
      { label: '/audit', route: '/audit', signedIn: true },
      { label: '/staff', route: '/staff', signedIn: true },
      { label: '/sign-in', route: '/sign-in', signedIn: false },
    ].map((r) => ({ ...r, target: 180 * 1024 }));
    for (const r of routes) {
      const js = await measureFirstLoadJs({
        base: stack.url,
        jar: r.signedIn ? jar : undefined,
        route: r.route,
        label: r.label,
        buildDir,
      });
      rows.push([
        `First-load JS, gzip: ${js.route}`,
        `${kb(js.gzipBytes)} (${js.scripts} scripts, ${kb(js.rawBytes)} raw)`,
        r.target ? `≤ ${kb(r.target)}` : '—',
        r.target ? verdict(js.gzipBytes <= r.target) : 'info',
      ]);
    }

    log('page views in Chromium: requests to the console and its CPU per view…');
    const views = await measurePageViews({
      base: stack.url,
      jar,
      consolePid: stack.console.child.pid!,
      chromePath: CHROME,
      views: Math.min(RUNS, 10),
      pages: [
        { label: 'sessions list (heavy.user, 25 rows)', path: `/sessions?user_id=${heavy}&limit=25` },
        { label: 'session detail', path: `/sessions/${adaSession}` },
        { label: 'users (`?query=a`)', path: '/users?query=a' },
      ],
    });
    for (const v of views)
      rows.push([
        `Page view in Chromium until the network is idle: ${v.label}, medians of ${v.views}`,
        `${fmt(v.requestsMedian, 0)} requests to the console, ${fmt(v.serverCpuMedianMs, 0)} ms of its CPU`,
        '—',
        'info',
      ]);

    if (values['no-lighthouse']) {
      rows.push(['Lighthouse', 'skipped (--no-lighthouse)', '—', 'skipped']);
    } else {
      const cookie = jar.header()!;
      for (const page of [
        { label: 'sessions list', path: `/sessions?user_id=${ada}` },
        { label: 'session detail', path: `/sessions/${adaSession}` },
        { label: 'users', path: `/users?query=${encodeURIComponent('Lovelace')}` },
        { label: 'audit', path: '/audit' },
      ]) {
        log(`lighthouse ${LIGHTHOUSE_VERSION} (desktop preset): ${page.label}…`);
        const l = await runLighthouse({
          url: `${stack.url}${page.path}`,
          label: page.label,
          cookie,
          chromePath: CHROME,
        });
        rows.push(
          l.ok
            ? [
                `Lighthouse ${LIGHTHOUSE_VERSION} (desktop, Debian Chromium): ${l.label}`,
                `performance ${l.performance}, accessibility ${l.accessibility}, best practices ${l.bestPractices}` +
                  (l.failing.length ? ` (points lost on: ${l.failing.join(', ')})` : ''),
                '100 / 100 / 100',
                verdict(l.performance === 100 && l.accessibility === 100 && l.bestPractices === 100),
              ]
            : [`Lighthouse: ${l.label}`, `skipped: ${l.reason}`, '100 / 100 / 100', 'skipped'],
        );
      }
    }
  } finally {
    await stack.stop();
  }
}

async function budget() {
  log(`budget: the product at a quarter of ${DEV_LIMIT}/${WINDOW_SECONDS} s next to the console…`);
  const stack = await startLocalStack({ rateLimit: DEV_LIMIT, faults: true, label: 'bench-budget' });
  try {
    const budgetTotal = consoleBudgetCaps(stack.console.env, stack.apiKey).total;
    const phases = await measureBudgetFairness({
      stack,
      limit: DEV_LIMIT,
      windowSeconds: WINDOW_SECONDS,
      staffEmails: ['viewer@example.com', 'admin@example.com', 'support@example.com'],
      phases: [
        { label: 'one viewer hammering', seconds: 20, staff: 1, bulk: false },
        { label: 'three staff hammering and a bulk revoke', seconds: 30, staff: 3, bulk: true },
      ],
      log,
    });
    for (const p of phases) {
      rows.push(
        [
          `Budget, ${p.label} (${fmt(p.seconds, 0)} s, limit ${DEV_LIMIT}/${WINDOW_SECONDS} s): the product's calls at a quarter of the limit rate-limited`,
          `${p.product429} of ${p.productCalls}`,
          '0',
          verdict(p.product429 === 0),
        ],
        [
          `Budget, ${p.label}: the console's upstream calls`,
          `${fmt(p.consolePer10s)} per ${WINDOW_SECONDS} s = ${fmt(p.consoleShare, 2)} of the limit (budget ${budgetTotal}); ${p.pages} pages loaded, ${p.busyPages} said "Clerk is busy for this console"`,
          `≤ ${fmt(budgetTotal / DEV_LIMIT, 2)}`,
          verdict(p.consoleShare <= (budgetTotal / DEV_LIMIT) * 1.1),
        ],
      );
      if (p.bulk) {
        rows.push([
          `Budget, ${p.label}: the bulk revoke's rate over its share (${p.bulk.sharePer10s}/${WINDOW_SECONDS} s)`,
          `${fmt(p.bulk.perShare, 2)} (${p.bulk.revoked} revoked; ${Object.entries(p.bulk.outcomes)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`,
          '≥ 0.9',
          verdict(p.bulk.perShare >= 0.9),
        ]);
      }
    }
  } finally {
    await stack.stop();
  }
}

async function jobs() {
  const sessions = int(values['job-sessions'], 'job-sessions');
  const limit = int(values['job-limit'], 'job-limit');
  log(
    `jobs: a ${sessions}-session job, two runner processes on one PostgreSQL, ${limit} requests / ${WINDOW_SECONDS} s…`,
  );
  const r = await benchJobs({ sessions, limit, windowSeconds: WINDOW_SECONDS, log });
  if (!r) return;
  const share = r.achievedPerSecond / r.allowedPerSecond;
  rows.push(
    [
      `Job: ${r.sessions} sessions, 2 instances on one PostgreSQL, the API at ${r.limit} req / ${r.windowSeconds} s and the jobs' budget share ${fmt(r.allowedPerSecond * r.windowSeconds)} / ${r.windowSeconds} s, one SIGKILLed half way and restarted`,
      `${fmt(r.seconds)} s, ${fmt(r.achievedPerSecond)} revokes/s = ${fmt(share)} of the allowed ${fmt(r.allowedPerSecond)}/s (${fmt(r.achievedBeforeKillPerSecond / r.allowedPerSecond)} before the kill)`,
      '≥ 0.9 of the allowed share',
      verdict(share >= 0.9),
    ],
    [
      `Job: requests sent to the API (listing, revokes, read-backs), per second / the most in ${r.windowSeconds} whole seconds (how the budget counts) / in any ${r.windowSeconds} s`,
      `${r.upstreamRequests}: ${fmt(r.upstreamRequests / r.seconds)}/s / ${r.busiestBuckets} / ${r.busiestWindow}`,
      `≤ ${fmt(r.allowedPerSecond)}/s, ≤ ${fmt(r.allowedPerSecond * r.windowSeconds)} per ${r.windowSeconds} buckets`,
      verdict(r.upstreamRequests / r.seconds <= r.allowedPerSecond),
    ],
    [
      'Job: sessions lost / revoked twice (credited "already inactive") / revoke POSTs repeated (429-refused retries included)',
      `${r.lost} / ${r.revokedTwice} / ${r.sentTwice}`,
      '0 / 0 / (information)',
      verdict(r.lost === 0 && r.revokedTwice === 0),
    ],
  );
}

function indexComplete(dataDir: string): boolean {
  const file = path.join(dataDir, 'console', 'console.sqlite');
  if (!fs.existsSync(file)) return false;
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM session_index_state WHERE key = 'backfill'").get() as
      | { value: string }
      | undefined;
    const fill = row ? (JSON.parse(row.value) as { finishedAt: number | null; cursor: string | null }) : null;
    return Boolean(fill && fill.finishedAt !== null && fill.cursor === null);
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** (b) twice in one run: risk read from Clerk (no webhooks), then from a complete session index. */
async function scaleWithIndex() {
  for (const index of [false, true]) {
    const stack = await startLocalStack({
      rateLimit: 0,
      faults: true,
      label: index ? 'bench-index' : 'bench',
      port: SCALE_PORT + (index ? 1 : 0),
      index,
    });
    try {
      if (index) {
        log('waiting for the session index to be filled…');
        const until = Date.now() + 600_000;
        while (!indexComplete(stack.dataDir)) {
          if (Date.now() > until) throw new Error('the session index was not filled within 10 minutes');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      const { jar } = await staffSession(stack, 'admin@example.com');
      const [five, heavy] = await Promise.all([
        stack.apiClient.userIdByEmail('five.sessions@example.com'),
        stack.apiClient.userIdByEmail('heavy.user@example.com'),
      ]);
      // 25 rows against 5 is the page as a user sees it; 5 against 5 holds the markup equal, so what is left is
      // what the user's history costs.
      for (const limit of [25, 5]) {
        log(
          `scale (${index ? 'complete session index' : 'no webhooks: Clerk'}, ${limit} a page), ${RUNS} runs each…`,
        );
        const s = await measureScale({
          base: stack.url,
          jar,
          apiUrl: stack.api.url,
          apiKey: stack.apiKey,
          heavyUserId: heavy,
          smallUserId: five,
          runs: RUNS,
          limit,
        });
        rows.push([
          `(b) Scale, ${index ? 'risk from the session index (signals stored on arrival)' : 'risk from Clerk (newest 500, no webhooks)'}: heavy.user (5,000 sessions) vs five.sessions, ${limit} a page, medians of ${s.runs}`,
          `${fmt(s.heavyMedianMs)} ms vs ${fmt(s.smallMedianMs)} ms = ${fmt(s.ratio, 2)}× (${s.heavyRows} rows vs ${s.smallRows}; the API alone ${fmt(s.apiRatio, 2)}×)`,
          limit === 25 ? '≤ 1.2×' : '≤ 1.2× (same rows)',
          verdict(s.ratio <= 1.2),
        ]);
      }
    } finally {
      await stack.stop();
    }
  }
}

async function main() {
  if (values['only-jobs']) {
    await jobs();
    console.log(markdownTable(['Figure', 'Value', 'Target', ''], rows));
    return;
  }
  const started = Date.now();
  const only = values.only;
  if (only !== undefined && only !== 'budget' && only !== 'pages' && only !== 'scale')
    throw new Error('--only takes: budget, pages, scale');
  if (only === undefined || only === 'pages') await unlimited();
  if (only === undefined || only === 'scale') await scaleWithIndex();
  if (only === undefined) await jobs();
  if (only !== 'pages' && only !== 'scale') await budget();
  console.log(
    `Benchmarks (${new Date().toISOString().slice(0, 10)}, production build in ${distDir()}, local mode, ${fmt((Date.now() - started) / 1000, 0)} s; ` +
      'one run on a shared 2-core machine: compare ratios, not absolute times)',
  );
  console.log('');
  console.log(markdownTable(['Figure', 'Measured', 'Target', 'Verdict'], rows));
  process.exitCode = rows.some((r) => r[3] === 'missed') ? 1 : 0;
}

main().catch((e: unknown) => {
  if (rows.length) console.log(markdownTable(['Figure', 'Measured', 'Target', 'Verdict'], rows));
  console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
