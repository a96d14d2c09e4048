/**
 * The LSTM recurrence as one differentiable op with a hand-written backward pass.
 *
 * tfjs-layers' LSTM records ~15 small ops per time step on the autograd tape and replays them
 * backwards, each a separate kernel call. Here the input projection for all steps is one matmul,
 * each step is one matmul plus a few element-wise ops, and the weight gradients are computed
 * after the loop as single large matmuls over all steps. Gate order i, f, o, g; one sigmoid
 * per step covers all four blocks (see `gateScale`). On the wasm backend the whole recurrence
 * is one kernel each way (fused-lstm-wasm.ts); elsewhere it is composed from tfjs ops here.
 */
import * as tf from '@tensorflow/tfjs';
import { gateScale, hasSequenceKernels, lstmInferenceWasm, lstmSequenceWasm, timeMajor } from '../wasm';
import { cellBackward, cellForward } from './lstm-cell';

type Save = (tensors: tf.Tensor[]) => void;

/** Tensors kept from the forward pass of one time step. */
interface StepState {
  /** σ of the step's pre-activations, the g block's taken at 2z (see `gateScale`): [B, 4H]. */
  s: tf.Tensor;
  c: tf.Tensor;
  tanhC: tf.Tensor;
  h: tf.Tensor;
}
const STEP_KEYS = ['s', 'c', 'tanhC', 'h'] as const;

/** Runs all steps; `xw` is the (g-doubled) input projection, time-major: [T·B, 4H]. */
function forwardAll(xw: tf.Tensor, steps: number, recurrent: tf.Tensor): StepState[] {
  const units = recurrent.shape[0];
  const batch = xw.shape[0] / steps;
  const states: StepState[] = [];
  let c = tf.zeros([batch, units]);
  for (let t = 0; t < steps; t++) {
    const xwT = tf.slice(xw, [t * batch, 0], [batch, 4 * units]);
    const prev = states[t - 1];
    const s = tf.sigmoid(prev ? tf.add(xwT, tf.matMul(prev.h, recurrent)) : xwT);
    const next = cellForward(s, c);
    states.push({ s, ...next });
    c = next.c;
  }
  return states;
}

/** Per-step output gradients: from the whole sequence, or only the last step's. */
function outputGrads(dy: tf.Tensor, steps: number, returnSequences: boolean): (tf.Tensor | null)[] {
  if (returnSequences) {
    // Time-major first, so each step is a contiguous slice (tf.unstack copies per piece on wasm).
    const [batch, , units] = dy.shape;
    const rows = timeMajor(dy as tf.Tensor3D);
    return Array.from({ length: steps }, (_, t) => tf.slice(rows, [t * batch, 0], [batch, units]) as tf.Tensor);
  }
  const grads: (tf.Tensor | null)[] = new Array(steps).fill(null);
  grads[steps - 1] = dy as tf.Tensor;
  return grads;
}

function backwardAll(states: StepState[], dy: tf.Tensor, returnSequences: boolean, recurrent: tf.Tensor) {
  const steps = states.length;
  const zeros = tf.zerosLike(states[0].c);
  const recurrentT = tf.transpose(recurrent);
  const dys = outputGrads(dy, steps, returnSequences);
  const dzs: tf.Tensor[] = new Array(steps);
  let dh: tf.Tensor | null = null;
  let dc = zeros;
  for (let t = steps - 1; t >= 0; t--) {
    const dyT = dys[t];
    const dhT = dh && dyT ? tf.add(dh, dyT) : (dh ?? dyT);
    if (!dhT) throw new Error('no gradient reaches the last LSTM step');
    const { s, tanhC } = states[t];
    const step = cellBackward(dhT, dc, s, states[t - 1]?.c ?? zeros, tanhC);
    dzs[t] = step.dz;
    // Step 0's h came from zeros: no gradient to pass on.
    dh = t > 0 ? tf.matMul(step.dz, recurrentT) : null;
    dc = step.dcPrev;
  }
  return tf.concat(dzs, 0) as tf.Tensor;
}

