import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db';
import type { AuditAction } from '@/lib/audit';
import { readCsv } from '@/lib/testing/read-csv';

// The route's collaborators: who is signed in (switchable per test), the database (a temp SQLite file) and
// whether the audit write succeeds. Everything else (filters, the audit store, CSV) is the real code.
const h = vi.hoisted(() => {
  class StaffAccessError extends Error {
    constructor(readonly kind: 'unauthenticated' | 'forbidden') {
      super(kind);
    }
  }
  return {
    StaffAccessError,
    staff: null as null | {
      id: string;
      email: string;
      role: 'viewer' | 'support' | 'admin';
      provider: string;
      signedInAt: number;
    },
    db: null as Promise<Db> | null,
    failRecord: false,
    /** Every `beforeSeq` the route asked the store for, in order. */
    pages: [] as (number | null)[],
  };
});

vi.mock('@/lib/auth/require-staff', () => ({
  StaffAccessError: h.StaffAccessError,
  requireStaff: async (permission: string) => {
    if (!h.staff) throw new h.StaffAccessError('unauthenticated');
    if (permission === 'audit:read' && h.staff.role !== 'admin') throw new h.StaffAccessError('forbidden');
    return h.staff;
  },
}));
vi.mock('@/lib/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db')>()),
  getDb: () => h.db!,
}));
vi.mock('@/lib/request-context', () => ({
  getRequestContext: async () => ({ ip: '127.0.0.1', userAgent: 'vitest' }),
}));
vi.mock('@/lib/audit', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/audit')>();
  return {
    ...actual,
    auditLog: (db: Db, opts?: Parameters<typeof actual.auditLog>[1]) => {
      const real = actual.auditLog(db, opts);
      return {
        ...real,
        begin: (...a: Parameters<typeof real.begin>) =>
          h.failRecord ? Promise.reject(new Error('disk full')) : real.begin(...a),
        exportPage: (...a: Parameters<typeof real.exportPage>) => {
          h.pages.push(a[1]);
          return real.exportPage(...a);
        },
      };
    },
  };
});

const { GET } = await import('./route');
const { createDb } = await import('@/lib/db');
const { auditLog } = await import('@/lib/audit');

const ADMIN = {
  id: 'staff_admin',
  email: 'admin@example.com',
  role: 'admin' as const,
  provider: 'credentials',
  signedInAt: Date.now(),
};
const SUPPORT = { ...ADMIN, id: 'staff_support', email: 'support@example.com', role: 'support' as const };
let dir: string;
let db: Db;

async function seed(action: AuditAction, n: number, extra: { sessionId?: string; reason?: string } = {}) {
  const log = auditLog(db);
  for (let i = 0; i < n; i++) {
    await log.record({
      actor: { staffId: ADMIN.id, email: ADMIN.email, role: 'admin' },
      action,
      target: { sessionId: extra.sessionId ?? 'sess_seed' },
      details: { reason: extra.reason ?? `seed ${i}`, template: action === 'token.create' ? 'hasura' : null },
      ctx: { ip: null, userAgent: null },
      outcome: 'succeeded',
    });
  }
}

async function exportsRecorded() {
  return (await auditLog(db).list({ action: 'audit.export', limit: 100, offset: 0 })).rows;
}

function get(query = '', headers: Record<string, string> = {}) {
  return GET(new Request(`http://console.test/api/audit/export${query}`, { headers }));
}

function csvRows(text: string): string[] {
  return text.trim().split('\r\n').slice(1);
}

/** Lets the intent's outcome row (written as the stream closes) land before the test reads it. */
async function settled<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setImmediate(r));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h7-export-'));
  db = await createDb({ sqlitePath: path.join(dir, 'console.sqlite') });
  h.db = Promise.resolve(db);
  await seed('token.create', 3, { sessionId: 'sess_tokens', reason: '=HYPERLINK("http://evil")' });
  await seed('session.revoke', 2);
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  h.staff = ADMIN;
  h.failRecord = false;
  h.pages = [];
});

