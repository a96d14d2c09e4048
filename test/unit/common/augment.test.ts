import { describe, expect, it } from 'vitest';
import type { Augmentation, Transform } from '../../../common/augment';
import { applyTransform, augmentBatch, augmentImage, isAugmenting } from '../../../common/augment';
import { centreOfMass } from '../../../common/preprocess';
import { IMAGE_SIDE, PIXEL_COUNT } from '../../../common/mnist';

const NONE: Augmentation = { rotation: 0, shear: 0, aspect: 0, thickness: 0, elastic: 0 };
const ALL: Augmentation = { rotation: 20, shear: 15, aspect: 0.2, thickness: 1, elastic: 2 };
const IDENTITY: Transform = { degrees: 0, slantDegrees: 0, stretch: 1, thickness: 0, field: null };

/** A 28×28 image with ink 1 in columns x0…x1−1 of rows y0…y1−1. */
function bar(x0: number, x1: number, y0: number, y1: number): Float32Array {
  const image = new Float32Array(PIXEL_COUNT);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) image[y * IMAGE_SIDE + x] = 1;
  return image;
}

/** The ink's principal direction, as a unit vector (x, y) with y down. */
function principalAxis(image: Float32Array): { x: number; y: number } {
  const c = centreOfMass({ width: IMAGE_SIDE, height: IMAGE_SIDE, data: image });
  if (!c) throw new Error('no ink');
  let [sxx, syy, sxy] = [0, 0, 0];
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const v = image[y * IMAGE_SIDE + x];
      const [dx, dy] = [x + 0.5 - c.x, y + 0.5 - c.y];
      sxx += v * dx * dx;
      syy += v * dy * dy;
      sxy += v * dx * dy;
    }
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return { x: Math.cos(angle), y: Math.sin(angle) };
}

/** Mean width of the ink (pixels above 0.5) over the rows that have any. */
function meanWidth(image: Float32Array): number {
  let [inked, rows] = [0, 0];
  for (let y = 0; y < IMAGE_SIDE; y++) {
    let count = 0;
    for (let x = 0; x < IMAGE_SIDE; x++) if (image[y * IMAGE_SIDE + x] > 0.5) count++;
    if (count > 0) [inked, rows] = [inked + count, rows + 1];
  }
  return inked / rows;
}

describe('training-time augmentation', () => {
  it('is off when every amount is 0, and then leaves the image exactly as it was', () => {
    expect(isAugmenting(NONE)).toBe(false);
    const image = bar(12, 16, 4, 24);
    const copy = image.slice();
    augmentImage(image, NONE, 7);
    expect(image).toEqual(copy);
  });

  it('repeats exactly for a seed, differs between seeds, and keeps every pixel in 0–1', () => {
    const [a, b, c] = [bar(10, 14, 4, 24), bar(10, 14, 4, 24), bar(10, 14, 4, 24)];
    augmentImage(a, ALL, 42);
    augmentImage(b, ALL, 42);
    augmentImage(c, ALL, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const image of [a, c]) expect(image.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('turns a vertical bar by the angle asked for (clockwise on screen for positive degrees)', () => {
    for (const degrees of [-25, 15, 30]) {
      const image = bar(13, 15, 4, 24);
      applyTransform(image, { ...IDENTITY, degrees });
      const axis = principalAxis(image);
      const theta = (degrees * Math.PI) / 180;
      // The bar's direction (0, 1) maps to (−sin θ, cos θ); compare directions up to sign.
      const cross = Math.abs(axis.x * Math.cos(theta) - axis.y * -Math.sin(theta));
      expect(cross).toBeLessThan(Math.sin((2 * Math.PI) / 180));
    }
  });

  it('thickens strokes with a positive thickness and thins them with a negative one', () => {
    const thin = bar(13, 15, 4, 24);
    const before = meanWidth(thin);
    applyTransform(thin, { ...IDENTITY, thickness: 1.5 });
    expect(meanWidth(thin)).toBeGreaterThan(before + 1);
    const thick = bar(11, 17, 4, 24);
    const wide = meanWidth(thick);
    applyTransform(thick, { ...IDENTITY, thickness: -1 });
    expect(meanWidth(thick)).toBeLessThan(wide - 0.5);
  });

  it('refits like the pad: the digit fills the 20-pixel box and its centre of mass is at the centre', () => {
    const image = bar(3, 9, 2, 10);
    applyTransform(image, { ...IDENTITY, slantDegrees: 20 });
    const com = centreOfMass({ width: IMAGE_SIDE, height: IMAGE_SIDE, data: image });
    expect(Math.abs((com?.x ?? 0) - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs((com?.y ?? 0) - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...image)).toBe(1);
  });

  it('gives a slice of a batch what the whole batch gives those images (either training thread)', () => {
    const batch = new Float32Array(4 * PIXEL_COUNT);
    for (let i = 0; i < 4; i++) batch.set(bar(8 + i, 12 + i, 5, 22), i * PIXEL_COUNT);
    const slice = batch.slice(2 * PIXEL_COUNT);
    augmentBatch(batch, 4, ALL, { seed: 5, iteration: 9 });
    augmentBatch(slice, 2, ALL, { seed: 5, iteration: 9, first: 2 });
    expect(slice).toEqual(batch.subarray(2 * PIXEL_COUNT));
  });

  it('leaves an image without ink as it is', () => {
    const empty = new Float32Array(PIXEL_COUNT);
    augmentImage(empty, ALL, 3);
    expect(empty.every((v) => v === 0)).toBe(true);
  });
});
