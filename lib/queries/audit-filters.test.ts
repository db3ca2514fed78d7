import { describe, expect, it } from 'vitest';
import {
  auditExportHref,
  auditPageHref,
  DEFAULT_AUDIT_PAGE_SIZE,
  isCalendarDay,
  parseAuditFilters,
  toAuditListQuery,
} from './audit-filters';

const parse = (qs: string) => parseAuditFilters(new URLSearchParams(qs));

describe('parseAuditFilters', () => {
  it('reads every filter from the URL', () => {
    const { filters, problems } = parse(
      'actor=admin@example.com&action=token.create&target=sess_abc123&outcome=unknown&reason_code=lost_device&ticket=SUP-12&from=2026-01-01&to=2026-01-31&limit=25&offset=50',
    );
    expect(problems).toEqual([]);
    expect(filters).toEqual({
      actor: 'admin@example.com',
      action: 'token.create',
      target: 'sess_abc123',
      outcome: 'unknown',
      reasonCode: 'lost_device',
      ticket: 'SUP-12',
      from: '2026-01-01',
      to: '2026-01-31',
      limit: 25,
      offset: 50,
    });
  });

  it('ignores a malformed reason code or a link-shaped ticket, and says so', () => {
    const { filters, problems } = parse('reason_code=DROP%20TABLE&ticket=https%3A%2F%2Fevil.example%2Fx');
    expect(filters).toMatchObject({ reasonCode: null, ticket: null });
    expect(problems).toHaveLength(2);
  });

  it('accepts the record form Next passes to pages (arrays take their first value)', () => {
    const { filters } = parseAuditFilters({ action: ['session.revoke', 'token.create'], outcome: undefined });
    expect(filters.action).toBe('session.revoke');
    expect(filters.outcome).toBeNull();
  });

  it('defaults to the first page of 50 with no filter', () => {
    const { filters, problems } = parse('');
    expect(problems).toEqual([]);
    expect(filters).toMatchObject({
      actor: null,
      action: null,
      target: null,
      outcome: null,
      from: null,
      to: null,
      limit: DEFAULT_AUDIT_PAGE_SIZE,
      offset: 0,
    });
  });

  it('ignores, and says so, an unknown action or outcome', () => {
    const { filters, problems } = parse('action=drop.table&outcome=maybe');
    expect(filters.action).toBeNull();
    expect(filters.outcome).toBeNull();
    expect(problems).toEqual([
      'Unknown action “drop.table” was ignored.',
      'Unknown outcome “maybe” was ignored.',
    ]);
  });

  it.each(['../etc/passwd', 'sess_abc/../x', 'sess_%2F', 'user_ a', 'org_123'])(
    'refuses target %j',
    (target) => {
      const { filters, problems } = parseAuditFilters(new URLSearchParams({ target }));
      expect(filters.target).toBeNull();
      expect(problems[0]).toMatch(/not a session, user or client id/);
    },
  );

  it.each(['user_2abc', 'client_9Z', 'sess_1'])('accepts target %s', (target) => {
    expect(parseAuditFilters(new URLSearchParams({ target })).filters.target).toBe(target);
  });

  it('rejects impossible or malformed dates', () => {
    const { filters, problems } = parse('from=2026-02-30&to=yesterday');
    expect(filters.from).toBeNull();
    expect(filters.to).toBeNull();
    expect(problems).toHaveLength(2);
  });

  it('drops a reversed date range rather than showing an empty log', () => {
    const { filters, problems } = parse('from=2026-03-02&to=2026-03-01');
    expect([filters.from, filters.to]).toEqual([null, null]);
    expect(problems).toEqual(['The “from” date is after the “to” date; both were ignored.']);
  });

  it('keeps paging within bounds', () => {
    expect(parse('limit=100000').filters.limit).toBe(DEFAULT_AUDIT_PAGE_SIZE);
    expect(parse('offset=-10').filters.offset).toBe(0);
    expect(parse('offset=1.5').filters.offset).toBe(0);
    expect(parse('offset=abc').filters.offset).toBe(0);
    expect(parse('limit=abc&offset=abc').problems).toHaveLength(2);
  });

  it('truncates a long bogus value in its message', () => {
    const { problems } = parse(`action=${'x'.repeat(5000)}`);
    expect(problems[0]!.length).toBeLessThan(100);
  });

  it('ignores an absurdly long actor', () => {
    expect(parse(`actor=${'a'.repeat(400)}`).filters.actor).toBeNull();
  });
});

describe('isCalendarDay', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-01-01T00:00', false],
  ])('%s → %s', (v, ok) => expect(isCalendarDay(v)).toBe(ok));
});

describe('toAuditListQuery', () => {
  it('turns days into UTC instants covering the whole "to" day', () => {
    const q = toAuditListQuery(parse('from=2026-01-01&to=2026-01-02&action=token.create').filters);
    expect(q.from?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(q.to?.toISOString()).toBe('2026-01-02T23:59:59.999Z');
    expect(q).toMatchObject({ action: 'token.create', limit: 50, offset: 0 });
    expect(q).not.toHaveProperty('actor');
  });
});

describe('links', () => {
  it('round-trips filters through the page URL', () => {
    const { filters } = parse('actor=a@b.c&outcome=failed&limit=25&offset=25');
    const href = auditPageHref(filters, { offset: 50 });
    expect(href).toBe('/audit?actor=a%40b.c&outcome=failed&limit=25&offset=50');
    expect(parse(href.split('?')[1]!).filters).toEqual({ ...filters, offset: 50 });
  });

  it('leaves defaults out', () => {
    expect(auditPageHref(parse('').filters)).toBe('/audit');
  });

  it('exports the same filters without paging', () => {
    const { filters } = parse('action=token.create&outcome=succeeded&limit=25&offset=25');
    expect(auditExportHref(filters)).toBe('/api/audit/export?action=token.create&outcome=succeeded');
  });
});