describe('GET /api/audit/export', () => {
  it('refuses an anonymous caller with 401 and no data', async () => {
    h.staff = null;
    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).not.toContain('token.create');
  });

  it('refuses support with 403', async () => {
    h.staff = SUPPORT;
    const res = await get();
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('sess_tokens');
  });

  it('refuses a viewer with 403 in plain text, before reading or recording anything', async () => {
    h.staff = { ...SUPPORT, id: 'staff_viewer', email: 'viewer@example.com', role: 'viewer' };
    const before = (await exportsRecorded()).length;
    const res = await get('?action=token.create');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('Your role does not allow exporting the audit log.\n');
    expect(h.pages).toEqual([]);
    expect(await exportsRecorded()).toHaveLength(before);
  });

  it('sends the filtered rows as a CSV attachment, never cached, and records the export', async () => {
    const before = (await exportsRecorded()).length;
    const res = await get('?action=token.create&target=sess_tokens');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-[0-9T-]+Z\.csv"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const rows = csvRows(text);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toContain('token.create');
    expect(text).not.toContain('session.revoke');
    // A formula in a reason is defused for spreadsheets.
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const recorded = await settled(exportsRecorded, (r) => r[0]?.outcome === 'succeeded');
    expect(recorded).toHaveLength(before + 1);
    expect(recorded[0]).toMatchObject({
      action: 'audit.export',
      outcome: 'succeeded',
      actor: { email: 'admin@example.com', role: 'admin' },
      target: { sessionId: 'sess_tokens' },
      details: { count: 3, filters: { action: 'token.create', target: 'sess_tokens' } },
    });
  });

  it('streams a large export by keyset pages: complete, in order, each row once', async () => {
    await seed('audit.reconcile', 1_234);
    const res = await get('?action=audit.reconcile');
    expect(res.status).toBe(200);
    // Nothing but the first page was read before the response was handed over.
    expect(h.pages).toEqual([null]);
    const records = readCsv(await res.text());
    const header = records[0]!;
    const rows = records.slice(1);
    expect(rows).toHaveLength(1_234);
    const reasons = rows.map((r) => r[header.indexOf('reason')]);
    // Newest first, no row twice, none missing.
    expect(reasons).toEqual(Array.from({ length: 1_234 }, (_, i) => `seed ${1_233 - i}`));
    expect(new Set(rows.map((r) => r[header.indexOf('id')])).size).toBe(1_234);
    // 500 rows a query, each page starting below the last seq of the one before.
    expect(h.pages).toHaveLength(3);
    expect(h.pages[1]).toBeGreaterThan(h.pages[2]!);
    const recorded = await settled(exportsRecorded, (r) => r[0]?.outcome === 'succeeded');
    expect(recorded[0]!.details).toMatchObject({ count: 1_234 });
  });

  it('stops reading when the download is abandoned, and records it as cut short', async () => {
    const res = await get('?action=audit.reconcile');
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^"at","action",/);
    await reader.cancel();
    // The header and at most one page were produced; the rest of the log was never read.
    expect(h.pages.length).toBeLessThanOrEqual(2);
    const recorded = await settled(exportsRecorded, (r) => r[0]?.outcome === 'failed');
    expect(recorded[0]).toMatchObject({ outcome: 'failed', code: 'aborted' });
    expect(Number(recorded[0]!.details.count)).toBeLessThan(1_234);
  });

  it('covers the last 30 days by default, and the days asked for otherwise', async () => {
    const old = auditLog(db, { now: () => new Date(Date.now() - 40 * 24 * 3600_000) });
    await old.record({
      actor: { staffId: ADMIN.id, email: ADMIN.email, role: 'admin' },
      action: 'session.revoke',
      target: { sessionId: 'sess_old' },
      details: { reason: 'forty days ago' },
      ctx: { ip: null, userAgent: null },
      outcome: 'succeeded',
    });
    const byDefault = await get('?action=session.revoke&target=sess_old');
    expect(csvRows(await byDefault.text())).toHaveLength(0);
    const from = new Date(byDefault.headers.get('x-export-from')!).getTime();
    const to = new Date(byDefault.headers.get('x-export-to')!).getTime();
    expect(to - from).toBe(30 * 24 * 3600_000);
    const day = new Date(Date.now() - 41 * 24 * 3600_000).toISOString().slice(0, 10);
    const asked = await get(`?action=session.revoke&target=sess_old&from=${day}`);
    expect(csvRows(await asked.text())).toHaveLength(1);
  });

  it('refuses a request another site made, before recording anything', async () => {
    const before = (await exportsRecorded()).length;
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { host: 'console.test', origin: 'https://evil.example' },
      { host: 'console.test', referer: 'https://evil.example/page' },
      { host: 'console.test', origin: 'null' },
    ];
    for (const headers of foreign) {
      const res = await get('?action=token.create', headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('Open this export from the console itself.\n');
    }
    expect(h.pages).toEqual([]);
    expect(await exportsRecorded()).toHaveLength(before);
  });

  it('sends the export to the console itself, a typed address and a same-host origin', async () => {
    const own: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      { host: 'console.test', origin: 'http://console.test' },
    ];
    for (const headers of own) {
      const res = await get('?action=token.create&target=sess_tokens', headers);
      expect(res.status).toBe(200);
      expect(csvRows(await res.text())).toHaveLength(3);
    }
  });

  it('refuses a malformed filter with 400, and records nothing', async () => {
    const before = (await exportsRecorded()).length;
    const res = await get('?target=../../etc/passwd&action=drop');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/not a session, user or client id/);
    expect(text).toMatch(/Unknown action/);
    expect(await exportsRecorded()).toHaveLength(before);
  });

  it('sends nothing when the export cannot be recorded', async () => {
    h.failRecord = true;
    const res = await get('?action=token.create');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).toMatch(/could not be recorded/);
    expect(text).not.toContain('sess_tokens');
    expect(res.headers.get('content-disposition')).toBeNull();
  });
});
