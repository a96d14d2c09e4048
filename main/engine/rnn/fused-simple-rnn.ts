/**
 * The SimpleRNN over a whole sequence, h_t = tanh(x_t·W + h_{t−1}·U + b) (Keras's SimpleRNN;
 * PyTorch's nn.RNN with its two biases summed). On the wasm backend one kernel each way;
 * elsewhere the step-by-step composition below, differentiated by tfjs (also the tests' reference).
 */
import * as tf from '@tensorflow/tfjs';
import { hasSequenceKernels, rnnInferenceWasm, rnnSequenceWasm, timeMajor } from '../wasm';

/** The recurrence from tfjs ops: [B, T, H] when `returnSequences`, else the last h, [B, H]. */
export function rnnComposed(x: tf.Tensor3D, w: tf.Tensor, u: tf.Tensor, bias: tf.Tensor, returnSequences: boolean): tf.Tensor {
  const [batch, steps] = x.shape;
  const units = u.shape[0];
  const xw = tf.add(tf.matMul(timeMajor(x), w), bias);
  let h: tf.Tensor = tf.zeros([batch, units]);
  const hs: tf.Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    h = tf.tanh(tf.add(tf.slice(xw, [t * batch, 0], [batch, units]), tf.matMul(h, u)));
    hs.push(h);
  }
  return returnSequences ? tf.stack(hs, 1) : h;
}

/**
 * SimpleRNN over a whole sequence, differentiable.
 * @param x [B, T, F]; kernel [F, H]; recurrentKernel [H, H]; bias [H]
 * @param needsInputGrad false when nothing trainable feeds `x`: its gradient is then zeros
 */
export function rnnSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
  needsInputGrad = true,
): tf.Tensor {
  if (hasSequenceKernels()) return rnnSequenceWasm(x, kernel, recurrentKernel, bias, returnSequences, needsInputGrad);
  return rnnComposed(x, kernel, recurrentKernel, bias, returnSequences);
}

/** `rnnSequence` for inference; not differentiable on the wasm backend. */
export function rnnInference(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  if (hasSequenceKernels()) return rnnInferenceWasm(x, kernel, recurrentKernel, bias, returnSequences);
  return tf.tidy(() => rnnComposed(x, kernel, recurrentKernel, bias, returnSequences));
}
