// The jobs benchmark: one 5,000-session revocation job run by two runner processes sharing one PostgreSQL,
// against the embedded API's rate limit; one process is SIGKILLed half way and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '../../lib/db';
import { jobStore } from '../../lib/jobs/store';
import { apiClient, ROOT, startApi, startPostgresProcess } from '../../lib/testing/processes';
import { consoleBudgetCaps } from './console-budget';
import { benchActor } from './bench-staff';

const KEY = 'sk_test_BENCHJOBSbenchjobs0123456789xyz';

export interface JobsBenchResult {
  sessions: number;
  limit: number;
  windowSeconds: number;
  seconds: number;
  secondsBeforeKill: number;
  revokedBeforeKill: number;
  revoked: number;
  lost: number;
  revokedTwice: number;
  sentTwice: number;
  /** Every request the runners sent to the API during the job (listing, revokes, read-backs). */
  upstreamRequests: number;
  /** The most requests the API saw in any window of `windowSeconds`. */
  busiestWindow: number;
  /** The most the API saw in `windowSeconds` consecutive whole seconds, the way the budget counts. */
  busiestBuckets: number;
  allowedPerSecond: number;
  achievedPerSecond: number;
  achievedBeforeKillPerSecond: number;
}

function runnerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'scripts/job-runner.ts')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-3000)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('"ready":true')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`runner exited (${code}): ${err}`)));
  });
}

const killed = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

export async function benchJobs(o: {
  sessions: number;
  limit: number;
  windowSeconds: number;
  log: (l: string) => void;
}): Promise<JobsBenchResult | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-jobs-'));
  const pg = await startPostgresProcess();
  if (!pg.url) {
    o.log('jobs: no PostgreSQL on this machine, skipped');
    return null;
  }
  const children: ChildProcess[] = [];
  try {
    // Make the heavy user hold `sessions` active sessions, with no rate limit, then reopen the API with one.
    let api = await startApi({ dataDir: path.join(dir, 'api'), secretKey: KEY, rateLimit: 0, faults: true });
    let client = apiClient(api.url, KEY);
    const heavy = await client.userIdByEmail('heavy.user@example.com');
    const missing = o.sessions - (await client.sessionIds(heavy, 'active')).length;
    o.log(`jobs: creating ${missing} more active sessions for the heavy user…`);
    for (let i = 0; i < missing; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, missing - i) }, () =>
          client.call('/v1/sessions', { method: 'POST', body: JSON.stringify({ user_id: heavy }) }),
        ),
      );
    }
    await api.close();
    api = await startApi({
      dataDir: path.join(dir, 'api'),
      secretKey: KEY,
      rateLimit: o.limit,
      faults: true,
    });
    client = apiClient(api.url, KEY);
    const before = await client.sessionIds(heavy, 'active');
    const port = new URL(api.url).port;
    const env = (name: string) => ({
      NODE_ENV: 'production',
      DATABASE_URL: pg.url!,
      LOCAL_CLERK_PORT: port,
      LOCAL_CLERK_SECRET_KEY: KEY,
      AUTH_SECRET: 'bench-jobs-auth-secret-0123456789abcdef',
      DATA_DIR: path.join(dir, name),
      CONSOLE_INSTANCE_ID: name,
      JOBS_CONCURRENCY: '8',
      JOBS_LEASE_SECONDS: '10',
      CLERK_TIMEOUT_MS: '4000',
      JOBS_POLL_MS: '200',
      LOG_LEVEL: 'silent',
      // The runners' own request budget follows the API's limit, as a console's does.
      LOCAL_CLERK_RATE_LIMIT: String(o.limit),
    });
    const db = await createDb({ databaseUrl: pg.url });
    const store = jobStore(db);
    // Let the setup reads leave the rate-limit window, so the job starts with the full allowance.
    await sleep(o.windowSeconds * 1000 + 200);
    await client.clearRequests();
    const { id } = await store.create({
      idempotencyKey: crypto.randomUUID(),
      kind: 'users',
      scope: { userIds: [heavy] },
      reason: 'jobs benchmark (scripts/bench.ts)',
      actor: await benchActor(db, 'bench@example.com'),
      permission: 'sessions:revoke',
      sessions: [],
      expand: [{ kind: 'user', target: heavy }],
    });
    const started = performance.now();
    children.push(await runnerProcess(env('console-a')), await runnerProcess(env('console-b')));
    let revokedBeforeKill = 0;
    let secondsBeforeKill = 0;
    let killedAlready = false;
    let progress = { settled: -1, at: performance.now() };
    for (;;) {
      const job = await store.get(id);
      if (!job) throw new Error('job vanished');
      // A runner that cannot reach Clerk retries quietly for ever: say so instead of waiting with it.
      const settled = Object.values(job.counts).reduce((n, c) => n + c, 0) + job.total;
      if (settled !== progress.settled) progress = { settled, at: performance.now() };
      else if (performance.now() - progress.at > 60_000) {
        throw new Error(`jobs: no progress for 60 s (${JSON.stringify(job.counts)}, ${job.total} items)`);
      }
      if (!killedAlready && job.counts.revoked >= o.sessions / 2) {
        secondsBeforeKill = (performance.now() - started) / 1000;
        revokedBeforeKill = job.counts.revoked;
        o.log(
          `jobs: ${job.counts.revoked} revoked after ${secondsBeforeKill.toFixed(1)} s; SIGKILL console-a`,
        );
        children[0]!.kill('SIGKILL');
        await killed(children[0]!);
        children[0] = await runnerProcess(env('console-a'));
        killedAlready = true;
      }
      if (job.state !== 'running' && job.state !== 'queued') break;
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    const job = (await store.get(id))!;
    const sent = await client.requests();
    const after = new Set(await client.sessionIds(heavy, 'active'));
    const posts = sent.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/revoke'));
    const times = sent.requests.map((r) => r.at).sort((a, b) => a - b);
    let busiestWindow = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= o.windowSeconds * 1000) j++;
      busiestWindow = Math.max(busiestWindow, i - j + 1);
    }
    // The budget counts whole seconds: `windowSeconds` consecutive one-second buckets.
    const perSecond = new Map<number, number>();
    for (const t of times)
      perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    let busiestBuckets = 0;
    for (const start of perSecond.keys()) {
      let n = 0;
      for (let k = 0; k < o.windowSeconds; k++) n += perSecond.get(start + k) ?? 0;
      busiestBuckets = Math.max(busiestBuckets, n);
    }
    const perSession = new Map<string, number>();
    for (const r of posts) perSession.set(r.path, (perSession.get(r.path) ?? 0) + 1);
    await db.destroy();
    await api.close();
    return {
      sessions: before.length,
      limit: o.limit,
      windowSeconds: o.windowSeconds,
      seconds,
      secondsBeforeKill,
      revokedBeforeKill,
      revoked: job.counts.revoked,
      lost: before.filter((s) => after.has(s)).length + (before.length - job.total),
      // The embedded API refuses a second revoke, so "twice" shows up as an item credited twice or not at all.
      revokedTwice: job.counts.already_inactive,
      sentTwice: [...perSession.values()].filter((n) => n > 1).length,
      upstreamRequests: sent.count,
      busiestWindow,
      busiestBuckets,
      // Both runners draw on one budget (it is counted in their shared database).
      allowedPerSecond: consoleBudgetCaps(env('console-a'), KEY).bulk / o.windowSeconds,
      achievedPerSecond: job.counts.revoked / seconds,
      achievedBeforeKillPerSecond: revokedBeforeKill / Math.max(0.001, secondsBeforeKill),
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
