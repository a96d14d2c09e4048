/**
 * The Train view's "what training sees" strip: a few sample digits, each as stored and as the
 * form's augmentation might turn it on a training step. The very function the trainer applies
 * (common/augment.ts) runs here on copies, so the strip shows what training will see. Pure: no DOM.
 */
import { augmentImage, augmentWorkspace, imageSeed, type Augmentation } from '../../../common/augment';
import { sampleDigits } from './sample-digits';

/** The digits shown: a straight stroke, a curve, a corner and a loop show each transform well. */
export const EXAMPLE_DIGITS: readonly number[] = [1, 2, 4, 7];
/** Augmented versions beside each original. */
export const VERSIONS = 3;

/** One sample digit and its augmented versions (784 values each, 0–1, white ink on black; read only). */
export interface AugmentedExample {
  label: number;
  original: Float32Array;
  versions: Float32Array[];
}

let samples: ReturnType<typeof sampleDigits> | null = null;

/**
 * Each of `digits` with `versions` augmented copies. Copy v of digit row r gets the transform
 * imageSeed(seed, draw, r × versions + v) draws: the same form and draw show the same pictures,
 * and another draw ("New examples") shows others. The originals are never changed.
 */
export function augmentedExamples(
  augmentation: Augmentation,
  seed: number,
  draw: number,
  digits: readonly number[] = EXAMPLE_DIGITS,
  versions: number = VERSIONS,
): AugmentedExample[] {
  const all = (samples ??= sampleDigits()); // decoded once: the strip recomputes as the person types
  const work = augmentWorkspace();
  return digits.map((label, row) => {
    const original = all[label].pixels;
    const copies = Array.from({ length: versions }, (_, v) => {
      const copy = original.slice();
      augmentImage(copy, augmentation, imageSeed(seed, draw, row * versions + v), work);
      return copy;
    });
    return { label, original, versions: copies };
  });
}
