/**
 * Which pixels moved the answer: gradient × input of the predicted digit's logit, through the
 * same differentiable sequence ops training uses (each layer asked for its input's gradient,
 * which training skips for the first layer). One forward and one backward pass of one image.
 */
import * as tf from '@tensorflow/tfjs';
import { FEATURES, TIME_STEPS } from '../../../common/mnist';
import { gruSequence } from '../rnn/fused-gru';
import { lstmSequence } from '../rnn/fused-lstm';
import { rnnSequence } from '../rnn/fused-simple-rnn';
import type { FastCell, StackWeights } from '../wasm';

type Sequence = (
  x: tf.Tensor3D,
  w: tf.Tensor,
  u: tf.Tensor,
  b: tf.Tensor1D,
  returnSequences: boolean,
  needsInputGrad: boolean,
) => tf.Tensor;

const SEQUENCES: Record<FastCell, Sequence> = { lstm: lstmSequence, gru: gruSequence, rnn: rnnSequence };

/** ∂logit[target]/∂x · x for each of the 784 pixels; 0 wherever the image has no ink. */
export function gradientTimesInput(weights: StackWeights, pixels: Float32Array, target: number): Float32Array {
  const sequence = SEQUENCES[weights.cell];
  const [headWeights, headBias] = weights.head;
  const logit = (x: tf.Tensor): tf.Scalar => {
    let h = x as tf.Tensor3D;
    weights.layers.forEach(([w, u, b], i) => {
      const isLast = i === weights.layers.length - 1;
      h = sequence(h, w, u, b as tf.Tensor1D, !isLast, true) as tf.Tensor3D;
    });
    const logits = tf.add(tf.matMul(h as unknown as tf.Tensor2D, headWeights as tf.Tensor2D), headBias);
    return tf.sum(tf.slice(logits, [0, target], [1, 1]));
  };
  return tf.tidy(() => {
    const x = tf.tensor3d(pixels, [1, TIME_STEPS, FEATURES]);
    const grad = tf.grad(logit)(x);
    return tf.mul(grad, x).dataSync() as Float32Array;
  });
}
