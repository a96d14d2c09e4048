/**
 * Sorting and filtering the results table. Sorting compares the raw values (numbers as numbers,
 * so 9 comes before 10) and puts empty cells last whichever the direction: a trial without a
 * score is never "the best". Filtering matches what the person sees in the cells. Pure: no DOM.
 */
import { formatCell, type CellValue, type Column, type ResultRow } from './sweep-rows';

export type SortDirection = 'ascending' | 'descending';

/** The table's sort: a column and a direction (the names aria-sort uses). */
export interface SortOrder {
  columnId: string;
  direction: SortDirection;
}

/** The rows sorted by one column; ties keep their order (plan order), so the sort is stable. */
export function sortRows(rows: readonly ResultRow[], order: SortOrder): ResultRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, position) => ({ row, position }))
    .sort((a, b) => {
      const x = a.row.values[order.columnId] ?? null;
      const y = b.row.values[order.columnId] ?? null;
      if (x === null || y === null) return x === y ? a.position - b.position : x === null ? 1 : -1;
      return sign * compareValues(x, y) || a.position - b.position;
    })
    .map(({ row }) => row);
}

/** The sort after a click on a column's header: the same column flips, another starts in its natural direction. */
export function nextSort(current: SortOrder, column: Column): SortOrder {
  if (current.columnId === column.id)
    return { columnId: column.id, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  // Scores and progress: the best first is what a person clicks for; names and numbers read upwards.
  const isScore = column.kind === 'percent' || column.kind === 'iterations';
  return { columnId: column.id, direction: isScore ? 'descending' : 'ascending' };
}

/**
 * The rows matching `query`: every word must appear in some cell ("gru done"), and a word
 * written `column:text` only in that column, named by its label or id ("units:16", "status:early").
 */
export function filterRows(rows: readonly ResultRow[], columns: readonly Column[], query: string): ResultRow[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((row) => {
    const cells = columns.map((column) => ({ column, text: formatCell(column, row).toLowerCase() }));
    return terms.every((term) => {
      const scoped = scopedTerm(term, columns);
      if (scoped) return cells.some((cell) => cell.column === scoped.column && cell.text.includes(scoped.text));
      return cells.some((cell) => cell.text.includes(term));
    });
  });
}

function scopedTerm(term: string, columns: readonly Column[]): { column: Column; text: string } | null {
  const colon = term.indexOf(':');
  if (colon <= 0) return null;
  const name = term.slice(0, colon).replace(/[\s.]/g, '');
  const column = columns.find((c) => c.id.toLowerCase() === name || c.label.toLowerCase().replace(/[\s.]/g, '') === name);
  return column ? { column, text: term.slice(colon + 1) } : null;
}

function compareValues(x: Exclude<CellValue, null>, y: Exclude<CellValue, null>): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y), 'en', { numeric: true });
}
