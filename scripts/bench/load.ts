// The load run behind `npm run load`: N virtual staff, each with its own console session, loop over "list a user's
// sessions → open one session → now and then revoke one" against a running console, for a fixed time.
import { randomUUID } from 'node:crypto';
import {
  assertLoopback,
  callAction,
  discoverActions,
  getPage,
  sessionIdsIn,
  signIn,
  userIdsIn,
  type CookieJar,
} from './console-http';
import { fmt, markdownTable, summarize } from './stats';

export type LoadKind = 'list' | 'detail' | 'revoke';
const KINDS: readonly LoadKind[] = ['list', 'detail', 'revoke'];

export interface LoadOptions {
  url: string;
  seconds: number;
  staff: number;
  email: string;
  password: string;
  /** Revoke one active session every `revokeEvery` iterations of a virtual staff member (0 = never). */
  revokeEvery: number;
  maxRevokes: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

interface Sample {
  kind: LoadKind;
  status: number;
  ms: number;
}

export interface LoadReport {
  options: Omit<LoadOptions, 'password' | 'log'>;
  elapsedSeconds: number;
  users: number;
  signInMs: number[];
  samples: Sample[];
  /** Revokes whose action answered ok:false, by error kind (e.g. already_revoked): not HTTP errors. */
  actionFailures: Record<string, number>;
  revoked: number;
}

const USERS_PAGES = 4;

async function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** N console sessions of one staff member, signed in one after another (each sign-in timed). */
async function signInStaff(
  base: string,
  n: number,
  email: string,
  password: string,
): Promise<{ jars: CookieJar[]; signInMs: number[] }> {
  const signInId = (await discoverActions(base, ['/sign-in'])).get('signInAction');
  if (!signInId) throw new Error('could not find the sign-in action in the sign-in page');
  // Successful sign-ins never count towards the per-IP failure throttle, so N of them in a row are fine.
  const jars: CookieJar[] = [];
  const signInMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    jars.push(await signIn(base, signInId, email, password));
    signInMs.push(performance.now() - t);
  }
  return { jars, signInMs };
}

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const log = o.log ?? (() => {});
  const base = assertLoopback(o.url).origin;
  const timeoutMs = o.timeoutMs ?? 30_000;
  if (!(o.seconds > 0 && o.seconds <= 600)) throw new Error('--seconds must be between 1 and 600');
  if (!(o.staff >= 1 && o.staff <= 100)) throw new Error('--staff must be between 1 and 100');

  log(`signing in ${o.staff} staff sessions as ${o.email}…`);
  const { jars, signInMs } = await signInStaff(base, o.staff, o.email, o.password);
  const first = jars[0]!;

  const users: string[] = [];
  for (let page = 0; page < USERS_PAGES; page++) {
    const r = await getPage(base, `/users?query=example.com&limit=100&offset=${page * 100}`, first);
    if (r.status !== 200) throw new Error(`/users answered ${r.status}: is ${o.email} a staff member?`);
    users.push(...userIdsIn(r.value));
  }
  if (!users.length) throw new Error('no users found through /users?query=example.com');

  let revokeId: string | undefined;
  if (o.revokeEvery > 0) {
    revokeId = (await discoverActions(base, [`/sessions?user_id=${users[0]}`], first)).get(
      'revokeSessionAction',
    );
    if (!revokeId) throw new Error('could not find the revoke action in the sessions page');
  }
  log(`${users.length} users; ${o.staff} virtual staff for ${o.seconds} s…`);

  const samples: Sample[] = [];
  const actionFailures: Record<string, number> = {};
  const claimed = new Set<string>();
  const knownSessions: string[] = [];
  let revoked = 0;
  let revokesStarted = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;

  async function timed<T extends { status: number; ms: number }>(
    kind: LoadKind,
    work: () => Promise<T>,
  ): Promise<T | null> {
    const t = performance.now();
    try {
      const r = await withTimeout(timeoutMs, work);
      samples.push({ kind, status: r.status, ms: r.ms });
      return r;
    } catch {
      samples.push({ kind, status: 0, ms: performance.now() - t }); // network error or timeout
      return null;
    }
  }

  async function virtualStaff(index: number) {
    const jar = jars[index]!;
    for (let iteration = 1; performance.now() < deadline; iteration++) {
      const user = users[Math.floor(Math.random() * users.length)]!;
      const listPath = `/sessions?user_id=${user}`;
      const list = await timed('list', () => getPage(base, listPath, jar));
      const active = list ? sessionIdsIn(list.value) : [];
      if (active.length && knownSessions.length < 5000) knownSessions.push(...active.slice(0, 3));
      const pick = active.length
        ? active[Math.floor(Math.random() * active.length)]!
        : knownSessions[Math.floor(Math.random() * knownSessions.length)];
      if (pick && performance.now() < deadline) {
        await timed('detail', () => getPage(base, `/sessions/${pick}`, jar));
      }
      if (
        revokeId &&
        iteration % o.revokeEvery === 0 &&
        revokesStarted < o.maxRevokes &&
        performance.now() < deadline
      ) {
        const target = active.find((id) => !claimed.has(id));
        if (target) {
          claimed.add(target);
          revokesStarted++;
          const r = await timed('revoke', () =>
            callAction(
              base,
              listPath,
              revokeId,
              { sessionId: target, reason: 'load test (scripts/load.ts)', idempotencyKey: randomUUID() },
              jar,
            ),
          );
          const value = r?.value as { ok?: boolean; kind?: string } | undefined;
          if (value?.ok) revoked++;
          else if (r) {
            const kind = value?.kind ?? 'no_result';
            actionFailures[kind] = (actionFailures[kind] ?? 0) + 1;
          }
        }
      }
    }
  }

  await Promise.all(jars.map((_, i) => virtualStaff(i)));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    options: {
      url: base,
      seconds: o.seconds,
      staff: o.staff,
      email: o.email,
      revokeEvery: o.revokeEvery,
      maxRevokes: o.maxRevokes,
      timeoutMs,
    },
    elapsedSeconds,
    users: users.length,
    signInMs,
    samples,
    actionFailures,
    revoked,
  };
}

