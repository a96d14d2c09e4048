import { describe, expect, it } from 'vitest';
import { Ema, smooth } from '../../../renderer/src/lib/smoothing';

describe('Ema', () => {
  it('starts at the first value instead of near zero (debiased)', () => {
    expect(new Ema(0.9).push(2.3)).toBeCloseTo(2.3, 10);
  });

  it('keeps a constant series constant', () => {
    const ema = new Ema(0.95);
    for (let i = 0; i < 50; i++) expect(ema.push(0.7)).toBeCloseTo(0.7, 10);
  });

  it('moves towards new values gradually', () => {
    const ema = new Ema(0.9);
    ema.push(1);
    const next = ema.push(0);
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThan(1);
  });

  it('skips non-finite values', () => {
    const ema = new Ema(0.5);
    ema.push(1);
    expect(ema.push(Number.NaN)).toBe(1);
    expect(ema.push(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('is NaN before any value and after reset', () => {
    const ema = new Ema();
    expect(ema.value).toBeNaN();
    ema.push(3);
    ema.reset();
    expect(ema.value).toBeNaN();
  });

  it('rejects a weight outside [0, 1)', () => {
    expect(() => new Ema(1)).toThrow(RangeError);
    expect(() => new Ema(-0.1)).toThrow(RangeError);
  });
});

describe('smooth', () => {
  it('returns the input unchanged with weight 0', () => {
    expect(smooth([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it('returns one value per input and damps noise', () => {
    const noisy = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const out = smooth(noisy, 0.9);
    expect(out).toHaveLength(200);
    expect(Math.abs(out[199] - out[198])).toBeLessThan(0.2);
  });
});
