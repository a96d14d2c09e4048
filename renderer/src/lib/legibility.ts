/**
 * Whether a drawing can be read as a digit at all, before trusting the model's answer: the
 * preprocessing scales any ink up to fill MNIST's 20×20 box, so a dot, a dash or a tiny digit in
 * a corner reaches the model looking like a full-size stroke and gets a confident-looking guess.
 * Judged on the pad, where size still shows. Pure: no DOM.
 */
import type { Box } from '../../../common/preprocess';

/** Why a drawing is not worth reading, in words for the pad; null when it is fine. */
export type LegibilityProblem = 'too-small' | 'too-flat' | null;

/** The ink's larger side must cover this much of the pad (MNIST's writers filled their box). */
export const MIN_SIZE_FRACTION = 0.25;
/** Digits are upright: ink this much shorter than the pad is a dash, not a digit. */
export const MIN_HEIGHT_FRACTION = 0.2;
/** Below this top probability an answer is shown as a guess. */
export const SURE_PROBABILITY = 0.6;

/**
 * What is wrong with a drawing for reading it as a digit, if anything, from its ink's box
 * (preprocess.ts `prepare` finds it) on a pad of `padWidth` × `padHeight` pixels.
 */
export function legibilityProblem(box: Box | null, padWidth: number, padHeight: number): LegibilityProblem {
  if (!box) return null;
  const width = (box.x1 - box.x0) / padWidth;
  const height = (box.y1 - box.y0) / padHeight;
  if (Math.max(width, height) < MIN_SIZE_FRACTION) return 'too-small';
  return height < MIN_HEIGHT_FRACTION ? 'too-flat' : null;
}

/** The pad's one-line explanation of a problem. */
export function legibilityText(problem: Exclude<LegibilityProblem, null>): string {
  return problem === 'too-small'
    ? 'Too small to read: draw the digit bigger, filling most of the pad.'
    : 'That looks like a line, not a digit: digits are taller than this.';
}
