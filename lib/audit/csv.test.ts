import { describe, expect, it } from 'vitest';
import { auditToCsv, type AuditEntry } from '@/lib/audit';
import { readCsv } from '@/lib/testing/read-csv';

function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'e1',
    at: new Date('2026-05-01T10:00:00.000Z'),
    resolvedAt: new Date('2026-05-01T10:00:01.500Z'),
    actor: { staffId: 'staff_1', email: 'ada@example.com', role: 'support' },
    action: 'session.revoke',
    target: { sessionId: 'sess_1', userId: 'user_1', clientId: null },
    details: { reason: 'asked by user' },
    ctx: { ip: '203.0.113.5', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
    outcome: 'succeeded',
    code: null,
    traceId: 'trace_1',
    reconciledBy: null,
    ...over,
  };
}

const parse = readCsv;

describe('auditToCsv', () => {
  it('writes a header and one CRLF record per entry, in UTC', () => {
    const csv = auditToCsv([
      entry(),
      entry({ id: 'e2', outcome: 'pending', resolvedAt: null, traceId: null }),
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, first, second] = parse(csv);
    const col = (name: string) => header!.indexOf(name);
    expect(header).toEqual(
      expect.arrayContaining([
        'at',
        'action',
        'outcome',
        'actor_email',
        'session_id',
        'reason',
        'ip',
        'user_agent',
        'trace_id',
        'id',
      ]),
    );
    expect(first![col('at')]).toBe('2026-05-01T10:00:00.000Z');
    expect(first![col('reason')]).toBe('asked by user');
    expect(first![col('user_agent')]).toBe('Mozilla/5.0 (X11; Linux x86_64)');
    expect(second![col('outcome')]).toBe('pending');
    expect(second![col('resolved_at')]).toBe('');
  });

  it('quotes commas, quotes and line breaks so a reason cannot add columns or rows', () => {
    const reason = 'fraud, "urgent"\r\nsecond line,=1+1';
    const csv = auditToCsv([entry({ details: { reason } })]);
    const rows = parse(csv);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveLength(rows[0]!.length);
    expect(rows[1]![rows[0]!.indexOf('reason')]).toBe(reason);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
    for (const value of hostile) {
      const rows = parse(
        auditToCsv([
          entry({
            details: { reason: value },
            ctx: { ip: null, userAgent: value },
            actor: { staffId: null, email: value, role: null },
          }),
        ]),
      );
      const [header, row] = rows;
      for (const name of ['reason', 'user_agent', 'actor_email'])
        expect(row![header!.indexOf(name)]).toBe(`'${value}`);
    }
  });

  it('keeps other details as JSON and leaves numbers as numbers', () => {
    const [header, row] = parse(
      auditToCsv([entry({ action: 'audit.export', details: { count: -3, permission: 'x' } })]),
    );
    expect(row![header!.indexOf('count')]).toBe('-3');
    expect(JSON.parse(row![header!.indexOf('other_details')]!)).toEqual({ permission: 'x' });
  });
});
