/**
 * The GRU over a whole sequence, reset gate applied after the recurrent product as in
 * PyTorch's nn.GRU and Keras's GRU(reset_after=True), gate order z, r, n (see
 * wasm/gru-sequence.ts for the maths). On the wasm backend one kernel each way; elsewhere the
 * step-by-step composition below, differentiated by tfjs (it is also the tests' reference).
 */
import * as tf from '@tensorflow/tfjs';
import { gruInferenceWasm, gruSequenceWasm, hasSequenceKernels, timeMajor } from '../wasm';

/** The recurrence from tfjs ops: [B, T, H] when `returnSequences`, else the last h, [B, H]. */
export function gruComposed(x: tf.Tensor3D, w: tf.Tensor, u: tf.Tensor, bias: tf.Tensor, returnSequences: boolean): tf.Tensor {
  const [batch, steps] = x.shape;
  const units = u.shape[0];
  const [bi, bh] = tf.unstack(bias);
  const xw = tf.add(tf.matMul(timeMajor(x), w), bi);
  let h: tf.Tensor = tf.zeros([batch, units]);
  const hs: tf.Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const [xz, xr, xn] = tf.split(tf.slice(xw, [t * batch, 0], [batch, 3 * units]), 3, 1);
    const [hz, hr, hn] = tf.split(tf.add(tf.matMul(h, u), bh), 3, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
    hs.push(h);
  }
  return returnSequences ? tf.stack(hs, 1) : h;
}

/**
 * GRU over a whole sequence, differentiable.
 * @param x [B, T, F]; kernel [F, 3H]; recurrentKernel [H, 3H]; bias [2, 3H] (input, recurrent)
 * @param needsInputGrad false when nothing trainable feeds `x`: its gradient is then zeros
 */
export function gruSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  returnSequences: boolean,
  needsInputGrad = true,
): tf.Tensor {
  if (hasSequenceKernels()) return gruSequenceWasm(x, kernel, recurrentKernel, bias, returnSequences, needsInputGrad);
  return gruComposed(x, kernel, recurrentKernel, bias, returnSequences);
}

/** `gruSequence` for inference; not differentiable on the wasm backend. */
export function gruInference(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  returnSequences: boolean,
): tf.Tensor {
  if (hasSequenceKernels()) return gruInferenceWasm(x, kernel, recurrentKernel, bias, returnSequences);
  return tf.tidy(() => gruComposed(x, kernel, recurrentKernel, bias, returnSequences));
}
