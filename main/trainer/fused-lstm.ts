/**
 * The LSTM recurrence as one differentiable op with a hand-written backward pass.
 *
 * tfjs-layers' LSTM records ~15 small ops per time step on the autograd tape and replays them
 * backwards, each a separate kernel call. Here the input projection for all steps is one matmul,
 * each step is one matmul plus a few element-wise ops, and the weight gradients are computed
 * after the loop as single large matmuls over all steps. Gate order is i, f, o, g (the three
 * sigmoid gates first, so one sigmoid covers them).
 */
import * as tf from '@tensorflow/tfjs';

type Save = (tensors: tf.Tensor[]) => void;

/** Tensors kept from the forward pass of one time step. */
interface StepState {
  i: tf.Tensor;
  f: tf.Tensor;
  o: tf.Tensor;
  g: tf.Tensor;
  c: tf.Tensor;
  tanhC: tf.Tensor;
  h: tf.Tensor;
}
const STEP_KEYS = ['i', 'f', 'o', 'g', 'c', 'tanhC', 'h'] as const;

/**
 * tanh through the sigmoid, tanh(x) = 2σ(2x) − 1: the wasm backend's Sigmoid is an XNNPACK
 * vector kernel while its Tanh is a scalar loop, about 10× slower on a [128, 128] tensor.
 */
