/**
 * Tensor-level reshaping shared by the whole-sequence kernels' tfjs wrappers (LSTM, GRU,
 * SimpleRNN): the kernels work time-major, rows t·B … t·B + B − 1 holding step t.
 */
import * as tf from '@tensorflow/tfjs';

/** x [B, T, F] time-major, [T·B, F]. */
export function timeMajor(x: tf.Tensor3D): tf.Tensor2D {
  const [batch, steps, features] = x.shape;
  return tf.reshape(tf.transpose(x, [1, 0, 2]), [steps * batch, features]);
}

/** From every step's h, time-major [T·B, H]: [B, T, H] when `returnSequences`, else the last step's, [B, H]. */
export function outputOf(h: tf.Tensor, steps: number, returnSequences: boolean): tf.Tensor {
  const [rows, units] = h.shape as [number, number];
  const batch = rows / steps;
  if (returnSequences) return tf.transpose(tf.reshape(h, [steps, batch, units]), [1, 0, 2]);
  return tf.slice(h, [(steps - 1) * batch, 0], [batch, units]);
}

/** The input gradient from dz [T·B, G] and the input kernel [F, G]: dz·Wᵀ back to [B, T, F]; zeros without dz. */
export function inputGradient(dz: tf.Tensor | undefined, kernel: tf.Tensor, shape: [number, number, number]): tf.Tensor {
  const [batch, steps, features] = shape;
  if (!dz) return tf.zeros(shape);
  return tf.transpose(tf.reshape(tf.matMul(dz, kernel, false, true), [steps, batch, features]), [1, 0, 2]);
}

/** [W; U; b] stacked, [F + H + 1, G]: [x_t | h_{t−1} | 1] times it is the input projection, recurrence and bias at once. */
export function stackWeights(w: tf.Tensor, u: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.concat([w, u, tf.reshape(b, [1, -1])], 0);
}

/** [dW, dU, db] from the gradient of `stackWeights`' matrix, [F + H + 1, G]. */
export function splitStacked(grads: tf.Tensor, features: number, units: number): tf.Tensor[] {
  const width = grads.shape[1] as number;
  return [
    tf.slice(grads, [0, 0], [features, width]),
    tf.slice(grads, [features, 0], [units, width]),
    tf.reshape(tf.slice(grads, [features + units, 0], [1, width]), [width]),
  ];
}

/**
 * An inference kernel's output (every step's h, time-major) as the layer's output; `inputs`
 * is called inside the same tidy, so whatever it derives from the weights is freed too.
 */
export function inferenceOutput(kernelName: string, inputs: () => tf.NamedTensorMap, steps: number, returnSequences: boolean): tf.Tensor {
  return tf.tidy(() => {
    const [h] = tf.engine().runKernel<tf.Tensor[]>(kernelName, inputs());
    return outputOf(h, steps, returnSequences);
  });
}
