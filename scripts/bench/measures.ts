// The benchmarks behind `npm run bench`, each measured in one run against a throwaway local-mode console.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { getPage, sessionIdsIn, type CookieJar } from './console-http';
import type { ApiClient } from '../../lib/testing/processes';
import { median } from './stats';

// ── Overhead: a server-rendered page against the upstream call it wraps ──────────────────────────────────────

export interface OverheadResult {
  runs: number;
  latencyMs: number;
  pageMedianMs: number;
  directMedianMs: number;
  /** Upstream requests one render of the page makes, and how many of them are sequential (waves). */
  upstreamCalls: number;
  upstreamRoundTrips: number;
  upstreamPaths: string[];
  /** page − direct. */
  addedMs: number;
  /** page − roundTrips × direct: the console's own time once every upstream wait is paid. */
  addedBeyondUpstreamMs: number;
}

/** Requests that arrive within this long of the previous one are in the same (parallel) wave. */
const SAME_WAVE_MS = 20;

export function countWaves(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let waves = 0;
  let last = -Infinity;
  for (const at of sorted) {
    if (at - last > SAME_WAVE_MS) waves++;
    last = at;
  }
  return waves;
}

export async function measureOverhead(o: {
  base: string;
  jar: CookieJar;
  api: ApiClient;
  apiUrl: string;
  apiKey: string;
  userId: string;
  runs: number;
  latencyMs: number;
}): Promise<OverheadResult> {
  const pagePath = `/sessions?user_id=${o.userId}&status=all`;
  const directUrl = `${o.apiUrl}/v1/sessions?user_id=${o.userId}&paginated=true&limit=25&offset=0`;
  const direct = async () => {
    const t = performance.now();
    const res = await fetch(directUrl, { headers: { authorization: `Bearer ${o.apiKey}` } });
    await res.text();
    if (!res.ok) throw new Error(`direct GET answered ${res.status}`);
    return performance.now() - t;
  };
  const page = async () => {
    const r = await getPage(o.base, pagePath, o.jar);
    if (r.status !== 200) throw new Error(`${pagePath} answered ${r.status}`);
    return r.ms;
  };

  await o.api.setFaults([{ path: '^/v1/', latencyMs: o.latencyMs }]);
  try {
    for (let i = 0; i < 5; i++) {
      await page();
      await direct();
    }
    await o.api.clearRequests();
    await page();
    // Only this user's calls: the console's watchlist scan may list other users' sessions in the same moment.
    const seen = (await o.api.requests()).requests.filter(
      (r) => r.path.includes(o.userId) || String(r.query ?? '').includes(o.userId),
    );
    const pageTimes: number[] = [];
    const directTimes: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      // Interleaved, so drift (other processes, GC) hits both sides alike.
      pageTimes.push(await page());
      directTimes.push(await direct());
    }
    const pageMedianMs = median(pageTimes);
    const directMedianMs = median(directTimes);
    const roundTrips = countWaves(seen.map((r) => r.at));
    return {
      runs: o.runs,
      latencyMs: o.latencyMs,
      pageMedianMs,
      directMedianMs,
      upstreamCalls: seen.length,
      upstreamRoundTrips: roundTrips,
      upstreamPaths: seen.map(
        (r) => `${r.method} ${r.path.replace(/(user|sess|client)_[A-Za-z0-9]+/g, '$1_…')}`,
      ),
      addedMs: pageMedianMs - directMedianMs,
      addedBeyondUpstreamMs: pageMedianMs - roundTrips * directMedianMs,
    };
  } finally {
    await o.api.clearFaults();
  }
}

// ── Scale: the same page for a user with 5,000 sessions and one with 5 ─────────────────────────────────────────

export interface ScaleResult {
  runs: number;
  heavyMedianMs: number;
  smallMedianMs: number;
  ratio: number;
  /** The same page's upstream list call made directly, to tell the console's scaling from the API's. */
  apiHeavyMedianMs: number;
  apiSmallMedianMs: number;
  apiRatio: number;
  /** Session rows each page renders (the same page size still shows only 5 rows for five.sessions). */
  heavyRows: number;
  smallRows: number;
}

