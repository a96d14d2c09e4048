/**
 * The Inside-the-network pictures as RGBA pixels for a canvas's putImageData: each series as a
 * heatmap (28 rows down, one column per unit in display order), the input, and the saliency map.
 * The renderer only maps values the worker computed to colours here: no tensor math. Pure.
 */
import type { InsideSeries, InsideSeriesId } from '../../../common/api';
import { IMAGE_SIDE, PIXEL_COUNT, TIME_STEPS } from '../../../common/mnist';
import { divergingColour, evidenceColour, sequentialColour, type Rgb } from './colour-scale';

/** How a series is coloured: gates on a fixed 0–1 scale, states around 0 within ±limit. */
export type SeriesScale = { kind: 'sequential' } | { kind: 'diverging'; limit: number };

const GATES: readonly InsideSeriesId[] = ['input', 'forget', 'output', 'update', 'reset'];

/** Ink pixels at or above this quantile of |saliency| are drawn at full colour. */
export const SALIENCY_QUANTILE = 0.98;

/** The largest magnitude among `values`, ignoring non-numbers; 0 when there is none. */
export function largestMagnitude(values: Iterable<number>): number {
  let most = 0;
  for (const v of values) if (Number.isFinite(v)) most = Math.max(most, Math.abs(v));
  return most;
}

/** A series' scale: 0–1 for a gate; for c and h, symmetric around 0 out to their largest magnitude. */
export function scaleOf(series: Pick<InsideSeries, 'id' | 'min' | 'max'>): SeriesScale {
  if (GATES.includes(series.id)) return { kind: 'sequential' };
  return { kind: 'diverging', limit: largestMagnitude([series.min, series.max]) };
}

/** One value's colour on `scale`. */
export function colourOn(scale: SeriesScale, value: number): Rgb {
  return scale.kind === 'sequential' ? sequentialColour(value) : divergingColour(value, scale.limit);
}

/** `order` when it is a permutation of 0…units−1, else the units in their own order. */
export function displayOrder(order: readonly number[], units: number): number[] {
  const seen = new Set(order.filter((k) => Number.isInteger(k) && k >= 0 && k < units));
  return seen.size === units && order.length === units ? [...order] : Array.from({ length: units }, (_, k) => k);
}

function put(out: Uint8ClampedArray, pixel: number, [r, g, b]: Rgb): void {
  out[pixel * 4] = r;
  out[pixel * 4 + 1] = g;
  out[pixel * 4 + 2] = b;
  out[pixel * 4 + 3] = 255;
}

/**
 * A series as [28 rows × units columns] RGBA: row t, column j is unit order[j] after row t.
 * @param series values [28 × units], row-major
 */
export function heatmapRgba(series: InsideSeries, units: number, order: readonly number[], scale = scaleOf(series)): Uint8ClampedArray {
  const columns = displayOrder(order, units);
  const out = new Uint8ClampedArray(TIME_STEPS * units * 4);
  for (let t = 0; t < TIME_STEPS; t++) {
    for (let j = 0; j < units; j++) put(out, t * units + j, colourOn(scale, series.values[t * units + columns[j]] ?? NaN));
  }
  return out;
}

/** The 28×28 input (0–1, white ink on black) as grey RGBA. */
export function inputRgba(pixels: ArrayLike<number>): Uint8ClampedArray {
  const out = new Uint8ClampedArray(PIXEL_COUNT * 4);
  for (let i = 0; i < PIXEL_COUNT; i++) {
    const v = Number.isFinite(pixels[i]) ? Math.round(Math.min(1, Math.max(0, pixels[i])) * 255) : 0;
    put(out, i, [v, v, v]);
  }
  return out;
}

/**
 * The limit of the saliency scale: the SALIENCY_QUANTILE of |saliency| over the pixels that have
 * any, so that one extreme pixel does not leave the rest unseen; 0 when every pixel is 0.
 */
export function saliencyLimit(saliency: readonly number[]): number {
  const magnitudes = saliency
    .filter((v) => Number.isFinite(v) && v !== 0)
    .map(Math.abs)
    .sort((a, b) => a - b);
  if (magnitudes.length === 0) return 0;
  return magnitudes[Math.min(magnitudes.length - 1, Math.floor(SALIENCY_QUANTILE * (magnitudes.length - 1)))];
}

/** The saliency map (784, positive supports the predicted digit) as RGBA on the evidence scale. */
export function saliencyRgba(saliency: readonly number[], limit = saliencyLimit(saliency)): Uint8ClampedArray {
  const out = new Uint8ClampedArray(IMAGE_SIDE * IMAGE_SIDE * 4);
  for (let i = 0; i < PIXEL_COUNT; i++) put(out, i, evidenceColour(saliency[i] ?? 0, limit));
  return out;
}
