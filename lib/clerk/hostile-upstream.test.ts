import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import {
  ConsoleApiError,
  CONSOLE_ERROR_MESSAGES as M,
  createConsoleClerkClient,
  getSession,
  listSessions,
  revokeSession,
} from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';

// A Backend API that fights back, on loopback, with the console in remote mode (a live key): every case must
// end in one of the console's fixed sentences, with nothing of the upstream body, no stack, nothing followed.

const SESSION = 'sess_2abcdefghijklmnopqrstuvwxyz1';
const KEY = `sk_live_${'h'.repeat(40)}`;
const TIMEOUT_MS = 600;
const BODY_MARKER = 'UPSTREAM-BODY-CANARY';

type Mode = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface Server {
  url: string;
  requests: number;
  sockets: Set<Socket>;
  /** Sockets the server saw closed (by the client aborting, or normally). */
  closed: number;
  mode: Mode;
  close(): Promise<void>;
}

async function start(mode: Mode): Promise<Server> {
  const state = { requests: 0, closed: 0, sockets: new Set<Socket>(), mode };
  const server = http.createServer((req, res) => {
    state.requests++;
    state.mode(req, res);
  });
  server.on('connection', (s) => {
    state.sockets.add(s);
    s.on('close', () => state.closed++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of state.sockets) s.destroy();
        server.close(() => r());
      }),
  });
}

const sessionJson = () =>
  JSON.stringify({
    object: 'session',
    id: SESSION,
    user_id: 'user_2abcdefghijklmnopqrstuvwxyz1',
    client_id: 'client_2abcdefghijklmnopqrstuvwxyz1',
    status: 'active',
    last_active_at: 1,
    expire_at: 2,
    abandon_at: 3,
    created_at: 1,
    updated_at: 1,
  });

let upstream: Server;
let trap: Server;
let client: ReturnType<typeof createConsoleClerkClient>;

beforeAll(async () => {
  trap = await start((_req, res) => res.end('trapped'));
  upstream = await start((_req, res) => res.end());
  const env = loadEnv({
    CLERK_SECRET_KEY: KEY,
    AUTH_SECRET: 'x'.repeat(40),
    AUTH_URL: 'https://console.example.com',
    CLERK_API_URL: upstream.url,
    CONSOLE_ALLOW_LOOPBACK_API: '1',
    DATA_DIR: '/tmp/console-hostile-unused',
  });
  expect(env.mode).toBe('remote');
  client = createConsoleClerkClient(env);
  setClerkClientForTests(client);
});
afterAll(async () => {
  setClerkClientForTests(null);
  await upstream.close();
  await trap.close();
});
afterEach(() => {
  upstream.requests = 0;
  setClerkClientForTests(client);
});

async function failure(call: () => Promise<unknown>): Promise<ConsoleApiError> {
  const e = await call().then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConsoleApiError);
  const err = e as ConsoleApiError;
  expect(err.message).toBe(err.userMessage);
  for (const leaked of [BODY_MARKER, 'trapped', '<html', 'Error:', '    at ', KEY]) {
    expect(err.userMessage).not.toContain(leaked);
  }
  return err;
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('a hostile Backend API', () => {
  it('a 302 to another server: nothing is followed, the trap sees no request', async () => {
    upstream.mode = (_req, res) => {
      res.writeHead(302, { location: `${trap.url}/v1/sessions/${SESSION}` }).end();
    };
    const read = await failure(() => getSession(SESSION));
    expect(read.userMessage).toBe(M.unavailable);
    // A write that meets a redirect was not followed either; whether the redirecting host acted is unknown.
    const write = await failure(() => revokeSession(SESSION));
    expect(write.outcomeUnknown).toBe(true);
    // Same-origin redirects are refused too: they would carry the Bearer key to another path.
    upstream.mode = (req, res) => {
      if (req.url?.startsWith('/moved')) return res.end(sessionJson());
      res.writeHead(307, { location: '/moved' }).end();
    };
    await failure(() => getSession(SESSION));
    expect(trap.requests).toBe(0);
    expect(upstream.requests).toBe(3); // each call once: a refused redirect is not retried
  });

  it.each([
    ['declared', true],
    ['chunked', false],
  ])('a 20 MB body (%s) is cut off with a plain error', async (_label, declared) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    upstream.mode = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': String(20 * 1024 * 1024) } : {}),
      });
      const pump = () => {
        while (written < 20 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (written = Infinity));
      pump();
    };
    const closedBefore = upstream.closed;
    // Streaming 4 MB can take long on a busy machine: the cap, not the clock, must end it.
    setClerkClientForTests(client, { timeoutMs: 30_000 });
    const err = await failure(() => getSession(SESSION));
    expect(err.userMessage).toBe(M.tooLarge);
    expect(upstream.requests).toBe(1); // not retried: the answer was refused, not lost
    await until(() => upstream.closed > closedBefore);
  });

  it('a response that never ends is aborted at the deadline and its socket closed', async () => {
    const open: http.ServerResponse[] = [];
    upstream.mode = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"object":"session",');
      open.push(res);
    };
    const closedBefore = upstream.closed;
    setClerkClientForTests(client, { timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    const err = await failure(() => getSession(SESSION));
    expect(err.userMessage).toBe(M.timedOut);
    // Without the deadline this call would wait for ever; with it, it ends long before the 5 s margin.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5000);
    // The client hung up: the server sees the socket close without ever ending the response itself.
    await until(() => upstream.closed > closedBefore);
    expect(open.every((r) => !r.writableEnded)).toBe(true);
  });

  it('truncated JSON is a plain "unavailable", not a parse error', async () => {
    upstream.mode = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"object":"session","id":"${BODY_MARKER}`);
    };
    const err = await failure(() => getSession(SESSION));
    expect(err.userMessage).toBe(M.unavailable);
  });

  it('an HTML 500 with a stack trace in it shows none of it', async () => {
    upstream.mode = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(
        `<html><body><pre>${BODY_MARKER}\nError: boom\n    at handler (/srv/app.js:1:1)</pre></body></html>`,
      );
    };
    const err = await failure(() =>
      listSessions({ userId: 'user_2abcdefghijklmnopqrstuvwxyz1', status: 'all', limit: 10, offset: 0 }),
    );
    expect(err.userMessage).toBe(M.unavailable);
    expect(err.status).toBe(500);
  });

  it('reuses one keep-alive connection for consecutive calls', async () => {
    const used = new Set<Socket>();
    upstream.mode = (req, res) => {
      used.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(sessionJson());
    };
    for (let i = 0; i < 10; i++) expect((await getSession(SESSION)).id).toBe(SESSION);
    expect(upstream.requests).toBe(10);
    // undici opens a second socket while the first is being handed back after the first answer (plain fetch
    // does the same); after that, calls reuse what is open.
    expect(used.size).toBeLessThanOrEqual(2);
  });
});
