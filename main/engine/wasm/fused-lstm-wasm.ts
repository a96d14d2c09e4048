/**
 * `lstmSequence` and `lstmInference` on the wasm backend: the recurrence is one kernel each way
 * (lstm-sequence.ts), so a training pass is a handful of tfjs ops instead of ~400.
 */
import * as tf from '@tensorflow/tfjs';
import { SEQUENCE_BACKWARD, SEQUENCE_FORWARD, SEQUENCE_INFERENCE } from './lstm-sequence';
import { inferenceOutput, inputGradient, outputOf, splitStacked, stackWeights, timeMajor } from './sequence-tensors';

type Save = (tensors: tf.Tensor[]) => void;

/**
 * [1, …, 1, 2, …, 2]: the g block's weights and bias are doubled once per pass so that ONE
 * sigmoid covers all four gates, with tanh(z) = 2σ(2z) − 1 for g. (The wasm backend's Sigmoid is
 * an XNNPACK vector kernel; its Tanh is a scalar loop ~10× slower.)
 */
export function gateScale(units: number): tf.Tensor1D {
  return tf.tensor1d(new Float32Array(4 * units).fill(1, 0, 3 * units).fill(2, 3 * units));
}

/** K = [W; U; b] with the g block doubled, [F + H + 1, 4H]: one matmul per step covers all three. */
export function combinedWeights(w: tf.Tensor, u: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const scale = gateScale(u.shape[0]);
  return tf.mul(stackWeights(w, u, b), scale);
}

/** See `lstmSequence` in fused-lstm.ts; wasm backend with the sequence kernels registered. */
export function lstmSequenceWasm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
  needsInputGrad: boolean,
): tf.Tensor {
  const [batch, steps, features] = x.shape;
  const units = recurrentKernel.shape[0];
  const op = tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const [xIn, w, u, b] = args as [tf.Tensor3D, tf.Tensor, tf.Tensor, tf.Tensor1D];
    const save = args[4] as Save;
    const [h, a, s, c, tanhC] = tf.engine().runKernel<tf.Tensor[]>(SEQUENCE_FORWARD, { x: xIn, k: combinedWeights(w, u, b) });
    save([w, u, a, s, c, tanhC]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [wSaved, uSaved, aSaved, sSaved, cSaved, tanhCSaved] = saved;
      const dyRows = returnSequences ? timeMajor(dy as tf.Tensor3D) : dy;
      const inputs = { dy: dyRows, a: aSaved, s: sSaved, c: cSaved, tanhC: tanhCSaved, uT: tf.transpose(uSaved) };
      // The kernel writes dz over s (see lstm-sequence.ts): sSaved holds dz from here on.
      const [grads] = tf.engine().runKernel<tf.Tensor[]>(SEQUENCE_BACKWARD, inputs, { batch });
      const dz = needsInputGrad ? sSaved : undefined;
      return [inputGradient(dz, wSaved, [batch, steps, features]), ...splitStacked(grads, features, units)];
    };
    return { value: outputOf(h, steps, returnSequences), gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}

/** See `lstmInference` in fused-lstm.ts; wasm backend with the sequence kernels registered. */
export function lstmInferenceWasm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  return inferenceOutput(SEQUENCE_INFERENCE, () => ({ x, k: combinedWeights(kernel, recurrentKernel, bias) }), x.shape[1], returnSequences);
}
