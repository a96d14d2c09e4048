/**
 * Gradients of the mean loss over part of a batch, and their combination into the gradient of
 * the whole batch: the arithmetic that lets two threads share one training step.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors } from './score';
import { SeededDropout } from './seeded-dropout';

/** Images and labels of one part of a batch. */
export interface BatchPart {
  /** `[n·784]`, 0–1. */
  pixels: Float32Array;
  /** `[n]`, 0–9. */
  labels: Int32Array;
}

/** One part's contribution: per-weight gradients of the part's MEAN loss, in `trainableVariables` order. */
export interface PartGradients {
  grads: tf.Tensor[];
  /** Mean cross-entropy over the part. */
  loss: number;
  /** Correctly classified images in the part; NaN when not asked for. */
  correct: number;
  count: number;
}

/** The model's trainable weights as variables, in a fixed order (the same in every thread). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** The model's dropout layers, in layer order (their call counts pick the masks). */
export function dropoutLayers(model: tf.LayersModel): SeededDropout[] {
  return model.layers.filter((layer): layer is SeededDropout => layer instanceof SeededDropout);
}

/** Shapes of `trainableVariables(model)`, for checking that two threads built the same model. */
export function weightShapes(model: tf.LayersModel): number[][] {
  return model.trainableWeights.map((w) => [...w.shape] as number[]);
}

/**
 * Forward and backward on `part` (training mode), no update. The caller owns (and disposes)
 * the returned gradient tensors; everything else is freed.
 */
export function partGradients(model: tf.LayersModel, part: BatchPart, withAccuracy: boolean): PartGradients {
  const count = part.labels.length;
  const variables = trainableVariables(model);
  let correct = Number.NaN;
  const { value, grads } = tf.tidy(() => {
    const { xs, ys, labels } = batchTensors(part);
    return tf.variableGrads(() => {
      const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
      if (withAccuracy) correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')).dataSync()[0]);
      return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
    }, variables);
  });
  const loss = value.dataSync()[0];
  value.dispose();
  return { grads: variables.map((v) => grads[v.name]), loss, correct, count };
}

/**
 * The gradient of the whole batch's mean loss from its parts' mean-loss gradients: each part
 * weighted by its share of the images. Parts are summed in the order given, so the result
 * does not depend on which thread finished first.
 */
export function combineGradients(parts: PartGradients[]): tf.Tensor[] {
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  return tf.tidy(() =>
    parts[0].grads.map((_, k) => parts.map((p) => tf.mul(p.grads[k], p.count / total)).reduce((sum, g) => tf.add(sum, g))),
  );
}

/** Loss and accuracy of the whole batch from its parts. */
export function combineScores(parts: PartGradients[]): { loss: number; accuracy: number } {
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  const loss = parts.reduce((sum, p) => sum + p.loss * p.count, 0) / total;
  const accuracy = parts.reduce((sum, p) => sum + p.correct, 0) / total;
  return { loss, accuracy };
}

/** Applies whole-batch gradients (in `trainableVariables` order) with the optimizer. */
export function applyGradients(model: tf.LayersModel, optimizer: tf.Optimizer, grads: tf.Tensor[]): void {
  const named: tf.NamedTensorMap = {};
  trainableVariables(model).forEach((v, k) => {
    named[v.name] = grads[k];
  });
  optimizer.applyGradients(named);
}