function tanh(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/** One forward step: z = x·W + b (precomputed) + h·U, then the gates and the new c, h. */
function forwardStep(xw: tf.Tensor, prev: StepState | null, recurrent: tf.Tensor, units: number): StepState {
  const z = prev ? tf.add(xw, tf.matMul(prev.h, recurrent)) : xw;
  const batch = z.shape[0];
  // Slices, not tf.split: the wasm Split kernel copies its whole input per piece.
  const sig = tf.sigmoid(tf.slice(z, [0, 0], [batch, 3 * units]));
  const [i, f, o] = [0, 1, 2].map((k) => tf.slice(sig, [0, k * units], [batch, units]));
  const g = tanh(tf.slice(z, [0, 3 * units], [batch, units]));
  const c = prev ? tf.add(tf.mul(f, prev.c), tf.mul(i, g)) : tf.mul(i, g);
  const tanhC = tanh(c);
  return { i, f, o, g, c, tanhC, h: tf.mul(o, tanhC) };
}

/** Runs all steps; `xw` is the input projection, time-major: [T·B, 4H]. */
function forwardAll(xw: tf.Tensor, steps: number, recurrent: tf.Tensor): StepState[] {
  const units = recurrent.shape[0];
  const batch = xw.shape[0] / steps;
  const states: StepState[] = [];
  for (let t = 0; t < steps; t++) {
    const xwT = tf.slice(xw, [t * batch, 0], [batch, 4 * units]);
    states.push(forwardStep(xwT, states[t - 1] ?? null, recurrent, units));
  }
  return states;
}

/**
 * One backward step. `dh` is the loss gradient w.r.t. this step's h, `dcNext` the part of the
 * gradient w.r.t. this step's c that flows back from step t+1. Returns dz (pre-activation
 * gradient, [B, 4H]) and the gradients for the previous step's h and c.
 */
function backwardStep(s: StepState, prevC: tf.Tensor | null, dh: tf.Tensor, dcNext: tf.Tensor | null, recurrentT: tf.Tensor) {
  const dcHere = tf.mul(tf.mul(dh, s.o), tf.sub(1, tf.square(s.tanhC)));
  const dc = dcNext ? tf.add(dcNext, dcHere) : dcHere;
  const di = tf.mul(dc, s.g);
  const df = prevC ? tf.mul(dc, prevC) : tf.zerosLike(dc);
  const dO = tf.mul(dh, s.tanhC);
  const dg = tf.mul(dc, s.i);
  const sig = tf.concat([s.i, s.f, s.o], 1);
  const dSig = tf.mul(tf.concat([di, df, dO], 1), tf.mul(sig, tf.sub(1, sig)));
  const dz = tf.concat([dSig, tf.mul(dg, tf.sub(1, tf.square(s.g)))], 1) as tf.Tensor;
  return { dz, dhPrev: tf.matMul(dz, recurrentT), dcPrev: tf.mul(dc, s.f) };
}

/** Per-step output gradients: from the whole sequence, or only the last step's. */
function outputGrads(dy: tf.Tensor, steps: number, returnSequences: boolean): (tf.Tensor | null)[] {
  if (returnSequences) {
    // Time-major first, so each step is a contiguous slice (tf.unstack copies per piece on wasm).
    const [batch, , units] = dy.shape;
    const timeMajor = tf.reshape(tf.transpose(dy, [1, 0, 2]), [steps * batch, units]);
    return Array.from({ length: steps }, (_, t) => tf.slice(timeMajor, [t * batch, 0], [batch, units]) as tf.Tensor);
  }
  const grads: (tf.Tensor | null)[] = new Array(steps).fill(null);
  grads[steps - 1] = dy as tf.Tensor;
  return grads;
}

function backwardAll(states: StepState[], dy: tf.Tensor, returnSequences: boolean, recurrent: tf.Tensor) {
  const steps = states.length;
  const recurrentT = tf.transpose(recurrent);
  const dys = outputGrads(dy, steps, returnSequences);
  const dzs: tf.Tensor[] = new Array(steps);
  let dh: tf.Tensor | null = null;
  let dc: tf.Tensor | null = null;
  for (let t = steps - 1; t >= 0; t--) {
    const dyT = dys[t];
    const dhT = dh && dyT ? tf.add(dh, dyT) : (dh ?? dyT);
    if (!dhT) throw new Error('no gradient reaches the last LSTM step');
    const step = backwardStep(states[t], states[t - 1]?.c ?? null, dhT, dc, recurrentT);
    dzs[t] = step.dz;
    dh = step.dhPrev;
    dc = step.dcPrev;
  }
  return tf.concat(dzs, 0) as tf.Tensor;
}

/**
 * LSTM over a whole sequence.
 * @param x [B, T, F] inputs
 * @param kernel [F, 4H] input weights, gate order i, f, o, g
 * @param recurrentKernel [H, 4H] recurrent weights, same order
 * @param bias [4H]
 * @returns [B, T, H] when `returnSequences`, else the last step's h, [B, H]
 */
export function lstmSequence(x: tf.Tensor3D, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor1D, returnSequences: boolean): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const [xIn, w, u, b] = args as [tf.Tensor3D, tf.Tensor, tf.Tensor, tf.Tensor1D];
    const save = args[4] as Save;
    const [batch, steps, features] = xIn.shape;
    const units = u.shape[0];
    const xTimeMajor = tf.reshape(tf.transpose(xIn, [1, 0, 2]), [steps * batch, features]) as tf.Tensor;
    const xw = tf.add(tf.matMul(xTimeMajor, w), b) as tf.Tensor;
    const states = forwardAll(xw, steps, u);
    save([xTimeMajor, w, u, ...states.flatMap((s) => STEP_KEYS.map((k) => s[k]))]);
    const value = returnSequences ? tf.stack(states.map((s) => s.h), 1) : states[steps - 1].h;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, wSaved, uSaved, ...flat] = saved ;
      const kept = unflatten(flat);
      const dz = backwardAll(kept, dy, returnSequences, uSaved);
      const hPrev = tf.concat([tf.zeros([batch, units]), ...kept.slice(0, -1).map((s) => s.h)], 0);
      const dx = tf.transpose(tf.reshape(tf.matMul(dz, wSaved, false, true), [steps, batch, features]), [1, 0, 2]);
      return [dx, tf.matMul(xs, dz, true, false), tf.matMul(hPrev, dz, true, false), tf.sum(dz, 0)];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}

function unflatten(flat: tf.Tensor[]): StepState[] {
  const states: StepState[] = [];
  for (let k = 0; k < flat.length; k += STEP_KEYS.length) {
    const entries = STEP_KEYS.map((key, j) => [key, flat[k + j]] as const);
    states.push(Object.fromEntries(entries) as unknown as StepState);
  }
  return states;
}
