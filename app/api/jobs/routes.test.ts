import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db';
import { can, type Permission, type Role } from '@/lib/vocabulary';
import { readCsv } from '@/lib/testing/read-csv';

// The routes' collaborators: who is signed in (switchable per test; the role table decides) and the database
// (a temp SQLite file). The job store, the wrapper and the CSV are the real code.
const h = vi.hoisted(() => {
  class StaffAccessError extends Error {
    constructor(readonly kind: 'unauthenticated' | 'forbidden') {
      super(kind);
    }
  }
  return {
    StaffAccessError,
    role: null as null | Role,
    wheres: [] as string[],
    db: null as Promise<Db> | null,
  };
});

vi.mock('@/lib/auth/require-staff', () => ({
  StaffAccessError: h.StaffAccessError,
  requireStaff: async (permission: Permission | null, where: string) => {
    h.wheres.push(where);
    if (!h.role) throw new h.StaffAccessError('unauthenticated');
    if (permission && !can(h.role, permission)) throw new h.StaffAccessError('forbidden');
    return { id: `staff_${h.role}`, email: `${h.role}@example.com`, role: h.role, provider: 'password' };
  },
}));
vi.mock('@/lib/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db')>()),
  getDb: () => h.db!,
}));

const list = await import('./route');
const one = await import('./[jobId]/route');
const exp = await import('./[jobId]/export/route');
const { createDb } = await import('@/lib/db');
const { jobStore } = await import('@/lib/jobs');
const { addStaff, sessionsJob } = await import('@/lib/testing/fake-runner-clerk');

const MISSING = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
let dir: string;
let db: Db;
let jobId: string;

const url = (p: string) => `http://console.test${p}`;
const withId = (id: string) => ({ params: Promise.resolve({ jobId: id }) });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-routes-'));
  db = await createDb({ sqlitePath: path.join(dir, 'console.sqlite') });
  h.db = Promise.resolve(db);
  const member = await addStaff(db, 'support');
  const sessions = Array.from({ length: 3 }, (_, i) => `sess_route_${i}`);
  ({ id: jobId } = await jobStore(db).create(sessionsJob(sessions, undefined, member)));
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  h.role = 'viewer';
  h.wheres = [];
});

describe('the jobs routes', () => {
  it('let a viewer (the lowest role) read the list, the running count and one job', async () => {
    const all = await list.GET(new Request(url('/api/jobs?unrelated=1')));
    expect(all.status).toBe(200);
    expect(all.headers.get('cache-control')).toBe('no-store');
    const body = (await all.json()) as { jobs: { id: string }[]; fetchedAt: number };
    expect(body.jobs.map((j) => j.id)).toContain(jobId);

    const running = await list.GET(new Request(url('/api/jobs?running=1')));
    expect(Object.keys(await running.json()).sort()).toEqual(['fetchedAt', 'running']);

    const job = await one.GET(new Request(url(`/api/jobs/${jobId}?limit=2`)), withId(jobId));
    expect(job.status).toBe(200);
    const detail = (await job.json()) as { job: { id: string }; items: { rows: unknown[]; next: number } };
    expect(detail.job.id).toBe(jobId);
    expect(detail.items.rows).toHaveLength(2);
    expect(detail.items.next).not.toBeNull();
    expect(h.wheres).toEqual(['api:/api/jobs', 'api:/api/jobs', 'api:/api/jobs/[jobId]']);
  });

  it('refuse an anonymous caller with 401 and `{ error }`, audited under each route’s own name', async () => {
    h.role = null;
    const answers = [
      await list.GET(new Request(url('/api/jobs'))),
      await one.GET(new Request(url(`/api/jobs/${jobId}`)), withId(jobId)),
      await exp.GET(new Request(url(`/api/jobs/${jobId}/export`)), withId(jobId)),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: 'Sign in to the console first.' });
    }
    expect(h.wheres).toEqual(['api:/api/jobs', 'api:/api/jobs/[jobId]', 'api:/api/jobs/[jobId]/export']);
  });

  it('answer a malformed or unknown id with 404 "No job has that id."', async () => {
    for (const id of ['../../etc/passwd', 'job_1', MISSING]) {
      for (const res of [
        await one.GET(new Request(url(`/api/jobs/${encodeURIComponent(id)}`)), withId(id)),
        await exp.GET(new Request(url(`/api/jobs/${encodeURIComponent(id)}/export`)), withId(id)),
      ]) {
        expect(res.status, id).toBe(404);
        expect(await res.json()).toEqual({ error: 'No job has that id.' });
      }
    }
  });

  it('answer bad paging or filter values with 400 and one plain message', async () => {
    for (const q of ['?limit=5000', '?outcome=bogus', '?after=-1', '?extra=1']) {
      const res = await one.GET(new Request(url(`/api/jobs/${jobId}${q}`)), withId(jobId));
      expect(res.status, q).toBe(400);
      expect(await res.json()).toEqual({ error: 'Check the outcome filter and the paging values.' });
    }
  });

  it('stream the job’s items as CSV to the console itself, and refuse another site first', async () => {
    h.role = null;
    const foreign = await exp.GET(
      new Request(url(`/api/jobs/${jobId}/export`), { headers: { 'sec-fetch-site': 'cross-site' } }),
      withId(jobId),
    );
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toBe('Open this export from the console itself.\n');
    expect(h.wheres).toEqual([]);

    h.role = 'viewer';
    const res = await exp.GET(
      new Request(url(`/api/jobs/${jobId}/export`), { headers: { 'sec-fetch-site': 'same-origin' } }),
      withId(jobId),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="job-${jobId}.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rows = readCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows[0]![0]).toBe('job_id');
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['sess_route_0', 'sess_route_1', 'sess_route_2']);
  });

  it('answer a database failure with 503 and a reference, never the error', async () => {
    h.db = Promise.reject(new Error('SQLITE_CANTOPEN: /var/lib/console/console.sqlite'));
    h.db.catch(() => {});
    try {
      const res = await list.GET(new Request(url('/api/jobs')));
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/^Jobs could not be read\. Reference [0-9a-f-]{36}\.$/);
      expect(JSON.stringify(body)).not.toMatch(/SQLITE|sqlite/);
    } finally {
      h.db = Promise.resolve(db);
    }
  });
});
