import { describe, expect, it } from 'vitest';
import { csvField, neutralizeFormula, rowsToCsv, toCsv } from './csv';
import { readCsv } from '@/lib/testing/read-csv';

const parseCsv = readCsv;

describe('csvField', () => {
  it('quotes every field, so no separator (a comma, or `;` in many locales) can split one', () => {
    expect(csvField('Ada Lovelace')).toBe('"Ada Lovelace"');
    expect(csvField('London, UK')).toBe('"London, UK"');
    expect(csvField('Probe;=1+2;@SUM(1)')).toBe('"Probe;=1+2;@SUM(1)"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\ronly')).toBe('"cr\ronly"');
  });

  it('writes empty for null/undefined, ISO for dates, numbers as numbers', () => {
    expect(csvField(null)).toBe('""');
    expect(csvField(undefined)).toBe('""');
    expect(csvField(new Date(Date.UTC(2026, 4, 12, 10, 0, 0)))).toBe('"2026-05-12T10:00:00.000Z"');
    expect(csvField(new Date(NaN))).toBe('""');
    expect(csvField(-42)).toBe('"-42"');
    expect(csvField(Number.NaN)).toBe('""');
    expect(csvField(true)).toBe('"true"');
  });

  it.each([
    '=1+1',
    '+SUM(A1)',
    '-2+3',
    '@cmd',
    '\tx',
    '\r=x',
    '=HYPERLINK("http://evil","click")',
    '   =1+2',
    ' @SUM(1)',
    '\u00a0-1+2',
    '  \tx',
  ])('neutralises the formula %j so a spreadsheet shows it as text', (input) => {
    const out = parseCsv(`${csvField(input)}\r\n`)[0]![0]!;
    expect(out).toBe(`'${input}`);
  });

  it('does not touch text that merely contains a trigger character later on', () => {
    expect(neutralizeFormula('a=b')).toBe('a=b');
    expect(neutralizeFormula('user@example.com')).toBe('user@example.com');
    expect(neutralizeFormula('')).toBe('');
    expect(neutralizeFormula('  plain')).toBe('  plain');
    expect(neutralizeFormula('Probe;=1+2;@SUM(1)')).toBe('Probe;=1+2;@SUM(1)');
  });
});

describe('toCsv / rowsToCsv', () => {
  it('ends every record with CRLF and round-trips hostile values', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '\u202Egnp.exe',
      'x'.repeat(2000),
      'a,"b"\r\nc',
      '=cmd|"/c calc"!A1',
    ];
    const csv = toCsv(
      ['value', 'n'],
      hostile.map((v, i) => [v, i]),
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(csv);
    expect(parsed).toHaveLength(hostile.length + 1);
    expect(parsed[0]).toEqual(['value', 'n']);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(
      hostile.map((v) => (/^\s*[=+\-@\t\r]/.test(v) ? `'${v}` : v)),
    );
    expect(parsed.slice(1).map((r) => r[1])).toEqual(['0', '1', '2', '3', '4']);
  });

  it('prepends a BOM only when asked', () => {
    expect(toCsv(['a'], [['1']]).charCodeAt(0)).toBe('"'.charCodeAt(0));
    expect(toCsv(['a'], [['1']], { bom: true }).charCodeAt(0)).toBe(0xfeff);
  });

  it('builds records from column definitions', () => {
    const csv = rowsToCsv(
      [
        { header: 'id', value: (r: { id: string; n: number | null }) => r.id },
        { header: 'n', value: (r) => r.n },
      ],
      [
        { id: 'sess_1', n: 1 },
        { id: 'sess_2', n: null },
      ],
    );
    expect(csv).toBe('"id","n"\r\n"sess_1","1"\r\n"sess_2",""\r\n');
  });
});
