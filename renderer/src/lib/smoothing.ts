/**
 * Exponential moving average for noisy batch curves, debiased the way TensorBoard does it so
 * the first points are not dragged towards zero.
 */

/** Default weight of the previous smoothed value (0 = no smoothing, towards 1 = smoother). */
export const DEFAULT_SMOOTHING = 0.8;
/** The smoothing slider's end, as TensorBoard's: 0.99 is already a very long memory. */
export const MAX_SMOOTHING = 0.99;

/** An incremental EMA: feed values in order, get the smoothed value for each. */
export class Ema {
  readonly #weight: number;
  #accumulator = 0;
  #count = 0;

  /** @param weight 0 ≤ weight < 1; the share of the previous smoothed value. */
  constructor(weight = DEFAULT_SMOOTHING) {
    if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
    this.#weight = weight;
  }

  /** Adds a value and returns the smoothed value so far. Non-finite values are skipped. */
  push(value: number): number {
    if (!Number.isFinite(value)) return this.value;
    this.#accumulator = this.#weight * this.#accumulator + (1 - this.#weight) * value;
    this.#count++;
    return this.value;
  }

  /** The current smoothed value (NaN before the first value). */
  get value(): number {
    if (this.#count === 0) return Number.NaN;
    return this.#accumulator / (1 - this.#weight ** this.#count);
  }

  /** Forgets everything pushed so far. */
  reset(): void {
    this.#accumulator = 0;
    this.#count = 0;
  }
}

/** Smooths a whole series at once; same length as the input. */
export function smooth(values: readonly number[], weight = DEFAULT_SMOOTHING): number[] {
  const ema = new Ema(weight);
  return values.map((v) => ema.push(v));
}
