// Open-loop load: requests leave at a fixed rate whatever the answers (as many people clicking would), so a slow
// console shows up as latency and errors instead of as fewer requests (a closed loop slows down with it).
import { getPage, sessionIdsIn, userIdsIn, type CookieJar } from './console-http';
import { cpuMs } from './process-cpu';
import { median, summarize, type LatencySummary } from './stats';

export interface OpenLoopResult {
  ratePerSecond: number;
  seconds: number;
  sent: number;
  answered: number;
  errors: number;
  latency: LatencySummary;
  /** How late the last request left against its schedule: a loaded sender would bias the figures. */
  maxSendLagMs: number;
  users: number;
  pages: { list: number; detail: number };
  consoleCpuMsPerView: number | null;
}

export interface OpenLoopTargets {
  paths: string[];
  users: number;
}

/** List and detail pages of many users, found through the console itself (users search, then each list). */
export async function openLoopTargets(
  base: string,
  jar: CookieJar,
  maxUsers = 200,
): Promise<OpenLoopTargets> {
  const users: string[] = [];
  for (let offset = 0; users.length < maxUsers && offset < 400; offset += 100) {
    const r = await getPage(base, `/users?query=example.com&limit=100&offset=${offset}`, jar);
    if (r.status !== 200) throw new Error(`/users answered ${r.status}`);
    const found = userIdsIn(r.value);
    if (!found.length) break;
    users.push(...found);
  }
  if (!users.length) throw new Error('no users found through /users?query=example.com');
  const paths: string[] = [];
  for (const user of users.slice(0, maxUsers)) {
    const list = `/sessions?user_id=${user}`;
    paths.push(list);
    const r = await getPage(base, list, jar);
    const session = sessionIdsIn(r.value)[0];
    if (session) paths.push(`/sessions/${session}`);
  }
  return { paths, users: Math.min(users.length, maxUsers) };
}

export async function runOpenLoop(o: {
  base: string;
  jars: CookieJar[];
  targets: OpenLoopTargets;
  ratePerSecond: number;
  seconds: number;
  consolePid?: number;
  timeoutMs?: number;
}): Promise<OpenLoopResult> {
  const total = Math.round(o.ratePerSecond * o.seconds);
  const interval = 1000 / o.ratePerSecond;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const samples: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  const pages = { list: 0, detail: 0 };
  const cpuBefore = cpuMs(o.consolePid);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lags.push(performance.now() - due);
    const path = o.targets.paths[i % o.targets.paths.length]!;
    if (path.includes('?user_id=')) pages.list++;
    else pages.detail++;
    const jar = o.jars[i % o.jars.length]!;
    inFlight.push(
      (async () => {
        const t = performance.now();
        try {
          const r = await Promise.race([
            getPage(o.base, path, jar),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
          ]);
          if (r.status !== 200) errors++;
          samples.push(r.ms);
        } catch {
          errors++;
          samples.push(performance.now() - t);
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  const cpuAfter = cpuMs(o.consolePid);
  return {
    ratePerSecond: o.ratePerSecond,
    seconds: o.seconds,
    sent: total,
    answered: samples.length - errors,
    errors,
    latency: summarize(samples),
    maxSendLagMs: lags.length ? Math.max(...lags) : 0,
    users: o.targets.users,
    pages,
    consoleCpuMsPerView: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / total : null,
  };
}

export interface FloorRatioResult {
  runs: number;
  pageMedianMs: number;
  floorMedianMs: number;
  ratio: number;
}

/** A page against the stack's floor (the signed-in page with no upstream call), sequential and interleaved. */
export async function measureFloorRatio(o: {
  base: string;
  jar: CookieJar;
  pagePath: string;
  floorPath: string;
  runs: number;
}): Promise<FloorRatioResult> {
  const time = async (path: string) => {
    const r = await getPage(o.base, path, o.jar);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    return r.ms;
  };
  for (let i = 0; i < 5; i++) {
    await time(o.pagePath);
    await time(o.floorPath);
  }
  const page: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    page.push(await time(o.pagePath));
    floor.push(await time(o.floorPath));
  }
  const pageMedianMs = median(page);
  const floorMedianMs = median(floor);
  return { runs: o.runs, pageMedianMs, floorMedianMs, ratio: pageMedianMs / floorMedianMs };
}

/**
 * CPU per view of each path with no queueing (sequential requests, one after the other): the console's (what one core
 * can serve at most, whatever the arrival pattern) and this process's (the sender, and in a local stack the embedded
 * API the console calls: what else the same machine spends on each view).
 */
export async function measureCpuPerView(o: {
  base: string;
  jar: CookieJar;
  consolePid: number;
  paths: string[];
  runs: number;
}): Promise<{ consoleMs: number; benchMs: number }> {
  for (const path of o.paths.slice(0, 10)) await getPage(o.base, path, o.jar);
  const before = cpuMs(o.consolePid);
  const benchBefore = process.cpuUsage();
  for (let i = 0; i < o.runs; i++) {
    const r = await getPage(o.base, o.paths[i % o.paths.length]!, o.jar);
    if (r.status !== 200) throw new Error(`${o.paths[i % o.paths.length]} answered ${r.status}`);
  }
  const bench = process.cpuUsage(benchBefore);
  const after = cpuMs(o.consolePid);
  if (before === null || after === null) throw new Error('no CPU figures for the console process');
  return { consoleMs: (after - before) / o.runs, benchMs: (bench.user + bench.system) / 1000 / o.runs };
}
