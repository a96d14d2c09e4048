/**
 * One optimisation step and the loss/accuracy of a set of images, as tensors in and numbers out.
 * Everything here is inside tf.tidy: the tensor count is the same after each call as before.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, Split } from './dataset';
import { gatherBatch } from './dataset';
import { CLASSES, FEATURES, TIME_STEPS } from './model';
import type { ParallelOptions } from './parallel-stepper';
import { createParallelStepper } from './parallel-stepper';

export interface StepResult {
  loss: number;
  /** Batch accuracy, 0–1; NaN when not asked for. */
  accuracy: number;
}

function toTensors(batch: Batch): { xs: tf.Tensor3D; ys: tf.Tensor2D; labels: tf.Tensor1D } {
  const n = batch.labels.length;
  const labels = tf.tensor1d(batch.labels, 'int32');
  return { xs: tf.tensor3d(batch.pixels, [n, TIME_STEPS, FEATURES]), ys: tf.oneHot(labels, CLASSES) as tf.Tensor2D, labels };
}

function accuracyOf(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
}

/**
 * Forward, backward and update on one batch.
 * @param batch pixels [n·784] 0–1, labels [n]
 * @param withAccuracy also measure the batch accuracy (only on the iterations that report it)
 */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batch: Batch, withAccuracy: boolean): StepResult {
  return tf.tidy(() => {
    const { xs, ys, labels } = toTensors(batch);
    let accuracy: tf.Scalar | null = null;
    const loss = optimizer.minimize(() => {
      const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
      if (withAccuracy) accuracy = tf.keep(accuracyOf(logits, labels));
      return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
      // Only this model's weights: other models (a loaded run for the drawing pad) may be alive.
    }, true, model.trainableWeights.map((w) => w.read() as tf.Variable));
    if (!loss) throw new Error('optimizer returned no loss');
    const kept = accuracy as tf.Scalar | null;
    const result = { loss: loss.dataSync()[0], accuracy: kept ? kept.dataSync()[0] : Number.NaN };
    kept?.dispose();
    return result;
  });
}

/** Runs optimisation steps for one model; the engine's only way to train. */
export interface Stepper {
  step(batch: Batch, withAccuracy: boolean): Promise<StepResult>;
  dispose(): void;
}

/**
 * The engine's stepper. With `parallel` (the run's hyperparameters, seed and backend), each
 * batch is split with a helper thread (parallel-stepper.ts), except on the native backend,
 * which already uses every core. Without it, every step runs on this thread.
 */
export function createStepper(model: tf.LayersModel, optimizer: tf.Optimizer, parallel?: ParallelOptions): Stepper {
  const single: Stepper = {
    step: async (batch, withAccuracy) => trainStep(model, optimizer, batch, withAccuracy),
    dispose: () => undefined,
  };
  if (!parallel || parallel.backend === 'tensorflow') return single;
  return createParallelStepper(model, optimizer, parallel, single);
}

/** Mean cross-entropy and accuracy of `model` over all of `split`, in chunks of `chunk` images. */
export function scoreSplit(model: tf.LayersModel, split: Split, chunk = 1000): StepResult {
  let lossSum = 0;
  let correct = 0;
  const out: Batch = { pixels: new Float32Array(chunk * TIME_STEPS * FEATURES), labels: new Int32Array(chunk) };
  for (let start = 0; start < split.count; start += chunk) {
    const n = Math.min(chunk, split.count - start);
    const batch = gatherBatch(split, Array.from({ length: n }, (_, i) => start + i), out);
    const [loss, hits] = tf.tidy(() => {
      const { xs, ys, labels } = toTensors(batch);
      // predict() would otherwise cut the chunk into batches of 32: 1.7× slower here.
      const logits = model.predict(xs, { batchSize: n }) as tf.Tensor2D;
      const lossTotal = tf.mul(tf.losses.softmaxCrossEntropy(ys, logits), n);
      const hitsTotal = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      return [lossTotal.dataSync()[0], hitsTotal.dataSync()[0]];
    });
    lossSum += loss;
    correct += hits;
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}
