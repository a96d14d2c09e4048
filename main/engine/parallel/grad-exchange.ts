/**
 * What the trainer thread and its gradient helper share: one SharedArrayBuffer holding the
 * weights (trainer → helper), the helper's part of the batch (trainer → helper) and the
 * helper's gradients (helper → trainer), plus the small messages that say "go" and "done".
 * Bulk data never goes through postMessage, so a step allocates nothing for the exchange.
 */
import type { BackendName, Hyperparams } from '../../../common/api';
import type { BatchAugment } from '../data/batches';
import { PIXEL_COUNT } from '../../../common/mnist';

/** Pixels per image. */
const IMAGE_SIZE = PIXEL_COUNT;

/** Views on the shared buffer; both threads build identical ones from the same sizes. */
export interface ExchangeViews {
  /** All trainable weights, flattened and concatenated in `trainableVariables` order. */
  weights: Float32Array;
  /** The helper's gradients, same layout as `weights`. */
  grads: Float32Array;
  /** The helper's images, `[maxCount·784]`. */
  pixels: Float32Array;
  /** The helper's labels, `[maxCount]`. */
  labels: Int32Array;
}

/** Fixed at helper start (workerData). */
export interface HelperConfig {
  hyperparams: Hyperparams;
  seed: number;
  backend: BackendName;
  /** Trainable weight shapes the trainer's model has, in order; the helper checks its own. */
  shapes: number[][];
  /** Most images the helper is ever given in one request (a step's part or a scoring share). */
  maxCount: number;
  buffer: SharedArrayBuffer;
}

/** Trainer → helper. */
export type ToHelper =
  | {
      type: 'step';
      seq: number;
      count: number;
      withAccuracy: boolean;
      /** The trainer's SeededDropout call counts, in layer order: the helper's masks follow them, so a resumed run draws the same masks. */
      dropoutCalls: number[];
      /** Augment the part first (in place): its images are the batch's from `first` on. */
      augment: (BatchAugment & { first: number }) | null;
    }
  | {
      /** Score the `count` images in shared memory with the current weights (validation). */
      type: 'score';
      seq: number;
      count: number;
      /** Load the weights from shared memory first (the first request of a pass). */
      loadWeights: boolean;
    }
  | { type: 'quit' };

/** Helper → trainer. */
export type FromHelper =
  | { type: 'ready' }
  | { type: 'done'; seq: number; loss: number; correct: number }
  | { type: 'scored'; seq: number; lossSum: number; hits: number }
  | { type: 'failed'; message: string };

/** The answer to a 'step' or 'score' request. */
export type HelperAnswer = Extract<FromHelper, { seq: number }>;

/** Floats in each weight tensor, and their total. */
export function weightSizes(shapes: number[][]): { sizes: number[]; total: number } {
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  return { sizes, total: sizes.reduce((a, b) => a + b, 0) };
}

/** A buffer big enough for `shapes` and `maxCount` images. */
export function allocateExchange(shapes: number[][], maxCount: number): SharedArrayBuffer {
  const { total } = weightSizes(shapes);
  return new SharedArrayBuffer(4 * (2 * total + maxCount * IMAGE_SIZE + maxCount));
}

/** The views both threads use; the layout is weights, grads, pixels, labels. */
export function exchangeViews(buffer: SharedArrayBuffer, shapes: number[][], maxCount: number): ExchangeViews {
  const { total } = weightSizes(shapes);
  const pixelsAt = 8 * total;
  const labelsAt = pixelsAt + 4 * maxCount * IMAGE_SIZE;
  return {
    weights: new Float32Array(buffer, 0, total),
    grads: new Float32Array(buffer, 4 * total, total),
    pixels: new Float32Array(buffer, pixelsAt, maxCount * IMAGE_SIZE),
    labels: new Int32Array(buffer, labelsAt, maxCount),
  };
}

/** Splits a flat array into per-weight views (no copy), in `shapes` order. */
export function splitFlat(flat: Float32Array, shapes: number[][]): Float32Array[] {
  const { sizes } = weightSizes(shapes);
  let offset = 0;
  return sizes.map((size) => flat.subarray(offset, (offset += size)));
}

/** True when two lists of weight shapes are the same. */
export function sameShapes(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((s, i) => s.length === b[i].length && s.every((d, j) => d === b[i][j]));
}