/** Weight (and, when asked, input) gradients from dz, [T·B, 4H], as single large matmuls. */
function weightGrads(dz: tf.Tensor, xs: tf.Tensor, w: tf.Tensor, states: StepState[], needsInputGrad: boolean): tf.Tensor[] {
  const [batch, units] = states[0].h.shape;
  const steps = states.length;
  const features = xs.shape[1] as number;
  const hPrev = tf.concat([tf.zeros([batch, units]), ...states.slice(0, -1).map((s) => s.h)], 0);
  // The wasm backend's Sum over axis 0 is ~10× slower than this matmul with a row of ones.
  const db = tf.reshape(tf.matMul(tf.ones([1, steps * batch]), dz), [4 * units]);
  const dx = needsInputGrad
    ? tf.transpose(tf.reshape(tf.matMul(dz, w, false, true), [steps, batch, features]), [1, 0, 2])
    : tf.zeros([batch, steps, features]);
  return [dx, tf.matMul(xs, dz, true, false), tf.matMul(hPrev, dz, true, false), db];
}

/**
 * LSTM over a whole sequence.
 * @param x [B, T, F] inputs
 * @param kernel [F, 4H] input weights, gate order i, f, o, g
 * @param recurrentKernel [H, 4H] recurrent weights, same order
 * @param bias [4H]
 * @param needsInputGrad false when nothing trainable feeds `x` (the first layer): its gradient,
 *   a [T·B, 4H]×[4H, F] matmul, is then skipped and zeros stand in for it
 * @returns [B, T, H] when `returnSequences`, else the last step's h, [B, H]
 */
export function lstmSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
  needsInputGrad = true,
): tf.Tensor {
  if (hasSequenceKernels()) return lstmSequenceWasm(x, kernel, recurrentKernel, bias, returnSequences, needsInputGrad);
  const op = tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const [xIn, w, u, b] = args as [tf.Tensor3D, tf.Tensor, tf.Tensor, tf.Tensor1D];
    const save = args[4] as Save;
    const { xTimeMajor, states } = forwardSequence(xIn, w, u, b);
    save([xTimeMajor, w, u, ...states.flatMap((s) => STEP_KEYS.map((k) => s[k]))]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, wSaved, uSaved, ...flat] = saved;
      const kept = unflatten(flat);
      const dz = backwardAll(kept, dy, returnSequences, uSaved);
      return weightGrads(dz, xs, wSaved, kept, needsInputGrad);
    };
    return {
      value: outputOf(
        states.map((st) => st.h),
        returnSequences,
      ),
      gradFunc,
    };
  });
  return op(x, kernel, recurrentKernel, bias);
}

/**
 * `lstmSequence` for inference (predictions, evaluation): the same forward pass without the
 * gradient bookkeeping (no per-step tensors saved). Not differentiable on the wasm backend
 * (its kernel has no gradient): train with `lstmSequence`.
 */
export function lstmInference(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  if (hasSequenceKernels()) return lstmInferenceWasm(x, kernel, recurrentKernel, bias, returnSequences);
  // Elsewhere the training forward pass, its per-step state freed by the tidy.
  return tf.tidy(() =>
    outputOf(
      forwardSequence(x, kernel, recurrentKernel, bias).states.map((st) => st.h),
      returnSequences,
    ),
  );
}

/** The forward pass over all steps; x time-major, [T·B, F], is kept for the weight gradients. */
function forwardSequence(xIn: tf.Tensor3D, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor): { xTimeMajor: tf.Tensor; states: StepState[] } {
  const scale = gateScale(u.shape[0]);
  const xTimeMajor = timeMajor(xIn);
  const xw = tf.add(tf.matMul(xTimeMajor, tf.mul(w, scale)), tf.mul(b, scale)) as tf.Tensor;
  return { xTimeMajor, states: forwardAll(xw, xIn.shape[1], tf.mul(u, scale)) };
}

/** [B, T, H] when `returnSequences`, else the last step's h, [B, H]. */
function outputOf(hs: tf.Tensor[], returnSequences: boolean): tf.Tensor {
  return returnSequences ? tf.stack(hs, 1) : hs[hs.length - 1];
}

function unflatten(flat: tf.Tensor[]): StepState[] {
  const states: StepState[] = [];
  for (let k = 0; k < flat.length; k += STEP_KEYS.length) {
    const entries = STEP_KEYS.map((key, j) => [key, flat[k + j]] as const);
    states.push(Object.fromEntries(entries) as unknown as StepState);
  }
  return states;
}
