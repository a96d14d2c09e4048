/**
 * Scores a trained model on a labelled split (the test set): accuracy, mean cross-entropy,
 * per-digit accuracy, the confusion matrix and the most confident mistakes.
 */
import * as tf from '@tensorflow/tfjs';
import type { Misclassified, TestResults } from '../../common/api';
import { PIXEL_COUNT } from '../../common/api';
import { StudioError } from '../../common/errors';
import { CLASSES, IMAGE_SIDE } from '../../common/mnist';

const SIDE = IMAGE_SIDE;
/** Floor before the log, as tf's categoricalCrossentropy clips: one certain mistake costs ~16, not ∞. */
const EPSILON = 1e-7;

/** Images as the dataset keeps them: `count` × 784 uint8 pixels (0–255, row-major) and labels 0–9. */
export interface LabelledSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface EvaluateOptions {
  /** Images per predict call; bounds the float32 memory in use. Default 250. */
  batchSize?: number;
  /** How many mistakes to return, most confident first. Default 500. */
  maxMisclassified?: number;
}

/** Running totals across chunks. */
interface Tally {
  confusion: number[][];
  lossSum: number;
  mistakes: (Omit<Misclassified, 'pixels'> & { confidence: number })[];
}

/**
 * Evaluates `model` (input [batch, 28, 28] in 0–1, output [batch, 10] probabilities or logits)
 * on `split`, chunk by chunk, leaving no tensors behind. A digit absent from the split gets a
 * per-class accuracy of 0 (its confusion row is all zeros).
 */
export async function evaluateModel(model: tf.LayersModel, split: LabelledSplit, options: EvaluateOptions = {}): Promise<TestResults> {
  // 250 per forward pass: chunks of 1,000 doubled the worker's wasm heap (≈ 700 MB peak).
  const batchSize = options.batchSize ?? 250;
  const maxMisclassified = options.maxMisclassified ?? 500;
  checkInputs(split, batchSize, maxMisclassified);
  const isLogits = !endsInSoftmax(model);
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  const tally: Tally = { confusion, lossSum: 0, mistakes: [] };
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const probabilities = await predictChunk(model, split.images, start, size, isLogits);
    scoreChunk(tally, probabilities, split.labels, start, size);
  }
  return summarize(tally, split, maxMisclassified);
}

function checkInputs(split: LabelledSplit, batchSize: number, maxMisclassified: number): void {
  const { images, labels, count } = split;
  if (!Number.isInteger(count) || count < 1) throw new StudioError('invalid-input', `nothing to evaluate: count is ${count}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new StudioError('invalid-input', `batchSize must be a whole number ≥ 1, got ${batchSize}`);
  }
  if (!Number.isInteger(maxMisclassified) || maxMisclassified < 0) {
    throw new StudioError('invalid-input', `maxMisclassified must be a whole number ≥ 0, got ${maxMisclassified}`);
  }
  if (images.length < count * PIXEL_COUNT) {
    const expected = `${count * PIXEL_COUNT} pixels for ${count} images`;
    throw new StudioError('invalid-input', `split images: expected ${expected}, got ${images.length}`);
  }
  if (labels.length < count) throw new StudioError('invalid-input', `split labels: expected ${count}, got ${labels.length}`);
  const bad = labels.subarray(0, count).findIndex((label) => label >= CLASSES);
  if (bad >= 0) throw new StudioError('dataset-corrupt', `label of image ${bad}: expected 0–9, got ${labels[bad]}`);
}

/** The app's models end in Dense logits (softmax lives in the loss); others may end in softmax. */
function endsInSoftmax(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  return last?.getConfig().activation === 'softmax';
}

/** Softmax probabilities for images [start, start + size), flat: size × 10. */
async function predictChunk(
  model: tf.LayersModel,
  images: Uint8Array,
  start: number,
  size: number,
  isLogits: boolean,
): Promise<Float32Array> {
  const probabilities = tf.tidy(() => {
    // batchSize: the whole chunk at once (predict's own default is 32).
    const output = model.predict(pixelsToBatch(images, start, size), { batchSize: size });
    if (Array.isArray(output)) throw new StudioError('internal', `expected one model output, got ${output.length}`);
    return isLogits ? tf.softmax(output) : output;
  });
  try {
    return (await probabilities.data()) as Float32Array;
  } finally {
    probabilities.dispose();
  }
}

/** uint8 pixels of `size` images from `start` → float32 [size, 28, 28] scaled to 0–1. */
function pixelsToBatch(images: Uint8Array, start: number, size: number): tf.Tensor3D {
  const source = images.subarray(start * PIXEL_COUNT, (start + size) * PIXEL_COUNT);
  const scaled = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) scaled[i] = source[i] / 255;
  return tf.tensor3d(scaled, [size, SIDE, SIDE]);
}

function scoreChunk(tally: Tally, probabilities: Float32Array, labels: Uint8Array, start: number, size: number): void {
  for (let i = 0; i < size; i++) {
    const row = probabilities.subarray(i * CLASSES, (i + 1) * CLASSES);
    const label = labels[start + i];
    const predicted = argMax(row);
    tally.confusion[label][predicted] += 1;
    tally.lossSum -= Math.log(Math.max(row[label], EPSILON));
    if (predicted !== label) {
      tally.mistakes.push({ index: start + i, label, predicted, probabilities: Array.from(row), confidence: row[predicted] });
    }
  }
}

/** Index of the largest value; the first one on a tie. */
function argMax(values: Float32Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

function summarize(tally: Tally, split: LabelledSplit, maxMisclassified: number): TestResults {
  const { confusion } = tally;
  const correct = confusion.reduce((sum, row, k) => sum + row[k], 0);
  const perClassAccuracy = confusion.map((row, k) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    return total === 0 ? 0 : row[k] / total;
  });
  const misclassified = tally.mistakes
    .sort((a, b) => b.confidence - a.confidence || a.index - b.index)
    .slice(0, maxMisclassified)
    .map(({ confidence: _confidence, ...mistake }) => ({
      ...mistake,
      pixels: Array.from(split.images.subarray(mistake.index * PIXEL_COUNT, (mistake.index + 1) * PIXEL_COUNT)),
    }));
  const { count } = split;
  return { count, accuracy: correct / count, loss: tally.lossSum / count, perClassAccuracy, confusion, misclassified };
}
