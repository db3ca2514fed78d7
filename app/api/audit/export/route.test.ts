import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db';
import type { AuditAction } from '@/lib/audit';

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
        record: (...a: Parameters<typeof real.record>) =>
          h.failRecord ? Promise.reject(new Error('disk full')) : real.record(...a),
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

function get(query = '') {
  return GET(new Request(`http://console.test/api/audit/export${query}`));
}

function csvRows(text: string): string[] {
  return text.trim().split('\r\n').slice(1);
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

    const recorded = await exportsRecorded();
    expect(recorded).toHaveLength(before + 1);
    expect(recorded[0]).toMatchObject({
      action: 'audit.export',
      outcome: 'succeeded',
      actor: { email: 'admin@example.com', role: 'admin' },
      target: { sessionId: 'sess_tokens' },
      details: { count: 3, truncated: false, filters: { action: 'token.create', target: 'sess_tokens' } },
    });
  });

  it('pages through the store beyond one page', async () => {
    await seed('audit.reconcile', 520);
    const res = await get('?action=audit.reconcile');
    expect(res.status).toBe(200);
    expect(csvRows(await res.text())).toHaveLength(520);
    expect(res.headers.get('x-export-rows')).toBe('520');
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
