// All fields quoted (`;`-separator spreadsheets), formula-like text prefixed with `'` (OWASP CSV injection).
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

const FORMULA_START = /^\s*[=+\-@\t\r]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvField(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? '' : value.toISOString();
  else text = neutralizeFormula(value);
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

// `bom` prepends U+FEFF so Excel reads UTF-8.
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
  opts: { bom?: boolean } = {},
): string {
  return `${opts.bom ? '\uFEFF' : ''}${csvRecord(header)}${rows.map(csvRecord).join('')}`;
}

export interface CsvColumn<T> {
  header: string;
  value(row: T): CsvValue;
}

export function rowsToCsv<T>(
  columns: readonly CsvColumn<T>[],
  rows: readonly T[],
  opts: { bom?: boolean } = {},
): string {
  return toCsv(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.value(r))),
    opts,
  );
}