function statusLabel(status: number): string {
  return status === 0 ? 'network error / timeout' : String(status);
}

/** The report as markdown: one row per kind, then the status counts, then the verdict on 5xx. */
export function formatLoadReport(r: LoadReport): string {
  const rows: string[][] = [];
  const all = r.samples;
  for (const kind of [...KINDS, 'all'] as const) {
    const s = kind === 'all' ? all : all.filter((x) => x.kind === kind);
    if (!s.length) continue;
    const lat = summarize(s.map((x) => x.ms));
    const errors = s.filter((x) => x.status < 200 || x.status >= 300).length;
    rows.push([
      kind,
      String(s.length),
      fmt(s.length / r.elapsedSeconds),
      fmt(lat.p50),
      fmt(lat.p95),
      fmt(lat.p99),
      fmt(lat.max),
      String(errors),
    ]);
  }
  const statuses = new Map<number, number>();
  for (const s of all) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  const fiveXX = all.filter((x) => x.status >= 500 || x.status === 0).length;
  const signIn = summarize(r.signInMs);
  const failures = Object.entries(r.actionFailures);
  return [
    `Load: ${r.options.staff} virtual staff (each its own console session) for ${fmt(r.elapsedSeconds)} s against ${r.options.url}; ` +
      `${r.users} users; one revoke every ${r.options.revokeEvery || '—'} iterations per staff member (at most ${r.options.maxRevokes}).`,
    '',
    markdownTable(['Kind', 'Requests', 'Req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Non-2xx'], rows),
    '',
    markdownTable(
      ['HTTP status', 'Count'],
      [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [statusLabel(k), String(v)]),
    ),
    '',
    `Sign-in (${r.signInMs.length}×, sequential, before the run): p50 ${fmt(signIn.p50)} ms, max ${fmt(signIn.max)} ms.`,
    `Revokes carried out: ${r.revoked}${failures.length ? `; refused by the action: ${failures.map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}.`,
    `Target "no 5xx": ${fiveXX === 0 ? 'met' : `MISSED (${fiveXX} 5xx or network errors)`}.`,
  ].join('\n');
}

/** A request loaded the same way as the run (see FLOORS): what the stack, or one part of a page, costs here. */
export interface Floor {
  label: string;
  /** The path, given one user of the seed (the same user on every floor that lists sessions). */
  path: (userId: string) => string;
  signedIn: boolean;
}

/**
 * The cheapest requests a console answers, from the cheapest up: a route handler behind the proxy (without and
 * with a staff cookie), the sign-in page (a page, no session, no data) and `/users` before a search (the signed-in
 * layout, no upstream call). A list or detail page can only be as cheap as these. Then one user's sessions twice,
 * as the page and as the JSON the page polls (same auth, same upstream call): the gap is what rendering costs.
 */
export const FLOORS: readonly Floor[] = [
  { label: 'route handler (`/api/health`)', path: () => '/api/health', signedIn: false },
  { label: 'route handler, with a staff cookie', path: () => '/api/health', signedIn: true },
  { label: 'page without a session (`/sign-in`)', path: () => '/sign-in', signedIn: false },
  { label: 'signed-in page, no upstream call (`/users`)', path: () => '/users', signedIn: true },
  {
    label: "one user's sessions, the page (`/sessions?user_id=…`)",
    path: (userId) => `/sessions?user_id=${userId}`,
    signedIn: true,
  },
  {
    label: 'the same list as JSON (`GET /api/sessions?user_id=…`)',
    path: (userId) => `/api/sessions?user_id=${userId}`,
    signedIn: true,
  },
];

export interface FloorResult {
  floor: Floor;
  seconds: number;
  requests: number;
  p50: number;
  p95: number;
  non2xx: number;
  /** Console CPU per request (ms), where the caller can read the console's CPU time. */
  cpuMsPerRequest: number | null;
}

/**
 * The same closed loop as `runLoad` (N staff, each its own session, no pause between requests) on each floor
 * in turn, for `seconds` each.
 */
export async function runFloors(o: {
  url: string;
  seconds: number;
  staff: number;
  email: string;
  password: string;
  /** The end user whose sessions the list floors read (found through `/users`). */
  listEmail: string;
  /** The console's CPU time so far (ms), or null where it can't be read. */
  consoleCpuMs?: () => number | null;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<FloorResult[]> {
  const base = assertLoopback(o.url).origin;
  const timeoutMs = o.timeoutMs ?? 30_000;
  if (!(o.seconds > 0 && o.seconds <= 600)) throw new Error('--floor-seconds must be between 1 and 600');
  const { jars } = await signInStaff(base, o.staff, o.email, o.password);
  const found = await getPage(base, `/users?query=${encodeURIComponent(o.listEmail)}`, jars[0]);
  const userId = userIdsIn(found.value)[0];
  if (!userId) throw new Error(`no user ${o.listEmail} found through /users`);
  const results: FloorResult[] = [];
  for (const floor of FLOORS) {
    const path = floor.path(userId);
    o.log?.(`floor: ${path}${floor.signedIn ? ' (signed in)' : ''}, ${o.staff} staff for ${o.seconds} s…`);
    const ms: number[] = [];
    let non2xx = 0;
    const cpuBefore = o.consoleCpuMs?.() ?? null;
    const started = performance.now();
    const deadline = started + o.seconds * 1000;
    await Promise.all(
      jars.map(async (jar) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          try {
            const r = await withTimeout(timeoutMs, () =>
              getPage(base, path, floor.signedIn ? jar : undefined),
            );
            ms.push(r.ms);
            if (r.status < 200 || r.status >= 300) non2xx++;
          } catch {
            ms.push(performance.now() - t);
            non2xx++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = o.consoleCpuMs?.() ?? null;
    const lat = summarize(ms);
    results.push({
      floor,
      seconds,
      requests: ms.length,
      p50: lat.p50,
      p95: lat.p95,
      non2xx,
      cpuMsPerRequest:
        cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / Math.max(1, ms.length) : null,
    });
  }
  return results;
}

export function formatFloors(results: readonly FloorResult[], staff: number): string {
  return [
    `Floors: the same ${staff} staff on requests that do less than any list or detail page, then on one user's sessions as the page and as JSON.`,
    '',
    markdownTable(
      ['Floor', 'Requests', 'Req/s', 'p50 ms', 'p95 ms', 'Non-2xx', 'Console CPU / request'],
      results.map((r) => [
        r.floor.label,
        String(r.requests),
        fmt(r.requests / r.seconds),
        fmt(r.p50),
        fmt(r.p95),
        String(r.non2xx),
        r.cpuMsPerRequest === null ? '—' : `${fmt(r.cpuMsPerRequest)} ms`,
      ]),
    ),
  ].join('\n');
}
