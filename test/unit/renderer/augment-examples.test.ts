import { describe, expect, it } from 'vitest';
import type { Augmentation } from '../../../common/augment';
import { augmentedExamples, EXAMPLE_DIGITS, VERSIONS } from '../../../renderer/src/lib/augment-examples';
import { sampleDigits } from '../../../renderer/src/lib/sample-digits';

const OFF: Augmentation = { rotation: 0, shear: 0, aspect: 0, thickness: 0, elastic: 0 };
const TURNED: Augmentation = { ...OFF, rotation: 20 };
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('augmentedExamples', () => {
  it('gives each example digit its original and VERSIONS augmented copies of 784 pixels in 0–1', () => {
    const examples = augmentedExamples(TURNED, 1, 0);
    expect(examples.map((e) => e.label)).toEqual([...EXAMPLE_DIGITS]);
    for (const example of examples) {
      expect(example.versions).toHaveLength(VERSIONS);
      for (const pixels of example.versions) {
        expect(pixels).toHaveLength(784);
        expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
      }
    }
    expect(EXAMPLE_DIGITS.length * (VERSIONS + 1)).toBeLessThanOrEqual(36); // a few dozen images at most
  });

  it('leaves the originals as stored and changes the copies', () => {
    const stored = sampleDigits();
    for (const example of augmentedExamples(TURNED, 1, 0)) {
      expect(same(example.original, stored[example.label].pixels)).toBe(true);
      for (const pixels of example.versions) expect(same(pixels, example.original)).toBe(false);
    }
  });

  it('gives every copy a transform of its own', () => {
    const [first] = augmentedExamples(TURNED, 1, 0);
    expect(same(first.versions[0], first.versions[1])).toBe(false);
    expect(same(first.versions[1], first.versions[2])).toBe(false);
  });

  it('draws the same pictures for the same seed and draw, and others for another draw or seed', () => {
    const pictures = (seed: number, draw: number) => augmentedExamples(TURNED, seed, draw).flatMap((e) => e.versions);
    const base = pictures(1, 0);
    expect(pictures(1, 0).every((p, i) => same(p, base[i]))).toBe(true);
    expect(pictures(1, 1).some((p, i) => !same(p, base[i]))).toBe(true);
    expect(pictures(2, 0).some((p, i) => !same(p, base[i]))).toBe(true);
  });

  it('copies the originals unchanged when nothing is on', () => {
    for (const example of augmentedExamples(OFF, 1, 0))
      for (const pixels of example.versions) expect(same(pixels, example.original)).toBe(true);
  });

  it('takes other digits and counts when asked', () => {
    const examples = augmentedExamples(TURNED, 1, 0, [0, 9], 2);
    expect(examples.map((e) => [e.label, e.versions.length])).toEqual([
      [0, 2],
      [9, 2],
    ]);
  });
});
