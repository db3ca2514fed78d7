// Reason codes and tickets in the audit store on both engines: indexed columns the list and the export filter by,
// copied from the details only when they have the vocabulary's shape, and two CSV columns (formula-guarded).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, auditToCsv } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { readCsv } from '@/lib/testing/read-csv';

const pg = postgresForThisFile();
const ADA = { staffId: 'staff_ada', email: 'ada@console.example', role: 'support' as const };
const CTX = { ip: '203.0.113.5', userAgent: 'vitest' };

describe.each(TEST_ENGINES)('reason codes in the audit log on %s', (engine) => {
  let db: Db;
  const revoke = async (sessionId: string, details: Record<string, unknown>) => {
    const intent = await auditLog(db).begin({
      actor: ADA,
      action: 'session.revoke',
      target: { sessionId, userId: 'user_1' },
      details: { reason: 'asked by user', ...details },
      ctx: CTX,
    });
    await intent.succeeded({ details: { status: 'revoked' } });
  };

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    db = await openTestDb(engine, pg.server);
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  it('stores the code and ticket as columns and filters the list and the export by them', async () => {
    await revoke('sess_a', { reasonCode: 'lost_device', ticket: 'SUP-1' });
    await revoke('sess_b', { reasonCode: 'suspected_compromise', ticket: 'SUP-2' });
    await revoke('sess_c', { reasonCode: 'lost_device' });
    const rows = await db
      .selectFrom('audit_log')
      .select(['session_id', 'kind', 'reason_code', 'ticket'])
      .execute();
    expect(rows.filter((r) => r.kind === 'intent')).toEqual(
      expect.arrayContaining([
        { session_id: 'sess_a', kind: 'intent', reason_code: 'lost_device', ticket: 'SUP-1' },
        { session_id: 'sess_c', kind: 'intent', reason_code: 'lost_device', ticket: null },
      ]),
    );
    const log = auditLog(db);
    const lost = await log.list({ reasonCode: 'lost_device', limit: 10, offset: 0 });
    expect(lost.rows.map((r) => r.target.sessionId).sort()).toEqual(['sess_a', 'sess_c']);
    expect(lost.total).toBe(2);
    const byTicket = await log.list({ ticket: 'SUP-2', limit: 10, offset: 0 });
    expect(byTicket.rows.map((r) => [r.target.sessionId, r.outcome])).toEqual([['sess_b', 'succeeded']]);
    const day = new Date();
    const page = await log.exportPage(
      {
        reasonCode: 'lost_device',
        from: new Date(day.getTime() - 86_400_000),
        to: new Date(day.getTime() + 60_000),
      },
      null,
    );
    expect(page.rows.map((r) => r.target.sessionId).sort()).toEqual(['sess_a', 'sess_c']);
  });

  it('keeps a code or ticket of the wrong shape out of the columns', async () => {
    await revoke('sess_d', { reasonCode: 'Not A Code; drop', ticket: 'https://evil.example/x' });
    const row = await db
      .selectFrom('audit_log')
      .select(['reason_code', 'ticket'])
      .where('session_id', '=', 'sess_d')
      .where('kind', '=', 'intent')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ reason_code: null, ticket: null });
  });

  it('exports reason_code and ticket as their own CSV columns', async () => {
    await revoke('sess_e', { reasonCode: 'policy', ticket: 'SUP-9' });
    const { rows } = await auditLog(db).list({ limit: 10, offset: 0 });
    const [header, first] = readCsv(auditToCsv(rows));
    expect(first![header!.indexOf('reason_code')]).toBe('policy');
    expect(first![header!.indexOf('ticket')]).toBe('SUP-9');
    expect(first![header!.indexOf('other_details')]).not.toContain('SUP-9');
  });
});
