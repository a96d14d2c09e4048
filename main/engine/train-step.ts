/**
 * One optimisation step, as tensors in and numbers out, and the stepper the engine trains with.
 * Everything here is inside tf.tidy: the tensor count is the same after each call as before.
 */
import * as tf from '@tensorflow/tfjs';
import { fastAugmentWorkspace } from './wasm';
import type { Batch } from './data/dataset';
import { augmentPart } from './data/batches';
import type { ParallelOptions } from './parallel/parallel-stepper';
import { createParallelStepper } from './parallel/parallel-stepper';
import { batchTensors, scoreSplit } from './score';
import type { StepResult, Stepper } from './stepper';

export type { StepResult, Stepper } from './stepper';

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
    const { xs, ys, labels } = batchTensors(batch);
    let accuracy: tf.Scalar | null = null;
    const loss = optimizer.minimize(
      () => {
        const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
        if (withAccuracy) accuracy = tf.keep(accuracyOf(logits, labels));
        return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
        // Only this model's weights: other models (a loaded run for the drawing pad) may be alive.
      },
      true,
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    if (!loss) throw new Error('optimizer returned no loss');
    const kept = accuracy as tf.Scalar | null;
    const result = { loss: loss.dataSync()[0], accuracy: kept ? kept.dataSync()[0] : Number.NaN };
    kept?.dispose();
    return result;
  });
}

/**
 * The engine's stepper. With `parallel` (the run's hyperparameters, seed and backend), each
 * batch is split with a helper thread (parallel-stepper.ts), except on the native backend,
 * which already uses every core. Without it, every step runs on this thread.
 */
export function createStepper(model: tf.LayersModel, optimizer: tf.Optimizer, parallel?: ParallelOptions): Stepper {
  const work = fastAugmentWorkspace();
  const single: Stepper = {
    step: async (batch, withAccuracy) => {
      if (batch.augment) augmentPart(batch.pixels, 0, batch.labels.length, batch.augment, work);
      return trainStep(model, optimizer, batch, withAccuracy);
    },
    score: async (split) => scoreSplit(model, split),
    dispose: () => undefined,
  };
  if (!parallel || parallel.backend === 'tensorflow') return single;
  return createParallelStepper(model, optimizer, parallel, single);
}
