/**
 * Row geometry shared by the Inside-the-network pictures, which all stack the 28 rows the
 * network reads top to bottom: which row a pointer is over, where a row's highlight band sits,
 * a row-influence bar's extent, and stepping through rows with the keyboard. Pure: no DOM.
 */
import { TIME_STEPS } from '../../../common/mnist';

/** Rows the network reads, one per time step. */
export const ROWS = TIME_STEPS;

/**
 * The 0-based row under a pointer `offsetY` CSS pixels below the top of a picture `height`
 * pixels tall; null outside it (or for a picture with no height).
 */
export function rowAt(offsetY: number, height: number, rows = ROWS): number | null {
  if (!(height > 0) || !Number.isFinite(offsetY) || offsetY < 0 || offsetY >= height) return null;
  return Math.min(rows - 1, Math.floor((offsetY / height) * rows));
}

/** A row's highlight band as percentages of the picture's height. */
export function rowBand(row: number, rows = ROWS): { top: number; height: number } {
  return { top: (row / rows) * 100, height: 100 / rows };
}

/** Below this, influences are noise: the bars' scale never magnifies them past it. */
export const MIN_INFLUENCE_LIMIT = 0.01;

/** The bars' scale: the largest |influence|, at least MIN_INFLUENCE_LIMIT. */
export function influenceLimit(values: readonly number[]): number {
  let most = MIN_INFLUENCE_LIMIT;
  for (const v of values) if (Number.isFinite(v)) most = Math.max(most, Math.abs(v));
  return most;
}

/**
 * A row-influence bar as percentages of its track, which has 0 in the middle: positive values
 * grow right from 50 %, negative ones left; clamped to the track, 0 width for a non-number.
 */
export function influenceBar(value: number, limit: number): { left: number; width: number } {
  if (!Number.isFinite(value) || !(limit > 0)) return { left: 50, width: 0 };
  const half = (Math.min(1, Math.abs(value) / limit) * 100) / 2;
  return value >= 0 ? { left: 50, width: half } : { left: 50 - half, width: half };
}

/** The row a key moves to from `row` (ArrowUp/Down one row, PageUp/Down seven, Home, End); null for other keys. */
export function stepRow(row: number | null, key: string, rows = ROWS): number | null {
  const from = row ?? -1;
  const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 7, PageUp: -7 };
  if (key === 'Home') return 0;
  if (key === 'End') return rows - 1;
  if (!(key in step)) return null;
  if (row === null) return step[key] > 0 ? 0 : rows - 1;
  return Math.min(rows - 1, Math.max(0, from + step[key]));
}
