/**
 * The element-wise part of one LSTM time step, forward and backward, as three functions. On the
 * wasm backend each is ONE kernel written in JavaScript over views of the wasm heap: a step's
 * dozen-odd tiny ops (each ~20–40 µs of dispatch for a few µs of arithmetic) become one call.
 * Elsewhere they are the same arithmetic composed from tfjs ops.
 *
 * `s` is σ of a step's pre-activations, [B, 4H], gate order i, f, o, g, with the g block taken
 * at 2z so that g = 2s_g − 1 = tanh(z) (see fused-lstm.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendInternals } from './wasm-heap';
import { heapView } from './wasm-heap';

const CELL_STATE = 'LstmCellState';
const CELL_OUTPUT = 'LstmCellOutput';
const CELL_BACKWARD = 'LstmCellBackward';
const STEP_INFERENCE = 'LstmStepInference';

/** Cells (batch × units) up to which inference takes one JavaScript kernel per step, Math.exp included. */
export const SMALL_STEP_CELLS = 4096;

type Views = Float32Array[];

/** Makes float32 outputs of the given shapes, then views of inputs and outputs (in that order). */
function withViews(args: Parameters<KernelFunc>[0], names: string[], shapes: number[][], body: (inputs: Views, outputs: Views) => void): TensorInfo[] {
  const backend = args.backend as unknown as WasmBackendInternals;
  const outputs = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
  const inViews = names.map((name) => heapView(backend, args.inputs[name] as TensorInfo) as Float32Array);
  body(inViews, outputs.map((out) => heapView(backend, out) as Float32Array));
  return outputs;
}

/** c = f·cPrev + i·g; also 2c, the argument of the σ that gives tanh(c). */
const cellStateKernel: KernelFunc = (args) => {
  const [batch, width] = (args.inputs.s as TensorInfo).shape;
  const units = width / 4;
  return withViews(args, ['s', 'cPrev'], [[batch, units], [batch, units]], ([s, cPrev], [c, c2]) => {
    for (let b = 0; b < batch; b++) {
      const row = b * width;
      const out = b * units;
      for (let k = 0; k < units; k++) {
        const value = s[row + units + k] * cPrev[out + k] + s[row + k] * (2 * s[row + 3 * units + k] - 1);
        c[out + k] = value;
        c2[out + k] = 2 * value;
      }
    }
  });
};

/** tanh(c) = 2σ(2c) − 1 from `sc` = σ(2c); h = o·tanh(c). */
const cellOutputKernel: KernelFunc = (args) => {
  const [batch, width] = (args.inputs.s as TensorInfo).shape;
  const units = width / 4;
  return withViews(args, ['s', 'sc'], [[batch, units], [batch, units]], ([s, sc], [tanhC, h]) => {
    for (let b = 0; b < batch; b++) {
      const row = b * width + 2 * units;
      const out = b * units;
      for (let k = 0; k < units; k++) {
        const t = 2 * sc[out + k] - 1;
        tanhC[out + k] = t;
        h[out + k] = s[row + k] * t;
      }
    }
  });
};

