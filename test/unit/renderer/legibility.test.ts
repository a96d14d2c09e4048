import { describe, expect, it } from 'vitest';
import { legibilityProblem as problemOfBox } from '../../../renderer/src/lib/legibility';
import { inkBounds, toInk } from '../../../common/preprocess';
import type { InkImage } from '../../../common/preprocess';

/** The judgement of a whole pad: its ink's box, as DrawView gets it from `prepare`. */
const legibilityProblem = (image: InkImage) => problemOfBox(inkBounds(toInk(image)), image.width, image.height);

/** A 280×280 single-channel pad with ink in the given rectangle (fractions of the side). */
function pad(x0: number, y0: number, x1: number, y1: number) {
  const size = 280;
  const data = new Uint8ClampedArray(size * size);
  for (let y = Math.round(y0 * size); y < Math.round(y1 * size); y++) {
    for (let x = Math.round(x0 * size); x < Math.round(x1 * size); x++) data[y * size + x] = 255;
  }
  return { width: size, height: size, data };
}

describe('legibilityProblem', () => {
  it('accepts a digit of ordinary size, a thin upright 1 included', () => {
    expect(legibilityProblem(pad(0.3, 0.15, 0.7, 0.85))).toBeNull();
    expect(legibilityProblem(pad(0.48, 0.15, 0.52, 0.85))).toBeNull();
  });

  it('calls a dot and a tiny digit in a corner too small', () => {
    expect(legibilityProblem(pad(0.5, 0.5, 0.53, 0.53))).toBe('too-small');
    expect(legibilityProblem(pad(0.02, 0.02, 0.12, 0.18))).toBe('too-small');
  });

  it('calls a dash too flat to be a digit', () => {
    expect(legibilityProblem(pad(0.2, 0.48, 0.8, 0.54))).toBe('too-flat');
  });

  it('has nothing to say about an empty pad', () => {
    expect(legibilityProblem(pad(0, 0, 0, 0))).toBeNull();
  });
});
