/**
 * CSV text (RFC 4180) from rows of cells, and the sweep results table as such rows. Pure: the
 * download itself is lib/download.ts.
 */
import type { CellValue, Column, ResultRow } from './sweep-rows';

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection); a text
 * cell that does gets a leading apostrophe, which they show as text. Numbers are left alone:
 * a forget-gate bias of -1 must stay a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: quoted when it holds a comma, quote or line break, with quotes doubled. */
export function csvCell(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: CRLF between records (RFC 4180), and one after the last. */
export function toCsv(records: readonly (readonly (CellValue | undefined)[])[]): string {
  return records.map((record) => record.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The results table as CSV records, the rows as shown (filtered and sorted): a header, then
 * raw values at full precision (fractions 0–1, milliseconds), the run ids last. A percent column
 * of configuration rows comes as its mean and, beside it, its standard deviation.
 */
export function resultRecords(columns: readonly Column[], rows: readonly ResultRow[], isGrouped: boolean): CellValue[][] {
  const header = columns.flatMap((column): string[] => {
    if (column.kind === 'percent') return isGrouped ? [`${column.id} mean`, `${column.id} std`] : [column.id];
    if (column.kind === 'iterations') return ['iterations', 'totalIterations'];
    return [column.id];
  });
  const body = rows.map((row) => [
    ...columns.flatMap((column): CellValue[] => {
      if (column.kind === 'percent') return isGrouped ? [row.values[column.id], row.std[column.id] ?? null] : [row.values[column.id]];
      if (column.kind === 'iterations') return [row.values.iterations, row.values.totalIterations];
      return [row.values[column.id] ?? null];
    }),
    row.runIds.join(' '),
  ]);
  return [[...header, isGrouped ? 'runIds' : 'runId'], ...body];
}

/** A file name from a sweep's name: letters, digits, "-" and "_" only, so every system accepts it. */
export function csvFileName(name: string, fallback: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // "Ü" → "U" + a combining mark → "U"
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${safe || fallback}.csv`;
}
