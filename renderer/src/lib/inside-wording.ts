/**
 * The words of the Inside-the-network panel: each gate's and state's name and meaning, honest
 * per cell type (a GRU has update and reset gates, a Simple RNN none), the unit order's one-line
 * explanation, legend labels, the answer after a row, and errors in plain words. Pure: no DOM.
 */
import type { InsideSeriesId, Inspection, WireError } from '../../../common/api';
import { CLASSES } from '../../../common/mnist';
import { errorTitle } from './errors';
import { formatPercent } from './format';
import type { SeriesScale } from './inside-pixels';
import { ROWS } from './rows';

type Cell = Inspection['cell'];

const TITLES: Record<InsideSeriesId, string> = {
  input: 'Input gate i',
  forget: 'Forget gate f',
  output: 'Output gate o',
  update: 'Update gate z',
  reset: 'Reset gate r',
  cell: 'Cell state c',
  hidden: 'Hidden state h',
};

const HINTS: Record<InsideSeriesId, string> = {
  input: 'How much of each row’s new input is written into the cell state (0 none, 1 all).',
  forget: 'How much of the cell state is kept from one row to the next (0 forgets, 1 keeps).',
  output: 'How much of the cell state is shown as the hidden state (0 hides, 1 shows).',
  update: 'How much of the hidden state is replaced by the new candidate at each row (0 keeps, 1 replaces).',
  reset: 'How much of the old hidden state feeds the new candidate (0 ignores it, 1 uses it).',
  cell: 'The LSTM’s memory after each row; its scale is its own range, around 0.',
  hidden: 'What the unit passes to the next row and layer after each row; its scale is its own range, around 0.',
};

/** A gate's or state's name, as the heatmap's caption. */
export function seriesTitle(id: InsideSeriesId): string {
  return TITLES[id];
}

/** What a gate or state means, in one sentence. */
export function seriesHint(id: InsideSeriesId): string {
  return HINTS[id];
}

const CELL_NAMES: Record<Cell, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'Simple RNN' };

/** The cell type as the form spells it. */
export function cellName(cell: Cell): string {
  return CELL_NAMES[cell];
}

/** What the heatmaps show for this cell type, honestly. */
export function cellNote(cell: Cell): string {
  switch (cell) {
    case 'lstm':
      return 'An LSTM: three gates decide what is written into, kept in and shown from its cell state c; h is what it passes on.';
    case 'gru':
      return 'A GRU: an update gate and a reset gate, and its hidden state h; it has no separate cell state.';
    case 'rnn':
      return 'Hidden state only — a Simple RNN has no gates.';
  }
}

/** The unit order, in one line. */
export const ORDER_EXPLANATION =
  'One column per unit, one line per row; units sorted by the row at which their hidden state changes most, earliest on the left.';

/** A layer's name in the picker: "Layer 1 (bottom)" … "Layer 2 (top)"; just "Layer 1" for one layer. */
export function layerName(layer: number, layers: number): string {
  const where = layers < 2 ? '' : layer === 0 ? ' (bottom)' : layer === layers - 1 ? ' (top)' : '';
  return `Layer ${layer + 1}${where}`;
}

/** A signed number for a legend: "+1.23", "−0.045", "0". */
export function formatSigned(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  const digits = Math.abs(value) >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
  return value > 0 ? `+${digits}` : `−${digits.slice(1)}`;
}

/** A legend's three labels: 0, 0.5, 1 for a gate; −limit, 0, +limit for a state. */
export function scaleLabels(scale: SeriesScale): [string, string, string] {
  if (scale.kind === 'sequential') return ['0', '0.5', '1'];
  return [formatSigned(-scale.limit), '0', formatSigned(scale.limit)];
}

/** The digit the network reads after `row` (0-based), and how sure it is; null without that row. */
export function rowAnswer(perRow: readonly (readonly number[])[], row: number): { digit: number; probability: number } | null {
  const p = perRow[row];
  if (!p || p.length !== CLASSES) return null;
  const probability = Math.max(...p);
  return Number.isFinite(probability) ? { digit: p.indexOf(probability), probability } : null;
}

/** "After row 14 of 28: 7 (83.0 %)", or for no row "After all 28 rows: 7 (98.1 %)". */
export function readoutText(perRow: readonly (readonly number[])[], row: number | null): string {
  const answer = rowAnswer(perRow, row ?? ROWS - 1);
  if (!answer) return '';
  const when = row === null ? `After all ${ROWS} rows` : `After row ${row + 1} of ${ROWS}`;
  return `${when}: ${answer.digit} (${formatPercent(answer.probability)})`;
}

/** What went wrong, in plain words. */
export function inspectErrorText(error: WireError): string {
  if (error.code === 'invalid-input' && /older tfjs/i.test(error.message)) {
    return 'This run was trained with the older GRU or Simple RNN layers, which cannot be followed row by row. Train it again with the same settings to look inside.';
  }
  if (error.code === 'not-found') return 'This run is no longer saved, so there is nothing to look inside.';
  return `${errorTitle(error.code)}: ${error.message}`;
}
