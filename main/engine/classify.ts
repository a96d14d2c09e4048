/**
 * The digit a model reads in each of many images, in one batched pass per chunk: how a saved run
 * is scored on the person's own digits (issue 17). Float input, so the digits are read exactly as
 * the drawing pad's predictions read them. Everything inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { PIXEL_COUNT } from '../../common/api';
import { StudioError } from '../../common/errors';
import { FEATURES, TIME_STEPS } from './model';

/** Images per forward pass, as evaluate.ts chunks the test set (bounds the wasm heap). */
const CHUNK = 250;

/**
 * @param pixels [n × 784] flattened, row-major, 0–1
 * @returns the argmax of the model's output for each image, [n], 0–9
 */
export function classifyImages(model: tf.LayersModel, pixels: Float32Array): number[] {
  if (pixels.length % PIXEL_COUNT !== 0) {
    throw new StudioError('invalid-input', `classify: expected a multiple of ${PIXEL_COUNT} pixels, got ${pixels.length}`);
  }
  const count = pixels.length / PIXEL_COUNT;
  const answers: number[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const chunk = pixels.subarray(start * PIXEL_COUNT, (start + n) * PIXEL_COUNT);
    const predicted = tf.tidy(() => {
      const xs = tf.tensor3d(chunk, [n, TIME_STEPS, FEATURES]);
      return tf.argMax(model.predict(xs, { batchSize: n }) as tf.Tensor2D, 1).dataSync();
    });
    answers.push(...Array.from(predicted));
  }
  return answers;
}
