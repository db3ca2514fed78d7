import { describe, expect, it } from 'vitest';
import { SESSION_CSV_COLUMNS, sessionsCsvFilename, sessionsToCsv } from './sessions-csv';
import { readCsv } from '@/lib/testing/read-csv';
import type { SessionDto } from '@/lib/clerk/dto';

const activity = {
  deviceType: 'Macintosh',
  browserName: 'Chrome',
  browserVersion: '126.0',
  isMobile: false,
  ipAddress: '203.0.113.7',
  city: 'London',
  country: 'GB',
};
const session = (over: Partial<SessionDto> = {}): SessionDto => ({
  id: 'sess_1',
  userId: 'user_1',
  clientId: 'client_1',
  status: 'active',
  lastActiveAt: Date.UTC(2026, 4, 12, 10),
  expireAt: Date.UTC(2026, 4, 19, 10),
  abandonAt: Date.UTC(2026, 5, 12, 10),
  createdAt: Date.UTC(2026, 4, 1, 10),
  updatedAt: Date.UTC(2026, 4, 12, 10),
  lastActiveOrganizationId: null,
  actor: null,
  latestActivity: activity,
  ...over,
});

describe('sessions CSV', () => {
  it('exports exactly the rows given, one column per field, hostile text inert', () => {
    const hostile = session({
      id: 'sess_2',
      latestActivity: { ...activity, browserName: '=HYPERLINK("http://x")', city: 'javascript:alert(3)' },
      actor: { sub: 'user_adm', iss: null },
    });
    const csv = sessionsToCsv([session(), hostile]);
    expect(csv.startsWith('\uFEFF"session_id","status",')).toBe(true);
    const rows = readCsv(csv);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(SESSION_CSV_COLUMNS.map((c) => c.header));
    expect(rows[1]).toEqual([
      'sess_1',
      'active',
      'user_1',
      'client_1',
      'Macintosh',
      'Chrome',
      '126.0',
      'false',
      '203.0.113.7',
      'London',
      'GB',
      '2026-05-12T10:00:00.000Z',
      '2026-05-01T10:00:00.000Z',
      '2026-05-19T10:00:00.000Z',
      '',
    ]);
    // Every field quoted, so a `;`-separated spreadsheet can't split one into a formula cell either.
    for (const line of csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n'))
      expect(line).toMatch(/^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/);
    expect(rows[2]).toContain(`'=HYPERLINK("http://x")`);
    expect(rows[2]).toContain('javascript:alert(3)');
    expect(rows[2]!.at(-1)).toBe('user_adm');
  });

  it('builds a filename from id characters only', () => {
    expect(sessionsCsvFilename('user_abc', 'active', 2, Date.UTC(2026, 4, 12, 10, 4))).toBe(
      'sessions-user_abc-active-p2-20260512T1004Z.csv',
    );
    expect(sessionsCsvFilename('../../etc/passwd', 'a l l', 1, 0)).toMatch(
      /^sessions-etcpasswd-all-p1-[0-9T]+Z\.csv$/,
    );
  });
});
