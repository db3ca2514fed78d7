/**
 * `npm run bench:risk-baseline` (tsx --conditions=react-server): what the sessions page's risk read costs for the
 * 5,000-session user and a 5-session one: from Clerk (the newest 500 sessions), recomputed over the whole indexed
 * history (the previous index read), and from the signals stored as the sessions arrived (the read now). Not a
 * test; prints figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalClerk } from '../lib/local-clerk/server';
import { SEED_FIXTURES } from '../lib/local-clerk/seed';
import { clearConsoleEnv } from '../lib/testing/console-env';
import type { SessionJson } from '../lib/local-clerk/types';
import { summarize } from './bench/stats';

const RUNS = Number(process.env.RUNS ?? 40);

const toJson = (s: import('../lib/clerk/dto').SessionDto): SessionJson =>
  ({
    id: s.id,
    user_id: s.userId,
    client_id: s.clientId,
    status: s.status,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    last_active_at: s.lastActiveAt,
    expire_at: s.expireAt,
    actor: s.actor,
    latest_activity: s.latestActivity && {
      ip_address: s.latestActivity.ipAddress,
      city: s.latestActivity.city,
      country: s.latestActivity.country,
      device_type: s.latestActivity.deviceType,
      browser_name: s.latestActivity.browserName,
      browser_version: s.latestActivity.browserVersion,
      is_mobile: s.latestActivity.isMobile,
    },
  }) as unknown as SessionJson;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
  const api = await startLocalClerk({ port: 0, rateLimit: 0, quiet: true, faults: true, dataDir });
  clearConsoleEnv(process.env);
  Object.assign(process.env, {
    DATA_DIR: path.join(dataDir, 'console'),
    LOCAL_CLERK_PORT: new URL(api.url).port,
    LOCAL_CLERK_SECRET_KEY: api.secretKey,
    LOCAL_CLERK_RATE_LIMIT: '0',
    CLERK_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'error',
  });
  (await import('../lib/clerk/upstream-fetch')).installUpstreamFetch();
  const { getDb, closeDb } = await import('../lib/db');
  const { findUsers, listSessions } = await import('../lib/clerk');
  const { getUserRisk } = await import('../lib/risk/server');
  const { getGeoIndex } = await import('../lib/risk/geo-data');
  const { sessionIndex } = await import('../lib/session-index/store');
  const { signalsFromEvents, signalsOfWholeHistory } = await import('../lib/risk/index-risk');
  const requests = async () =>
    (
      (await (
        await fetch(`${api.url}/__faults/requests`, { headers: { authorization: `Bearer ${api.secretKey}` } })
      ).json()) as { count: number }
    ).count;
  try {
    const db = await getDb();
    const idOf = async (email: string) => (await findUsers(email, { limit: 1, offset: 0 })).data[0]!.id;
    const users = { heavy: await idOf(SEED_FIXTURES.heavy), light: await idOf(SEED_FIXTURES.fiveSessions) };

    const geo = await getGeoIndex();
    const reads = {
      page: async (userId: string) => (await getUserRisk(userId)).signals.length,
      whole: async (userId: string) =>
        (await signalsOfWholeHistory(db, userId, { now: Date.now(), geo })).length,
    };
    const time = async (userId: string, read: (id: string) => Promise<number>) => {
      const samples: number[] = [];
      const before = await requests();
      let signals = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        signals = await read(userId);
        samples.push(performance.now() - t);
      }
      return { ...summarize(samples), signals, clerkPerRead: ((await requests()) - before) / RUNS };
    };
    const report = async (label: string, read = reads.page) => {
      const p50: Record<string, number> = {};
      for (const [name, id] of Object.entries(users)) {
        const r = await time(id, read);
        p50[name] = r.p50;
        console.log(
          `${label} ${name}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.clerkPerRead} Clerk requests per read, ${r.signals} signals (${r.count} runs)`,
        );
      }
      console.log(
        `${label} heavy / light p50: ${((p50.heavy ?? 0) / Math.max(p50.light ?? 1, 0.001)).toFixed(1)}×`,
      );
    };

    await report('before (Clerk, newest 500):');
    const index = sessionIndex(db);
    for (const userId of Object.values(users)) {
      for (let offset = 0; ; offset += 100) {
        const listed = await listSessions({ userId, status: 'all', limit: 100, offset });
        const page = { data: listed.data.map(toJson) };
        const written = await index.upsert(
          page.data.map((s) => ({
            sessionId: s.id,
            userId: s.user_id,
            clientId: s.client_id,
            status: s.status,
            createdAt: s.created_at,
            updatedAt: s.updated_at,
            lastActiveAt: s.last_active_at,
            expireAt: s.expire_at,
            ip: s.latest_activity?.ip_address ?? null,
            city: s.latest_activity?.city ?? null,
            country: s.latest_activity?.country ?? null,
            deviceType: s.latest_activity?.device_type ?? null,
            browserName: s.latest_activity?.browser_name ?? null,
            browserVersion: s.latest_activity?.browser_version ?? null,
            isMobile: s.latest_activity?.is_mobile ?? null,
            actor: s.actor ? JSON.stringify(s.actor) : null,
            userName: null,
            userEmail: null,
          })),
          { source: 'backfill' },
        );
        await signalsFromEvents(db, written, { now: Date.now(), geo });
        if (page.data.length < 100) break;
      }
    }
    await index.saveBackfill({
      startedAt: Date.now(),
      finishedAt: Date.now(),
      users: 2,
      sessions: 0,
      cursor: null,
    });
    await report('index, recomputed over the whole history (before this change):', reads.whole);
    await report('index, the signals stored on arrival (after):');
  } finally {
    await closeDb();
    await api.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
