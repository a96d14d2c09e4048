/**
 * `rnnSequence` and `rnnInference` (rnn/fused-simple-rnn.ts) on the wasm backend: the
 * recurrence is one kernel each way (rnn-sequence.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { RNN_BACKWARD, RNN_FORWARD, RNN_INFERENCE } from './rnn-sequence';
import { inferenceOutput, inputGradient, outputOf, splitStacked, stackWeights, timeMajor } from './sequence-tensors';

type Save = (tensors: tf.Tensor[]) => void;

/** 2·[W; U; b], [F + H + 1, H]: one product per step, and tanh(z) = 2σ(2z) − 1 from one sigmoid. */
export function doubledRnnWeights(w: tf.Tensor, u: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.mul(stackWeights(w, u, b), 2);
}

/** See `rnnSequence`; wasm backend with the sequence kernels registered. */
export function rnnSequenceWasm(
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
    const [h, a] = tf.engine().runKernel<tf.Tensor[]>(RNN_FORWARD, { x: xIn, k: doubledRnnWeights(w, u, b) });
    save([w, u, a, h]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [wSaved, uSaved, aSaved, hSaved] = saved;
      const dyRows = returnSequences ? timeMajor(dy as tf.Tensor3D) : dy;
      const inputs = { dy: dyRows, a: aSaved, h: hSaved, uT: tf.transpose(uSaved) };
      const [grads, dz] = tf.engine().runKernel<tf.Tensor[]>(RNN_BACKWARD, inputs, { batch, keepDz: needsInputGrad });
      return [inputGradient(dz, wSaved, [batch, steps, features]), ...splitStacked(grads, features, units)];
    };
    return { value: outputOf(h, steps, returnSequences), gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}

/** See `rnnInference`; wasm backend with the sequence kernels registered. */
export function rnnInferenceWasm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  return inferenceOutput(RNN_INFERENCE, () => ({ x, k: doubledRnnWeights(kernel, recurrentKernel, bias) }), x.shape[1], returnSequences);
}