export async function measureScale(o: {
  base: string;
  jar: CookieJar;
  apiUrl: string;
  apiKey: string;
  heavyUserId: string;
  smallUserId: string;
  runs: number;
  /** Rows per page for both users: 25 (the default page), or 5 to hold the rendered rows equal. */
  limit?: number;
}): Promise<ScaleResult> {
  const limit = o.limit ?? 25;
  const rowsOf = new Map<string, number>();
  const get = async (userId: string) => {
    const r = await getPage(o.base, `/sessions?user_id=${userId}&limit=${limit}`, o.jar);
    if (r.status !== 200) throw new Error(`sessions page answered ${r.status}`);
    rowsOf.set(userId, sessionIdsIn(r.value).length);
    return r.ms;
  };
  const direct = async (userId: string) => {
    const t = performance.now();
    const res = await fetch(
      `${o.apiUrl}/v1/sessions?user_id=${userId}&status=active&limit=${limit}&offset=0&paginated=true`,
      { headers: { authorization: `Bearer ${o.apiKey}` } },
    );
    await res.text();
    if (!res.ok) throw new Error(`direct GET answered ${res.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 5; i++) {
    await get(o.heavyUserId);
    await get(o.smallUserId);
  }
  const heavy: number[] = [];
  const small: number[] = [];
  const apiHeavy: number[] = [];
  const apiSmall: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    heavy.push(await get(o.heavyUserId));
    small.push(await get(o.smallUserId));
    apiHeavy.push(await direct(o.heavyUserId));
    apiSmall.push(await direct(o.smallUserId));
  }
  const heavyMedianMs = median(heavy);
  const smallMedianMs = median(small);
  const apiHeavyMedianMs = median(apiHeavy);
  const apiSmallMedianMs = median(apiSmall);
  return {
    runs: o.runs,
    heavyMedianMs,
    smallMedianMs,
    ratio: heavyMedianMs / smallMedianMs,
    apiHeavyMedianMs,
    apiSmallMedianMs,
    apiRatio: apiHeavyMedianMs / apiSmallMedianMs,
    heavyRows: rowsOf.get(o.heavyUserId) ?? 0,
    smallRows: rowsOf.get(o.smallUserId) ?? 0,
  };
}

// ── Bulk revoke under a rate limit, through the real action in the browser's batches ──────────────────────────

export interface BulkResult {
  sessions: number;
  batchSize: number;
  seconds: number;
  limit: number;
  windowSeconds: number;
  achievedPerSecond: number;
  allowedPerSecond: number;
  /** The fastest any client could go under a sliding window that starts full: ceil(n/limit)−1 windows. */
  fastestPossibleSeconds: number;
  outcomes: Record<string, number>;
  /** Attempted sessions Clerk still reports active afterwards. */
  stillActive: number;
  /** Sessions with more than one "succeeded" revoke row in the audit log. */
  revokedTwice: number;
  /** Revokes Clerk refused as already inactive (a 400: someone revoked it before). */
  alreadyInactive: number;
}

export interface FirstLoadJs {
  route: string;
  scripts: number;
  gzipBytes: number;
  rawBytes: number;
}

/** The `<script src>` chunks a route's HTML loads, read from the build folder and gzip-sized with zlib. */
export async function measureFirstLoadJs(o: {
  base: string;
  jar: CookieJar | undefined;
  route: string;
  label: string;
  buildDir: string;
}): Promise<FirstLoadJs> {
  const r = await getPage(o.base, o.route, o.jar);
  if (r.status !== 200) throw new Error(`${o.route} answered ${r.status}`);
  // `noModule` scripts (Next's legacy polyfills) are skipped by every browser that runs the console's modules.
  const srcs = [
    ...new Set(
      [...r.value.matchAll(/<script([^>]+)src="(\/_next\/static\/[^"?#]+\.js)"([^>]*)>/g)]
        .filter((m) => !/nomodule/i.test(`${m[1]}${m[3]}`))
        .map((m) => m[2]!),
    ),
  ];
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const src of srcs) {
    const file = path.join(o.buildDir, 'static', src.slice('/_next/static/'.length));
    const body = fs.readFileSync(file);
    rawBytes += body.length;
    gzipBytes += zlib.gzipSync(body, { level: 9 }).length;
  }
  return { route: o.label, scripts: srcs.length, gzipBytes, rawBytes };
}

// ── Lighthouse ───────────────────────────────────────────────────────────────────────────────────────────────

export type LighthouseResult =
  | {
      ok: true;
      label: string;
      performance: number;
      accessibility: number;
      bestPractices: number;
      /** Audits that cost points, by category id (e.g. errors-in-console). */
      failing: string[];
    }
  | { ok: false; label: string; reason: string };

export const LIGHTHOUSE_VERSION = '12.8.2';

/** Runs Lighthouse (desktop preset) from npx against one page, signed in via an extra Cookie header. */
export async function runLighthouse(o: {
  url: string;
  label: string;
  cookie: string;
  chromePath: string;
  timeoutMs?: number;
}): Promise<LighthouseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-lighthouse-'));
  const headers = path.join(dir, 'headers.json');
  const out = path.join(dir, 'report.json');
  fs.writeFileSync(headers, JSON.stringify({ Cookie: o.cookie }), { mode: 0o600 });
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        'npx',
        [
          '--yes',
          `lighthouse@${LIGHTHOUSE_VERSION}`,
          o.url,
          '--chrome-flags=--headless --no-sandbox',
          '--preset=desktop',
          '--only-categories=performance,accessibility,best-practices',
          '--output=json',
          `--output-path=${out}`,
          '--quiet',
          `--extra-headers=${headers}`,
        ],
        { env: { ...process.env, CHROME_PATH: o.chromePath }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 240_000);
      child.on('error', (e) => resolve({ code: -1, stderr: e.message }));
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stderr });
      });
    });
    if (code !== 0 || !fs.existsSync(out)) {
      const line = stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${code}`;
      return { ok: false, label: o.label, reason: `lighthouse failed: ${line.slice(0, 200)}` };
    }
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      categories: Record<string, { score: number | null; auditRefs?: { id: string; weight: number }[] }>;
      audits?: Record<string, { score: number | null; displayValue?: string }>;
      runtimeError?: { message?: string };
      finalDisplayedUrl?: string;
    };
    if (report.runtimeError) {
      return {
        ok: false,
        label: o.label,
        reason: `lighthouse: ${report.runtimeError.message ?? 'runtime error'}`,
      };
    }
    // A lost cookie would quietly score the sign-in page instead.
    if (report.finalDisplayedUrl && new URL(report.finalDisplayedUrl).pathname !== new URL(o.url).pathname) {
      return {
        ok: false,
        label: o.label,
        reason: `lighthouse ended on ${report.finalDisplayedUrl}, not the page`,
      };
    }
    // LIGHTHOUSE_REPORTS=<folder> keeps each page's whole report there, to see what a lost point was lost on.
    const keep = process.env.LIGHTHOUSE_REPORTS;
    if (keep) fs.copyFileSync(out, path.join(keep, `${o.label.replace(/[^A-Za-z0-9]+/g, '-')}.json`));
    const score = (k: string) => Math.round((report.categories[k]?.score ?? Number.NaN) * 100);
    const failing = Object.values(report.categories).flatMap((c) =>
      (c.auditRefs ?? [])
        .filter((a) => a.weight > 0 && (report.audits?.[a.id]?.score ?? 1) < 1)
        .map((a) => {
          const shown = report.audits?.[a.id]?.displayValue;
          return shown ? `${a.id} ${shown}` : a.id;
        }),
    );
    return {
      ok: true,
      label: o.label,
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      failing: [...new Set(failing)],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
