// Talking to a running console over HTTP the way a browser does, for the load script, the benchmarks and the
// multi-instance e2e spec: GET pages with the session cookie, and call server actions by replaying the request
// React makes (POST to the page, `next-action: <id>`, the arguments as a JSON array, the answer as an RSC stream).
import { setTimeout as sleep } from 'node:timers/promises';

export const SESSION_COOKIE = 'console.session';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The load and bench tools only ever drive a console on this machine. */
export function assertLoopback(url: string): URL {
  const u = new URL(url);
  if (!LOOPBACK.has(u.hostname) || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
    throw new Error(
      `refusing ${u.origin}: only a console on a loopback address (127.0.0.1, localhost) may be driven`,
    );
  }
  return u;
}

/** Keeps the console's session cookie (the proxy re-issues it on requests to slide the idle timeout). */
export class CookieJar {
  private value: string | null = null;
  constructor(initial?: string) {
    if (initial) this.value = initial;
  }
  header(): string | undefined {
    return this.value ? `${SESSION_COOKIE}=${this.value}` : undefined;
  }
  /** The session cookie's value, for a browser context or Lighthouse. */
  token(): string | null {
    return this.value;
  }
  absorb(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
      const v = pair.slice(eq + 1);
      this.value = v && !/max-age=0|expires=thu, 01 jan 1970/i.test(c) ? v : null;
    }
  }
  get signedIn(): boolean {
    return this.value !== null;
  }
}

/** Decodes one React Flight (RSC) row value: `$$x` is an escaped `$x`, `$undefined` is undefined. */
function reviveFlight(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith('$')) return value;
  if (value === '$undefined') return undefined;
  if (value.startsWith('$$')) return value.slice(1);
  return value;
}

/**
 * The value a server action returned, from its RSC response: row 0 is `{"a":"$@<row>",…}`, the result is that
 * row (JSON). Undefined when the stream carries no result (a redirect, an error page).
 */
export function parseActionResult(body: string): unknown {
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  const head = rows.get('0');
  if (!head) return undefined;
  let ref: unknown;
  try {
    ref = (JSON.parse(head) as { a?: unknown }).a;
  } catch {
    return undefined;
  }
  const m = typeof ref === 'string' ? /^\$@([0-9a-f]+)$/.exec(ref) : null;
  const raw = m ? rows.get(m[1]!) : undefined;
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw, reviveFlight);
  } catch {
    return undefined;
  }
}

const SERVER_REFERENCE = /createServerReference\)\("([0-9a-f]{20,})",[^;]*?"(\w+)"\)/g;

/**
 * Finds server action ids as the browser knows them: in the JS chunks a page loads (`createServerReference(id,
 * …, "exportName")`). Works against any build, including one started elsewhere with `--url`.
 */
export async function discoverActions(
  base: string,
  pages: readonly string[],
  jar?: CookieJar,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  for (const page of pages) {
    const res = await fetch(new URL(page, base), { headers: headersFor(jar) });
    jar?.absorb(res);
    const html = await res.text();
    for (const [, src] of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) {
      if (!src || seen.has(src)) continue;
      seen.add(src);
      const js = await (await fetch(new URL(src, base))).text();
      for (const [, id, name] of js.matchAll(SERVER_REFERENCE)) found.set(name!, id!);
    }
  }
  return found;
}

function headersFor(jar?: CookieJar, extra: Record<string, string> = {}): Record<string, string> {
  const cookie = jar?.header();
  return { ...(cookie ? { cookie } : {}), ...extra };
}

export interface Timed<T> {
  status: number;
  ms: number;
  value: T;
}

/** GET a page with the staff cookie; the whole body is read (a streamed page counts until its last byte). */
export async function getPage(base: string, path: string, jar?: CookieJar): Promise<Timed<string>> {
  const started = performance.now();
  const res = await fetch(new URL(path, base), { headers: headersFor(jar), redirect: 'manual' });
  const body = await res.text();
  jar?.absorb(res);
  return { status: res.status, ms: performance.now() - started, value: body };
}

/** Calls a server action as React does. `value` is what the action returned (undefined if none came back). */
export async function callAction(
  base: string,
  pagePath: string,
  actionId: string,
  arg: unknown,
  jar?: CookieJar,
): Promise<Timed<unknown> & { redirect: string | null }> {
  const started = performance.now();
  const res = await fetch(new URL(pagePath, base), {
    method: 'POST',
    redirect: 'manual',
    headers: headersFor(jar, {
      'next-action': actionId,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: new URL(base).origin,
    }),
    body: JSON.stringify([arg]),
  });
  const body = await res.text();
  jar?.absorb(res);
  return {
    status: res.status,
    ms: performance.now() - started,
    value: parseActionResult(body),
    redirect: res.headers.get('x-action-redirect'),
  };
}

/** Signs in through the real sign-in action; a new cookie jar holding a fresh staff session. */
export async function signIn(
  base: string,
  signInActionId: string,
  email: string,
  password: string,
): Promise<CookieJar> {
  const jar = new CookieJar();
  for (let attempt = 0; ; attempt++) {
    const r = await callAction(base, '/sign-in', signInActionId, { email, password }, jar);
    if (jar.signedIn) return jar;
    const message = (r.value as { message?: string } | undefined)?.message ?? `HTTP ${r.status}`;
    if (attempt >= 2 || r.status < 500) throw new Error(`sign-in as ${email} failed: ${message}`);
    await sleep(500);
  }
}

/** Every `user_…` id linked from a page (the users search results link to each user's sessions). */
export function userIdsIn(html: string): string[] {
  return [...new Set([...html.matchAll(/\/sessions\?user_id=(user_[A-Za-z0-9]+)/g)].map((m) => m[1]!))];
}

/** Every session row id on a sessions list page. */
export function sessionIdsIn(html: string): string[] {
  return [...new Set([...html.matchAll(/data-session-id="(sess_[A-Za-z0-9]+)"/g)].map((m) => m[1]!))];
}
