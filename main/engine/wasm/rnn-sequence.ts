/**
 * The whole SimpleRNN recurrence, h_t = tanh(x_t·W + h_{t−1}·U + b), forward and backward, as
 * one wasm-backend kernel each, built like the LSTM's (lstm-sequence.ts): each step is one
 * product A_t·K with A_t = [x_t | h_{t−1} | 1] and K = [W; U; b], and the weight gradients
 * of all steps are one product Aᵀ·dz after the loop.
 *
 * K comes in doubled (2K), so that one XNNPACK sigmoid gives tanh(z) = 2σ(2z) − 1 (the wasm
 * backend's Tanh is a scalar loop ~10× slower than its Sigmoid).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { addOutputGrad, copyRows, fillInputs, weightGrads } from './sequence-heap';
import type { DirectBackend } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

export const RNN_FORWARD = 'RnnSequenceForward';
export const RNN_INFERENCE = 'RnnSequenceInference';
export const RNN_BACKWARD = 'RnnSequenceBackward';

type KernelArgs = Parameters<KernelFunc>[0];

const FLOAT = 4;

/**
 * Runs all steps. With `keep`, every step's A gets its own rows (for the backward pass);
 * without, two steps' worth alternate. @returns h [T·B, H], then (with `keep`) A [T·B, F+H+1]
 */
function runForward(backend: DirectBackend, x: TensorInfo, k: TensorInfo, keep: boolean): TensorInfo[] {
  const [batch, steps, features] = x.shape;
  const units = k.shape[1];
  const width = features + units + 1;
  const h = backend.makeOutput([steps * batch, units], 'float32');
  const a = backend.makeOutput([keep ? steps * batch : 2 * batch, width], 'float32');
  const direct = WasmDirect.of(backend);
  try {
    const aAt = (t: number) => direct.offsetOf(a) + (keep ? t : t % 2) * batch * width * FLOAT;
    const hAt = (t: number) => direct.offsetOf(h) + t * batch * units * FLOAT;
    const xView = () => direct.view(direct.offsetOf(x), batch * steps * features);
    const kRegion = direct.region(direct.offsetOf(k), 0, width, units);
    direct.view(aAt(0), batch * width).fill(0);
    for (let t = 0; t < steps; t++) {
      fillInputs(direct.view(aAt(t), batch * width), xView(), width, { batch, steps, features }, t);
      const out = direct.region(hAt(t), 0, batch, units);
      direct.matMul(direct.region(aAt(t), 0, batch, width), kRegion, out);
      direct.sigmoid(out, out);
      const hv = direct.view(hAt(t), batch * units);
      for (let j = 0; j < hv.length; j++) hv[j] = 2 * hv[j] - 1;
      if (t < steps - 1) copyRows(hv, direct.view(aAt(t + 1), batch * width), batch, units, width, features);
    }
  } finally {
    direct.releaseAll();
    if (!keep) backend.disposeData(a.dataId);
  }
  return keep ? [h, a] : [h];
}

/** Training forward: x [B, T, F], k = 2·[W; U; b] [F+H+1, H] → h, A. */
const forwardKernel: KernelFunc = (args: KernelArgs) => {
  const { x, k } = args.inputs as { x: TensorInfo; k: TensorInfo };
  return runForward(args.backend as unknown as DirectBackend, x, k, true);
};

/** Inference forward: x, k as above → the h of every step, [T·B, H]. */
const inferenceKernel: KernelFunc = (args: KernelArgs) => {
  const { x, k } = args.inputs as { x: TensorInfo; k: TensorInfo };
  return runForward(args.backend as unknown as DirectBackend, x, k, false);
};

/**
 * Backward: dz_t = (dy_t + dz_{t+1}·Uᵀ) ⊙ (1 − h_t²) for every step, then [dW; dU; db] = Aᵀ·dz.
 * Inputs: dy ([B, H], or time-major [T·B, H] for every step), a and h from the forward
 * kernel, uT [H, H] (U transposed, NOT doubled). Attributes: `batch`, `keepDz`.
 * Outputs: grads [F + H + 1, H], then (with `keepDz`) dz [T·B, H].
 */
const backwardKernel: KernelFunc = (args: KernelArgs) => {
  const inputs = args.inputs as Record<'dy' | 'a' | 'h' | 'uT', TensorInfo>;
  const [rows, width] = inputs.a.shape;
  const units = inputs.uT.shape[0];
  const { batch, keepDz } = args.attrs as { batch: number; keepDz: boolean };
  const steps = rows / batch;
  const sequence = inputs.dy.shape[0] === rows;
  const backend = args.backend as unknown as DirectBackend;
  const direct = WasmDirect.of(backend);
  const cells = batch * units;
  const [grads, dz, dh] = [
    [width, units],
    [rows, units],
    [batch, units],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  try {
    const base = (info: TensorInfo) => direct.offsetOf(info);
    const dhRegion = direct.region(base(dh), 0, batch, units);
    const uT = direct.region(base(inputs.uT), 0, units, units);
    for (let t = steps - 1; t >= 0; t--) {
      if (t < steps - 1) direct.matMul(direct.region(base(dz), (t + 1) * batch, batch, units), uT, dhRegion);
      const dhv = direct.view(base(dh), cells);
      if (t === steps - 1) dhv.fill(0);
      addOutputGrad(direct, dhv, base(inputs.dy), t, steps, sequence);
      const hv = direct.view(base(inputs.h) + t * cells * FLOAT, cells);
      const dzv = direct.view(base(dz) + t * cells * FLOAT, cells);
      for (let j = 0; j < cells; j++) dzv[j] = dhv[j] * (1 - hv[j] * hv[j]);
    }
    weightGrads(backend, direct.region(base(inputs.a), 0, rows, width), direct.region(base(dz), 0, rows, units), grads);
  } finally {
    direct.releaseAll();
    for (const info of [dh, ...(keepDz ? [] : [dz])]) backend.disposeData(info.dataId);
  }
  return keepDz ? [grads, dz] : [grads];
};

export const RNN_KERNELS: [string, KernelFunc][] = [
  [RNN_FORWARD, forwardKernel],
  [RNN_INFERENCE, inferenceKernel],
  [RNN_BACKWARD, backwardKernel],
];
