import { describe, expect, it } from 'vitest';
import {
  cssGradient,
  divergingColour,
  EVIDENCE,
  evidenceColour,
  MISSING,
  RED_BLUE,
  sampleStops,
  sequentialColour,
  VIRIDIS,
  type Rgb,
} from '../../../renderer/src/lib/colour-scale';

const isChannel = (v: number) => Number.isInteger(v) && v >= 0 && v <= 255;
const isColour = (c: Rgb) => c.length === 3 && c.every(isChannel);
const AWKWARD = [NaN, Infinity, -Infinity, -1e300, 1e300, -0, 0, 0.5, 1, -3, 3];

describe('sampleStops', () => {
  it('gives the first and last stop at 0 and 1, and interpolates between', () => {
    const stops: Rgb[] = [
      [0, 0, 0],
      [200, 100, 50],
    ];
    expect(sampleStops(stops, 0)).toEqual([0, 0, 0]);
    expect(sampleStops(stops, 1)).toEqual([200, 100, 50]);
    expect(sampleStops(stops, 0.5)).toEqual([100, 50, 25]);
  });

  it('clamps positions outside 0–1 to the ends', () => {
    expect(sampleStops(VIRIDIS, -2)).toEqual(VIRIDIS[0]);
    expect(sampleStops(VIRIDIS, 7)).toEqual(VIRIDIS[VIRIDIS.length - 1]);
  });

  it('gives MISSING for a position that is not a number', () => {
    expect(sampleStops(VIRIDIS, NaN)).toEqual(MISSING);
  });
});

describe('sequentialColour', () => {
  it('maps 0 and 1 to viridis ends and clamps beyond them', () => {
    expect(sequentialColour(0)).toEqual(VIRIDIS[0]);
    expect(sequentialColour(1)).toEqual(VIRIDIS[9]);
    expect(sequentialColour(-0.3)).toEqual(VIRIDIS[0]);
    expect(sequentialColour(1.7)).toEqual(VIRIDIS[9]);
  });

  it('gets lighter as the gate opens', () => {
    const lightness = ([r, g, b]: Rgb) => r + g + b;
    const values = [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => lightness(sequentialColour(v)));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
  });
});

describe('divergingColour', () => {
  it('puts 0 at the white middle, −limit at deep blue and +limit at deep red', () => {
    expect(divergingColour(0, 2)).toEqual(RED_BLUE[5]);
    expect(divergingColour(-2, 2)).toEqual(RED_BLUE[0]);
    expect(divergingColour(2, 2)).toEqual(RED_BLUE[10]);
  });

  it('clamps values beyond ±limit', () => {
    expect(divergingColour(-50, 2)).toEqual(RED_BLUE[0]);
    expect(divergingColour(50, 2)).toEqual(RED_BLUE[10]);
  });

  it('draws every value at the middle when the limit is 0, negative or not a number', () => {
    for (const limit of [0, -1, NaN, Infinity]) expect(divergingColour(0.7, limit)).toEqual(RED_BLUE[5]);
  });

  it('is blue for negative and red for positive values', () => {
    const [r1, , b1] = divergingColour(-0.5, 1);
    const [r2, , b2] = divergingColour(0.5, 1);
    expect(b1).toBeGreaterThan(r1);
    expect(r2).toBeGreaterThan(b2);
  });
});

describe('evidenceColour', () => {
  it('is black for no evidence, green for and violet against', () => {
    expect(evidenceColour(0, 1)).toEqual([0, 0, 0]);
    const [r, g, b] = evidenceColour(1, 1);
    expect(g).toBeGreaterThan(r);
    expect(g).toBeGreaterThan(b);
    expect(evidenceColour(-1, 1)).toEqual(EVIDENCE[0]);
  });
});

describe('every scale', () => {
  it('returns whole 0–255 channels, never NaN, for any value and limit', () => {
    for (const value of AWKWARD) {
      expect(isColour(sequentialColour(value))).toBe(true);
      for (const limit of AWKWARD) {
        expect(isColour(divergingColour(value, limit))).toBe(true);
        expect(isColour(evidenceColour(value, limit))).toBe(true);
      }
    }
  });
});

describe('cssGradient', () => {
  it('lists each stop with its position', () => {
    expect(
      cssGradient([
        [0, 0, 0],
        [255, 255, 255],
      ]),
    ).toBe('linear-gradient(to right, rgb(0 0 0) 0.0%, rgb(255 255 255) 100.0%)');
  });
});
