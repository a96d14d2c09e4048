import { describe, expect, it } from 'vitest';
import type { Augmentation, Transform } from '../../../../../common/augment';
import { applyTransform, augmentBatch, augmentWorkspace } from '../../../../../common/augment';
import { IMAGE_SIDE, PIXEL_COUNT } from '../../../../../common/mnist';
import { mulberry32 } from '../../../../../common/random';
import { fastAugmentWorkspace } from '../../../../../main/engine/wasm';

const IDENTITY: Transform = { degrees: 0, slantDegrees: 0, stretch: 1, thickness: 0, field: null };

/** A few strokes of random thickness and brightness, antialiased at their ends: a digit-like image. */
function strokes(seed: number): Float32Array {
  const random = mulberry32(seed);
  const image = new Float32Array(PIXEL_COUNT);
  for (let s = 0; s < 1 + Math.floor(random() * 4); s++) {
    const [x0, y0, x1, y1] = [random() * 28, random() * 28, random() * 28, random() * 28];
    const [width, ink] = [0.5 + random() * 2.5, 0.3 + random() * 0.7];
    for (let y = 0; y < IMAGE_SIDE; y++) {
      for (let x = 0; x < IMAGE_SIDE; x++) {
        const [dx, dy] = [x1 - x0, y1 - y0];
        const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy || 1)));
        const d = Math.hypot(x - x0 - t * dx, y - y0 - t * dy);
        const i = y * IMAGE_SIDE + x;
        image[i] = Math.max(image[i], Math.min(1, Math.max(0, width - d)) * ink);
      }
    }
  }
  return image;
}

/** Both workspaces' result of `transform` on `image`. */
function both(image: Float32Array, transform: Transform): [Float32Array, Float32Array] {
  const [js, wasm] = [image.slice(), image.slice()];
  applyTransform(js, transform, augmentWorkspace());
  applyTransform(wasm, transform, fastAugmentWorkspace());
  return [js, wasm];
}

const field = (seed: number, amount: number): Float32Array => {
  const random = mulberry32(seed);
  return Float32Array.from({ length: 50 }, () => (random() * 2 - 1) * amount);
};

describe('augmentation in WebAssembly', () => {
  it('runs its loops in WebAssembly here', () => {
    expect(fastAugmentWorkspace().kernels).toBeDefined();
  });

  it('gives the JavaScript loops’ images bit for bit, for every kind of transform', () => {
    const settings: Augmentation[] = [
      { rotation: 20, shear: 15, aspect: 0.2, thickness: 1, elastic: 2 },
      { rotation: 45, shear: 0, aspect: 0, thickness: 0, elastic: 0 },
      { rotation: 0, shear: 30, aspect: 0.4, thickness: 0, elastic: 0 },
      { rotation: 0, shear: 0, aspect: 0, thickness: 2.5, elastic: 0 },
      { rotation: 0, shear: 0, aspect: 0, thickness: 0, elastic: 4 },
    ];
    for (const [s, augmentation] of settings.entries()) {
      const batch = new Float32Array(64 * PIXEL_COUNT);
      for (let i = 0; i < 64; i++) batch.set(strokes(100 * s + i), i * PIXEL_COUNT);
      const [js, wasm] = [batch.slice(), batch.slice()];
      augmentBatch(js, 64, augmentation, { seed: 3, iteration: s }, augmentWorkspace());
      augmentBatch(wasm, 64, augmentation, { seed: 3, iteration: s }, fastAugmentWorkspace());
      expect(wasm).toEqual(js);
      expect(wasm).not.toEqual(batch);
    }
  });

  it('agrees at the edges: ink over the whole frame, a lone pixel, faint ink, thinning to nothing, no ink', () => {
    const full = new Float32Array(PIXEL_COUNT).fill(1);
    const lone = new Float32Array(PIXEL_COUNT);
    lone[0] = 1;
    const faint = strokes(7).map((v) => v * 0.02);
    const cases: [Float32Array, Transform][] = [
      [full, { ...IDENTITY, degrees: 45, stretch: 1.3 }],
      [full, { ...IDENTITY, thickness: -3 }],
      [full, { ...IDENTITY, degrees: -30, thickness: 2, field: field(1, 3) }],
      [lone, { ...IDENTITY, thickness: 1.5 }],
      [lone, { ...IDENTITY, thickness: -1 }],
      [strokes(3), { ...IDENTITY, thickness: -2.5 }],
      [faint, { ...IDENTITY, degrees: 10 }],
      [new Float32Array(PIXEL_COUNT), { ...IDENTITY, degrees: 10, field: field(2, 2) }],
    ];
    for (const [image, transform] of cases) {
      const [js, wasm] = both(image, transform);
      expect(wasm).toEqual(js);
    }
  });

  it('keeps no state between images: one workspace gives each image what a fresh one would', () => {
    const work = fastAugmentWorkspace();
    for (let i = 0; i < 20; i++) {
      const transform: Transform = {
        degrees: 25 - 2.5 * i,
        slantDegrees: i,
        stretch: 1.1,
        thickness: i % 3 === 0 ? -1 : 1.2,
        field: i % 2 ? field(i, 2) : null,
      };
      const [reused, fresh] = [strokes(i), strokes(i)];
      applyTransform(reused, transform, work);
      applyTransform(fresh, transform, fastAugmentWorkspace());
      expect(reused).toEqual(fresh);
    }
  });
});
