import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS, PIXEL_COUNT } from '../../../../../common/api';
import type { Split } from '../../../../../main/engine/data/batches';
import { MixedBatchSource, personalSlots, trainBatches } from '../../../../../main/engine/data/mixed-batches';

/** `count` MNIST-like images whose every pixel is its index (so a batch shows which images it holds), labels index mod 10. */
function split(count: number): Split {
  const images = new Uint8Array(count * PIXEL_COUNT);
  for (let i = 0; i < count; i++) images.fill(i % 256, i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

/** Personal digits whose pixels are 0.5 + a tenth of a millionth of their index: told apart from MNIST's k/255. */
const digits = Array.from({ length: 7 }, (_, i) => ({ label: (i * 3) % 10, pixels: new Array<number>(PIXEL_COUNT).fill(0.5 + i * 1e-6) }));
const hp = { ...DEFAULT_HYPERPARAMS, batchSize: 16 };
const personalOf = (pixels: Float32Array, at: number) => Math.round((pixels[at * PIXEL_COUNT] - 0.5) / 1e-6);

describe('personalSlots', () => {
  it('gives the mix ratio its share of the batch, at least one and never all of it', () => {
    expect(personalSlots(128, 0.25)).toBe(32);
    expect(personalSlots(16, 0.05)).toBe(1);
    expect(personalSlots(4, 0.9)).toBe(3);
    expect(() => personalSlots(1, 0.5)).toThrow(/too small/);
  });
});

describe('MixedBatchSource', () => {
  it('fills each batch with MNIST first and the personal digits last, in the mix ratio', () => {
    const source = new MixedBatchSource(split(100), hp, 3, { digits, mixRatio: 0.25 });
    const batch = source.batch(0);
    expect(batch.labels).toHaveLength(16);
    // The first 12: MNIST images (pixel = index / 255), each with its own label.
    for (let i = 0; i < 12; i++) expect(Math.round(batch.pixels[i * PIXEL_COUNT] * 255) % 10).toBe(batch.labels[i]);
    for (let i = 12; i < 16; i++) {
      const digit = personalOf(batch.pixels, i);
      expect(digit).toBeGreaterThanOrEqual(0);
      expect(digit).toBeLessThan(7);
      expect(batch.labels[i]).toBe(digits[digit].label);
    }
    expect(batch.augment).toBeUndefined();
  });

  it('oversamples: every personal digit comes once per pass, passes reshuffled', () => {
    const source = new MixedBatchSource(split(100), hp, 3, { digits, mixRatio: 0.25 });
    const drawn: number[] = [];
    for (let it = 0; it < 14; it++) {
      // An epoch's last MNIST batch may be short: the personal digits are always the last four.
      const { pixels, labels } = source.batch(it);
      for (let i = labels.length - 4; i < labels.length; i++) drawn.push(personalOf(pixels, i));
    }
    const passes = Array.from({ length: 8 }, (_, p) => drawn.slice(p * 7, p * 7 + 7));
    for (const pass of passes) expect([...pass].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(passes.map((p) => p.join())).size).toBeGreaterThan(1);
  });

  it('repeats exactly for a seed, and a resumed source draws the batches the first one drew', () => {
    const copy = (s: MixedBatchSource, it: number) => {
      const b = s.batch(it);
      return { pixels: b.pixels.slice(), labels: b.labels.slice() };
    };
    const whole = new MixedBatchSource(split(40), hp, 9, { digits, mixRatio: 0.5 });
    const all = Array.from({ length: 10 }, (_, it) => copy(whole, it));
    const resumed = new MixedBatchSource(split(40), hp, 9, { digits, mixRatio: 0.5 });
    resumed.seek(6);
    for (let it = 6; it < 10; it++) expect(copy(resumed, it)).toEqual(all[it]);
    const other = new MixedBatchSource(split(40), hp, 10, { digits, mixRatio: 0.5 });
    expect(copy(other, 0)).not.toEqual(all[0]);
  });

  it('marks the whole batch for augmentation when the hyperparameters augment', () => {
    const source = trainBatches(split(50), { ...hp, rotation: 10 }, 1, { digits, mixRatio: 0.25 });
    expect(source.batch(2).augment).toMatchObject({ seed: 1, iteration: 2, augmentation: { rotation: 10 } });
  });

  it('refuses an empty set of digits', () => {
    expect(() => new MixedBatchSource(split(10), hp, 1, { digits: [], mixRatio: 0.25 })).toThrow(/at least one digit/);
  });
});