/** dz (w.r.t. the pre-activations z, [B, 4H]) and dcPrev from dh, dcNext and the step's state. */
const cellBackwardKernel: KernelFunc = (args) => {
  const [batch, width] = (args.inputs.s as TensorInfo).shape;
  const units = width / 4;
  const names = ['dh', 'dcNext', 's', 'cPrev', 'tanhC'];
  return withViews(args, names, [[batch, width], [batch, units]], ([dh, dcNext, s, cPrev, tanhC], [dz, dcPrev]) => {
    for (let b = 0; b < batch; b++) {
      const row = b * width;
      const at = b * units;
      for (let k = 0; k < units; k++) {
        const i = s[row + k];
        const f = s[row + units + k];
        const o = s[row + 2 * units + k];
        const g = 2 * s[row + 3 * units + k] - 1;
        const t = tanhC[at + k];
        const dhk = dh[at + k];
        const dc = dcNext[at + k] + dhk * o * (1 - t * t);
        dz[row + k] = dc * g * i * (1 - i);
        dz[row + units + k] = dc * cPrev[at + k] * f * (1 - f);
        dz[row + 2 * units + k] = dhk * t * o * (1 - o);
        dz[row + 3 * units + k] = dc * i * (1 - g * g);
        dcPrev[at + k] = dc * f;
      }
    }
  });
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A whole inference step for small batches: z = xw (rows of step `step`, g block doubled) + hU,
 * the gates with Math.exp, then c and h. For one image that is 640 exps, far cheaper than the
 * five tfjs ops (and their dispatch) it replaces.
 */
const stepInferenceKernel: KernelFunc = (args) => {
  const [batch, width] = (args.inputs.hU as TensorInfo).shape;
  const units = width / 4;
  const offset = (args.attrs as { step: number }).step * batch * width;
  return withViews(args, ['xw', 'hU', 'cPrev'], [[batch, units], [batch, units]], ([xw, hU, cPrev], [c, h]) => {
    for (let b = 0; b < batch; b++) {
      const row = b * width;
      const at = b * units;
      for (let k = 0; k < units; k++) {
        const x = offset + row + k;
        const r = row + k;
        const g = 2 * sigmoid(xw[x + 3 * units] + hU[r + 3 * units]) - 1;
        const value = sigmoid(xw[x + units] + hU[r + units]) * cPrev[at + k] + sigmoid(xw[x] + hU[r]) * g;
        c[at + k] = value;
        h[at + k] = sigmoid(xw[x + 2 * units] + hU[r + 2 * units]) * (2 * sigmoid(2 * value) - 1);
      }
    }
  });
};

/** Registers the cell kernels for the wasm backend; later calls are no-ops. */
export function registerLstmCellKernels(): void {
  const kernels: [string, KernelFunc][] = [
    [CELL_STATE, cellStateKernel], [CELL_OUTPUT, cellOutputKernel], [CELL_BACKWARD, cellBackwardKernel], [STEP_INFERENCE, stepInferenceKernel],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}

function hasKernels(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(CELL_BACKWARD, 'wasm') !== undefined;
}

/** Gate `k` (0 i, 1 f, 2 o, 3 g's σ) of `s`, [B, H]. Slices, not tf.split: wasm's Split copies its whole input per piece. */
function gate(s: tf.Tensor, k: number): tf.Tensor {
  const units = s.shape[1] as number / 4;
  return tf.slice(s, [0, k * units], [s.shape[0], units]);
}

/**
 * One inference step for a small batch on wasm, or null where that path does not apply.
 * @param xw the (g-doubled) input projection of all steps, time-major [T·B, 4H]
 * @param hU the previous h times the (g-doubled) recurrent kernel, [B, 4H]
 */
export function smallStepInference(xw: tf.Tensor, hU: tf.Tensor, cPrev: tf.Tensor, step: number): { c: tf.Tensor; h: tf.Tensor } | null {
  if (!hasKernels() || cPrev.size > SMALL_STEP_CELLS) return null;
  const [c, h] = tf.engine().runKernel<tf.Tensor[]>(STEP_INFERENCE, { xw, hU, cPrev }, { step });
  return { c, h };
}

/** Forward element-wise step: the new cell state c, tanh(c) and h, each [B, H]. */
export function cellForward(s: tf.Tensor, cPrev: tf.Tensor): { c: tf.Tensor; tanhC: tf.Tensor; h: tf.Tensor } {
  if (hasKernels()) {
    const [c, c2] = tf.engine().runKernel<tf.Tensor[]>(CELL_STATE, { s, cPrev });
    const [tanhC, h] = tf.engine().runKernel<tf.Tensor[]>(CELL_OUTPUT, { s, sc: tf.sigmoid(c2) });
    return { c, tanhC, h };
  }
  const g = tf.sub(tf.mul(gate(s, 3), 2), 1);
  const c = tf.add(tf.mul(gate(s, 1), cPrev), tf.mul(gate(s, 0), g));
  // tanh(x) = 2σ(2x) − 1: the wasm backend's Tanh is a scalar loop, its Sigmoid XNNPACK's.
  const tanhC = tf.sub(tf.mul(tf.sigmoid(tf.mul(c, 2)), 2), 1);
  return { c, tanhC, h: tf.mul(gate(s, 2), tanhC) };
}

/** Backward element-wise step: dz w.r.t. the pre-activations, [B, 4H], and the gradient for cPrev, [B, H]. */
export function cellBackward(dh: tf.Tensor, dcNext: tf.Tensor, s: tf.Tensor, cPrev: tf.Tensor, tanhC: tf.Tensor): { dz: tf.Tensor; dcPrev: tf.Tensor } {
  if (hasKernels()) {
    const [dz, dcPrev] = tf.engine().runKernel<tf.Tensor[]>(CELL_BACKWARD, { dh, dcNext, s, cPrev, tanhC });
    return { dz, dcPrev };
  }
  const [i, f, o, sg] = [0, 1, 2, 3].map((k) => gate(s, k));
  const g = tf.sub(tf.mul(sg, 2), 1);
  const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tanhC))));
  const sigmoidDeriv = (x: tf.Tensor) => tf.mul(x, tf.sub(1, x));
  const dz = tf.concat([
    tf.mul(tf.mul(dc, g), sigmoidDeriv(i)),
    tf.mul(tf.mul(dc, cPrev), sigmoidDeriv(f)),
    tf.mul(tf.mul(dh, tanhC), sigmoidDeriv(o)),
    tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
  ], 1);
  return { dz, dcPrev: tf.mul(dc, f) };
}
