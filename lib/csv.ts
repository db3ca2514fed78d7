/**
 * CSV writing (RFC 4180) with a spreadsheet formula-injection guard. Pure: used in the browser (sessions export)
 * and on the server (audit export).
 *
 * - Every field is quoted, quotes doubled, records end in CRLF. A spreadsheet set to another separator (`;` in
 *   much of Europe) would otherwise split an unquoted `Probe;=1+2` into a second cell that starts with `=`.
 * - A text cell that a spreadsheet would evaluate (it starts with =, +, -, @, a tab or a carriage return, after
 *   any leading spaces, per OWASP's CSV-injection guidance) is prefixed with a single quote, so an upstream name
 *   like `=HYPERLINK("http://evil","x")` arrives as text. Real numbers are written as numbers, unguarded.
 */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

const FORMULA_START = /^\s*[=+\-@\t\r]/;

/** A text value made inert for spreadsheets. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, escaped and quoted. */
export function csvField(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? '' : value.toISOString();
  else text = neutralizeFormula(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** One record with its CRLF: for writing a document a page at a time. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole document: a header record then one record per row. `bom` prepends U+FEFF so Excel reads UTF-8. */
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

/** A document from typed rows and column definitions. */
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
