import { describe, expect, it } from 'vitest';
import { influenceBar, influenceLimit, MIN_INFLUENCE_LIMIT, ROWS, rowAt, rowBand, stepRow } from '../../../renderer/src/lib/rows';

describe('rowAt', () => {
  it('finds the row under the pointer in a 168-pixel picture (6 pixels a row)', () => {
    expect(rowAt(0, 168)).toBe(0);
    expect(rowAt(5.9, 168)).toBe(0);
    expect(rowAt(6, 168)).toBe(1);
    expect(rowAt(83, 168)).toBe(13);
    expect(rowAt(167.9, 168)).toBe(27);
  });

  it('gives null above, below or without a picture', () => {
    expect(rowAt(-1, 168)).toBeNull();
    expect(rowAt(168, 168)).toBeNull();
    expect(rowAt(10, 0)).toBeNull();
    expect(rowAt(NaN, 168)).toBeNull();
  });

  it('covers every row exactly once across the picture', () => {
    const rows = new Set(Array.from({ length: 280 }, (_, y) => rowAt(y + 0.5, 280)));
    expect([...rows].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: ROWS }, (_, i) => i));
  });
});

describe('rowBand', () => {
  it('places a row as a 1/28 slice of the height', () => {
    expect(rowBand(0)).toEqual({ top: 0, height: 100 / 28 });
    expect(rowBand(27).top + rowBand(27).height).toBeCloseTo(100);
  });
});

describe('influenceLimit', () => {
  it('is the largest magnitude, but never below the noise floor', () => {
    expect(influenceLimit([0.1, -0.4, 0.2])).toBe(0.4);
    expect(influenceLimit([0, 0.001])).toBe(MIN_INFLUENCE_LIMIT);
    expect(influenceLimit([NaN, 0.2])).toBe(0.2);
  });
});

describe('influenceBar', () => {
  it('grows right from the middle for a row that argued for the answer', () => {
    expect(influenceBar(0.2, 0.4)).toEqual({ left: 50, width: 25 });
  });

  it('grows left from the middle for a row that argued against it', () => {
    expect(influenceBar(-0.4, 0.4)).toEqual({ left: 0, width: 50 });
  });

  it('stays inside its track and has no width for a non-number', () => {
    expect(influenceBar(3, 0.4)).toEqual({ left: 50, width: 50 });
    expect(influenceBar(NaN, 0.4)).toEqual({ left: 50, width: 0 });
    expect(influenceBar(0.1, 0)).toEqual({ left: 50, width: 0 });
  });
});

describe('stepRow', () => {
  it('moves one row with the arrows and seven with Page Up and Down, within the 28', () => {
    expect(stepRow(5, 'ArrowDown')).toBe(6);
    expect(stepRow(5, 'ArrowUp')).toBe(4);
    expect(stepRow(0, 'ArrowUp')).toBe(0);
    expect(stepRow(25, 'PageDown')).toBe(27);
    expect(stepRow(3, 'PageUp')).toBe(0);
  });

  it('starts at the top or the bottom when no row is highlighted', () => {
    expect(stepRow(null, 'ArrowDown')).toBe(0);
    expect(stepRow(null, 'ArrowUp')).toBe(27);
    expect(stepRow(null, 'Home')).toBe(0);
    expect(stepRow(4, 'End')).toBe(27);
  });

  it('ignores other keys', () => {
    expect(stepRow(4, 'a')).toBeNull();
  });
});
