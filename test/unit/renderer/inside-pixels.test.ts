import { describe, expect, it } from 'vitest';
import type { InsideSeries } from '../../../common/api';
import { divergingColour, RED_BLUE, sequentialColour, VIRIDIS } from '../../../renderer/src/lib/colour-scale';
import {
  displayOrder,
  heatmapRgba,
  inputRgba,
  largestMagnitude,
  saliencyLimit,
  saliencyRgba,
  scaleOf,
} from '../../../renderer/src/lib/inside-pixels';

const ROWS = 28;

/** A series of `units` units whose value after row t for unit k is f(t, k). */
function series(id: InsideSeries['id'], units: number, f: (t: number, k: number) => number): InsideSeries {
  const values = Array.from({ length: ROWS * units }, (_, i) => f(Math.floor(i / units), i % units));
  return { id, values, min: Math.min(...values), max: Math.max(...values) };
}

const pixelAt = (rgba: Uint8ClampedArray, i: number) => [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]];

describe('scaleOf', () => {
  it('colours every gate on the fixed 0–1 scale', () => {
    for (const id of ['input', 'forget', 'output', 'update', 'reset'] as const)
      expect(scaleOf({ id, min: 0.2, max: 0.3 })).toEqual({ kind: 'sequential' });
  });

  it('colours c and h around 0, out to their largest magnitude', () => {
    expect(scaleOf({ id: 'cell', min: -2.5, max: 1 })).toEqual({ kind: 'diverging', limit: 2.5 });
    expect(scaleOf({ id: 'hidden', min: -0.1, max: 0.8 })).toEqual({ kind: 'diverging', limit: 0.8 });
  });
});

describe('largestMagnitude', () => {
  it('skips non-numbers and is 0 for nothing', () => {
    expect(largestMagnitude([NaN, -3, 2])).toBe(3);
    expect(largestMagnitude([])).toBe(0);
  });
});

describe('displayOrder', () => {
  it('keeps a permutation of the units', () => {
    expect(displayOrder([2, 0, 1], 3)).toEqual([2, 0, 1]);
  });

  it('falls back to the units in their own order for a broken order', () => {
    expect(displayOrder([0, 0, 1], 3)).toEqual([0, 1, 2]);
    expect(displayOrder([0, 1], 3)).toEqual([0, 1, 2]);
    expect(displayOrder([0, 1, 7], 3)).toEqual([0, 1, 2]);
  });
});

describe('heatmapRgba', () => {
  it('is 28 rows of one opaque pixel per unit', () => {
    const rgba = heatmapRgba(
      series('forget', 5, () => 0.5),
      5,
      [0, 1, 2, 3, 4],
    );
    expect(rgba.length).toBe(ROWS * 5 * 4);
    for (let i = 0; i < ROWS * 5; i++) expect(rgba[i * 4 + 3]).toBe(255);
  });

  it('puts unit order[j] in column j, row t in line t', () => {
    // Unit k is open (1) only at row k; units shown in the order 2, 0, 1.
    const gate = series('input', 3, (t, k) => (t === k ? 1 : 0));
    const rgba = heatmapRgba(gate, 3, [2, 0, 1]);
    const open = [...sequentialColour(1), 255];
    expect(pixelAt(rgba, 2 * 3 + 0)).toEqual(open); // row 2, column 0 = unit 2
    expect(pixelAt(rgba, 0 * 3 + 1)).toEqual(open); // row 0, column 1 = unit 0
    expect(pixelAt(rgba, 1 * 3 + 2)).toEqual(open); // row 1, column 2 = unit 1
    expect(pixelAt(rgba, 0 * 3 + 0)).toEqual([...VIRIDIS[0], 255]);
  });

  it('colours a state around 0 within its own range', () => {
    const h = series('hidden', 2, (t, k) => (k === 0 ? -0.5 : 0.5));
    const rgba = heatmapRgba(h, 2, [0, 1]);
    expect(pixelAt(rgba, 0)).toEqual([...RED_BLUE[0], 255]);
    expect(pixelAt(rgba, 1)).toEqual([...RED_BLUE[10], 255]);
    expect(pixelAt(rgba, 0).slice(0, 3)).toEqual([...divergingColour(-0.5, 0.5)]);
  });

  it('gives no NaN channels for missing or non-number values', () => {
    const broken: InsideSeries = { id: 'cell', values: [NaN, Infinity], min: NaN, max: NaN };
    const rgba = heatmapRgba(broken, 4, [0, 1, 2, 3]);
    expect(rgba.every((v) => Number.isInteger(v))).toBe(true);
  });
});

describe('inputRgba', () => {
  it('draws ink white on black, clamping out-of-range pixels', () => {
    const pixels = new Float32Array(784);
    pixels[0] = 1;
    pixels[1] = 0.5;
    pixels[2] = 4;
    pixels[3] = NaN;
    const rgba = inputRgba(pixels);
    expect(pixelAt(rgba, 0)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(rgba, 1)).toEqual([128, 128, 128, 255]);
    expect(pixelAt(rgba, 2)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(rgba, 3)).toEqual([0, 0, 0, 255]);
    expect(pixelAt(rgba, 4)).toEqual([0, 0, 0, 255]);
  });
});

describe('saliencyLimit', () => {
  it('is 0 when no pixel has any saliency', () => {
    expect(saliencyLimit(new Array(784).fill(0))).toBe(0);
  });

  it('ignores a lone extreme pixel among many', () => {
    const saliency = new Array(784).fill(0);
    for (let i = 0; i < 200; i++) saliency[i] = i % 2 ? 0.1 : -0.1;
    saliency[300] = 50;
    expect(saliencyLimit(saliency)).toBeCloseTo(0.1);
  });
});

describe('saliencyRgba', () => {
  it('is black where nothing moved the answer, and has no NaN channels', () => {
    const saliency = new Array(784).fill(0);
    saliency[10] = 0.3;
    saliency[11] = -0.3;
    saliency[12] = NaN;
    const rgba = saliencyRgba(saliency);
    expect(rgba.length).toBe(784 * 4);
    expect(pixelAt(rgba, 0)).toEqual([0, 0, 0, 255]);
    const [r, g] = pixelAt(rgba, 10);
    expect(g).toBeGreaterThan(r);
    expect(rgba.every((v) => Number.isInteger(v))).toBe(true);
  });
});
