/**
 * CSV text (RFC 4180) from rows of cells, and what the studio exports as such rows: the sweep
 * results table, a run's history, a test-set result. Pure: the saving itself is lib/download.ts.
 */
import type { MetricsHistory, TestSummary } from '../../../common/api';
import { CLASSES } from '../../../common/mnist';
import { fileNameOf } from './download';
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

/**
 * A run's history as CSV records: a header, then one record per iteration that has a batch
 * point, a validation point or both, in order (a cell the iteration has no value for is empty).
 */
export function historyRecords(history: MetricsHistory): CellValue[][] {
  const records = new Map<number, [number, ...CellValue[]]>();
  const recordAt = (iteration: number): CellValue[] => {
    let record = records.get(iteration);
    if (!record) records.set(iteration, (record = [iteration, null, null, null, null]));
    return record;
  };
  for (const point of history.train) {
    const record = recordAt(point.iteration);
    [record[1], record[2]] = [point.loss, point.accuracy];
  }
  for (const point of history.validation) {
    const record = recordAt(point.iteration);
    [record[3], record[4]] = [point.loss, point.accuracy];
  }
  const body = [...records.values()].sort((a, b) => a[0] - b[0]);
  return [['iteration', 'loss', 'accuracy', 'validationLoss', 'validationAccuracy'], ...body];
}

/**
 * A test-set result as CSV records: the confusion matrix with its labels (a row per true digit,
 * a column per predicted one), each digit's image count and accuracy beside its row, and an
 * "all" row of how often each digit was predicted, the image count and the overall accuracy.
 */
export function testRecords(test: TestSummary): CellValue[][] {
  const digits = Array.from({ length: CLASSES }, (_, digit) => digit);
  const header = ['true digit', ...digits.map((digit) => `predicted ${digit}`), 'images', 'accuracy'];
  const rows = digits.map((label) => {
    const counts = digits.map((predicted) => test.confusion[label]?.[predicted] ?? 0);
    return [label, ...counts, counts.reduce((a, b) => a + b, 0), test.perClassAccuracy[label] ?? null];
  });
  const predictedTotals = digits.map((predicted) => rows.reduce((sum, row) => sum + Number(row[predicted + 1]), 0));
  return [header, ...rows, ['all', ...predictedTotals, test.count, test.accuracy]];
}

/** A file name from a sweep's or run's name: letters, digits, "-" and "_" only, so every system accepts it. */
export function csvFileName(name: string, fallback: string): string {
  return fileNameOf(name, fallback, 'csv');
}
