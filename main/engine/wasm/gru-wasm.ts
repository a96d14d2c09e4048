/**
 * `gruSequence` and `gruInference` (rnn/fused-gru.ts) on the wasm backend: the recurrence is
 * one kernel each way (gru-sequence.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { GRU_BACKWARD, GRU_FORWARD, GRU_INFERENCE } from './gru-sequence';
import { inferenceOutput, inputGradient, outputOf, timeMajor } from './sequence-tensors';

type Save = (tensors: tf.Tensor[]) => void;

/** [W; b_i] and [U; b_h] from the kernels and the [2, 3H] bias (row 0 input, row 1 recurrent). */
export function gruKernelInputs(w: tf.Tensor, u: tf.Tensor, bias: tf.Tensor): { w1: tf.Tensor; u1: tf.Tensor } {
  const gates = w.shape[1] as number;
  return {
    w1: tf.concat([w, tf.slice(bias, [0, 0], [1, gates])], 0),
    u1: tf.concat([u, tf.slice(bias, [1, 0], [1, gates])], 0),
  };
}

/** See `gruSequence`; wasm backend with the sequence kernels registered. */
export function gruSequenceWasm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  returnSequences: boolean,
  needsInputGrad: boolean,
): tf.Tensor {
  const [batch, steps, features] = x.shape;
  const units = recurrentKernel.shape[0];
  const gates = 3 * units;
  const op = tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const [xIn, w, u, b] = args as tf.Tensor[];
    const save = args[4] as Save;
    const [h, x1, ah, s, hu] = tf.engine().runKernel<tf.Tensor[]>(GRU_FORWARD, { x: xIn, ...gruKernelInputs(w, u, b) });
    save([w, u, x1, ah, s, hu]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [wSaved, uSaved, x1Saved, ahSaved, sSaved, huSaved] = saved;
      const dyRows = returnSequences ? timeMajor(dy as tf.Tensor3D) : dy;
      const inputs = { dy: dyRows, x1: x1Saved, ah: ahSaved, s: sSaved, hu: huSaved, uT: tf.transpose(uSaved) };
      const [gw, gu, dxw] = tf.engine().runKernel<tf.Tensor[]>(GRU_BACKWARD, inputs, { batch, keepDz: needsInputGrad });
      return [
        inputGradient(dxw, wSaved, [batch, steps, features]),
        tf.slice(gw, [0, 0], [features, gates]),
        tf.slice(gu, [0, 0], [units, gates]),
        tf.concat([tf.slice(gw, [features, 0], [1, gates]), tf.slice(gu, [units, 0], [1, gates])], 0),
      ];
    };
    return { value: outputOf(h, steps, returnSequences), gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}

/** See `gruInference`; wasm backend with the sequence kernels registered. */
export function gruInferenceWasm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  returnSequences: boolean,
): tf.Tensor {
  return inferenceOutput(GRU_INFERENCE, () => ({ x, ...gruKernelInputs(kernel, recurrentKernel, bias) }), x.shape[1], returnSequences);
}
