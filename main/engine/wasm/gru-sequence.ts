/**
 * The whole GRU recurrence, forward and backward, as one wasm-backend kernel each, with the
 * gate maths of PyTorch's nn.GRU and Keras's GRU(reset_after=True), gate order z, r, n:
 *   z = σ(xW_z + b_iz + hU_z + b_hz),  r = σ(xW_r + b_ir + hU_r + b_hr),
 *   n = tanh(xW_n + b_in + r ⊙ (hU_n + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h.
 * Unlike the LSTM's one product per step, the input projection of all steps is ONE product
 * X₁·[W; b_i] before the loop (the reset gate multiplies only the recurrent part of n, so the
 * two cannot share a product), then each step is [h | 1]·[U; b_h]. The weight gradients of all
 * steps are then two products: X₁ᵀ·d(xw) and [h | 1]ᵀ·d(hu).
 *
 * Layout: time-major, rows t·B … t·B + B − 1 hold step t; `s` rows are [z | r | n].
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { addOutputGrad, copyRows, fillInputs, weightGrads } from './sequence-heap';
import type { DirectBackend } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

export const GRU_FORWARD = 'GruSequenceForward';
export const GRU_INFERENCE = 'GruSequenceInference';
export const GRU_BACKWARD = 'GruSequenceBackward';

type KernelArgs = Parameters<KernelFunc>[0];

const FLOAT = 4;

/** Byte offsets of one step's rows. */
interface StepPlace {
  /** [B, 3H] input projection x_t·W + b_i. */
  xw: number;
  /** [B, H + 1]: h_{t−1}, 1. */
  ah: number;
  /** [B, H + 1] of step t + 1; null at the last step. */
  ahNext: number | null;
  /** [B, 3H] z, r, n. */
  s: number;
  /** [B, 3H] h_{t−1}·U + b_h. */
  hu: number;
  /** [B, H] h_t. */
  h: number;
  /** [B, H] scratch for the argument of n's sigmoid. */
  scratch: number;
}

/** One forward step; see the file comment for the maths. n = tanh(a) is 2σ(2a) − 1 (one XNNPACK sigmoid). */
function forwardStep(direct: WasmDirect, batch: number, units: number, u1: ReturnType<WasmDirect['region']>, at: StepPlace): void {
  const gates = 3 * units;
  const width = units + 1;
  direct.matMul(direct.region(at.ah, 0, batch, width), u1, direct.region(at.hu, 0, batch, gates));
  let [xw, hu, s] = [at.xw, at.hu, at.s].map((offset) => direct.view(offset, batch * gates));
  for (let b = 0; b < batch; b++) {
    const row = b * gates;
    for (let j = row; j < row + 2 * units; j++) s[j] = xw[j] + hu[j];
    s.fill(0, row + 2 * units, row + gates);
  }
  const sRegion = direct.region(at.s, 0, batch, gates);
  direct.sigmoid(sRegion, sRegion);
  [xw, hu, s] = [at.xw, at.hu, at.s].map((offset) => direct.view(offset, batch * gates));
  let scratch = direct.view(at.scratch, batch * units);
  for (let b = 0; b < batch; b++) {
    const row = b * gates;
    for (let k = 0; k < units; k++) {
      const n = row + 2 * units + k;
      scratch[b * units + k] = 2 * (xw[n] + s[row + units + k] * hu[n]);
    }
  }
  const scratchRegion = direct.region(at.scratch, 0, batch, units);
  direct.sigmoid(scratchRegion, scratchRegion);
  [s, scratch] = [direct.view(at.s, batch * gates), direct.view(at.scratch, batch * units)];
  const [ah, h] = [direct.view(at.ah, batch * width), direct.view(at.h, batch * units)];
  for (let b = 0; b < batch; b++) {
    const row = b * gates;
    for (let k = 0; k < units; k++) {
      const n = 2 * scratch[b * units + k] - 1;
      const z = s[row + k];
      s[row + 2 * units + k] = n;
      h[b * units + k] = (1 - z) * n + z * ah[b * width + k];
    }
  }
  if (at.ahNext !== null) copyRows(h, direct.view(at.ahNext, batch * width), batch, units, width, 0);
}

/** Sets the trailing 1 of each row of [B, H + 1] (the h part is written by the step before). */
function setOnes(ah: Float32Array, batch: number, width: number): void {
  for (let b = 0; b < batch; b++) ah[b * width + width - 1] = 1;
}

/**
 * Runs all steps. With `keep`, every step's rows of X₁, [h | 1], s and hu are kept (for the
 * backward pass); without, one step's worth is reused and only h is complete.
 * @returns h [T·B, H], then (with `keep`) X₁ [T·B, F+1], AH [T·B, H+1], s and hu [T·B, 3H]
 */
function runForward(backend: DirectBackend, x: TensorInfo, w1: TensorInfo, u1: TensorInfo, keep: boolean): TensorInfo[] {
  const [batch, steps, features] = x.shape;
  const gates = w1.shape[1];
  const units = gates / 3;
  const rows = steps * batch;
  const rowsKept = keep ? rows : batch;
  const h = backend.makeOutput([rows, units], 'float32');
  const x1 = backend.makeOutput([rows, features + 1], 'float32');
  const kept = [
    [keep ? rows : 2 * batch, units + 1],
    [rowsKept, gates],
    [rowsKept, gates],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  const work = [
    [rows, gates],
    [batch, units],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  const direct = WasmDirect.of(backend);
  try {
    const [ahBase, sBase, huBase] = kept.map((info) => direct.offsetOf(info));
    const [xwBase, scratch] = work.map((info) => direct.offsetOf(info));
    const x1View = direct.view(direct.offsetOf(x1), rows * (features + 1));
    const xView = direct.view(direct.offsetOf(x), rows * features);
    for (let t = 0; t < steps; t++) {
      fillInputs(x1View.subarray(t * batch * (features + 1)), xView, features + 1, { batch, steps, features }, t);
    }
    direct.matMul(
      direct.region(direct.offsetOf(x1), 0, rows, features + 1),
      direct.region(direct.offsetOf(w1), 0, features + 1, gates),
      direct.region(xwBase, 0, rows, gates),
    );
    const at = (base: number, t: number, cols: number) => base + (keep ? t : 0) * batch * cols * FLOAT;
    const ahAt = (t: number) => ahBase + (keep ? t : t % 2) * batch * (units + 1) * FLOAT;
    const u1Region = direct.region(direct.offsetOf(u1), 0, units + 1, gates);
    direct.view(ahAt(0), batch * (units + 1)).fill(0);
    for (let t = 0; t < steps; t++) {
      setOnes(direct.view(ahAt(t), batch * (units + 1)), batch, units + 1);
      const place: StepPlace = {
        xw: xwBase + t * batch * gates * FLOAT,
        ah: ahAt(t),
        ahNext: t < steps - 1 ? ahAt(t + 1) : null,
        s: at(sBase, t, gates),
        hu: at(huBase, t, gates),
        h: direct.offsetOf(h) + t * batch * units * FLOAT,
        scratch,
      };
      forwardStep(direct, batch, units, u1Region, place);
    }
  } finally {
    direct.releaseAll();
    for (const info of work) backend.disposeData(info.dataId);
    if (!keep) for (const info of [x1, ...kept]) backend.disposeData(info.dataId);
  }
  return keep ? [h, x1, ...kept] : [h];
}

/** Training forward: x [B, T, F], w1 = [W; b_i] [F+1, 3H], u1 = [U; b_h] [H+1, 3H] → h, X₁, AH, s, hu. */
const forwardKernel: KernelFunc = (args: KernelArgs) => {
  const { x, w1, u1 } = args.inputs as Record<'x' | 'w1' | 'u1', TensorInfo>;
  return runForward(args.backend as unknown as DirectBackend, x, w1, u1, true);
};

/** Inference forward: as above → the h of every step, [T·B, H]. */
const inferenceKernel: KernelFunc = (args: KernelArgs) => {
  const { x, w1, u1 } = args.inputs as Record<'x' | 'w1' | 'u1', TensorInfo>;
  return runForward(args.backend as unknown as DirectBackend, x, w1, u1, false);
};

/**
 * One step's gradients from dh (the whole gradient reaching h_t): d(xw) and d(hu) rows of the
 * step, and into `carry` the part of dh_{t−1} that does not go through U (dh ⊙ z).
 */
function stepBackward(
  dh: Float32Array,
  s: Float32Array,
  hu: Float32Array,
  ah: Float32Array,
  dxw: Float32Array,
  dhu: Float32Array,
  carry: Float32Array,
  units: number,
): void {
  const gates = 3 * units;
  const batch = dh.length / units;
  for (let b = 0; b < batch; b++) {
    const row = b * gates;
    for (let k = 0; k < units; k++) {
      const [iz, ir, iN] = [row + k, row + units + k, row + 2 * units + k];
      const [z, r, n] = [s[iz], s[ir], s[iN]];
      const d = dh[b * units + k];
      const dzPre = d * (ah[b * (units + 1) + k] - n) * z * (1 - z);
      const dnPre = d * (1 - z) * (1 - n * n);
      const drPre = dnPre * hu[iN] * r * (1 - r);
      dxw[iz] = dzPre;
      dxw[ir] = drPre;
      dxw[iN] = dnPre;
      dhu[iz] = dzPre;
      dhu[ir] = drPre;
      dhu[iN] = dnPre * r;
      carry[b * units + k] = d * z;
    }
  }
}

/**
 * Backward: every step's d(xw) and d(hu), then the weight gradients as two products over all
 * steps. Inputs: dy ([B, H], or time-major [T·B, H] for every step), x1, ah, s, hu (from the
 * forward kernel), uT [3H, H] (U transposed). Attributes: `batch`, `keepDz`.
 * Outputs: gw = [dW; db_i] [F+1, 3H], gu = [dU; db_h] [H+1, 3H], then (with `keepDz`) d(xw) [T·B, 3H].
 */
const backwardKernel: KernelFunc = (args: KernelArgs) => {
  const inputs = args.inputs as Record<'dy' | 'x1' | 'ah' | 's' | 'hu' | 'uT', TensorInfo>;
  const [rows, gates] = inputs.s.shape;
  const units = gates / 3;
  const { batch, keepDz } = args.attrs as { batch: number; keepDz: boolean };
  const steps = rows / batch;
  const sequence = inputs.dy.shape[0] === rows;
  const backend = args.backend as unknown as DirectBackend;
  const direct = WasmDirect.of(backend);
  const cells = batch * units;
  const features = inputs.x1.shape[1] - 1;
  const [gw, gu, dxw, dhu, dh, carry] = [
    [features + 1, gates],
    [units + 1, gates],
    [rows, gates],
    [rows, gates],
    [batch, units],
    [batch, units],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  try {
    const base = (info: TensorInfo) => direct.offsetOf(info);
    const rowsAt = (info: TensorInfo, t: number, cols: number) => base(info) + t * batch * cols * FLOAT;
    const uT = direct.region(base(inputs.uT), 0, gates, units);
    const dhRegion = direct.region(base(dh), 0, batch, units);
    for (let t = steps - 1; t >= 0; t--) {
      if (t < steps - 1) {
        direct.matMul(direct.region(base(dhu), (t + 1) * batch, batch, gates), uT, dhRegion);
        const [dhv, carried] = [direct.view(base(dh), cells), direct.view(base(carry), cells)];
        for (let j = 0; j < cells; j++) dhv[j] += carried[j];
      }
      const dhv = direct.view(base(dh), cells);
      if (t === steps - 1) dhv.fill(0);
      addOutputGrad(direct, dhv, base(inputs.dy), t, steps, sequence);
      const view = (info: TensorInfo, cols: number) => direct.view(rowsAt(info, t, cols), batch * cols);
      stepBackward(
        dhv,
        view(inputs.s, gates),
        view(inputs.hu, gates),
        view(inputs.ah, units + 1),
        view(dxw, gates),
        view(dhu, gates),
        direct.view(base(carry), cells),
        units,
      );
    }
    weightGrads(backend, direct.region(base(inputs.x1), 0, rows, features + 1), direct.region(base(dxw), 0, rows, gates), gw);
    weightGrads(backend, direct.region(base(inputs.ah), 0, rows, units + 1), direct.region(base(dhu), 0, rows, gates), gu);
  } finally {
    direct.releaseAll();
    for (const info of [dhu, dh, carry, ...(keepDz ? [] : [dxw])]) backend.disposeData(info.dataId);
  }
  return keepDz ? [gw, gu, dxw] : [gw, gu];
};

export const GRU_KERNELS: [string, KernelFunc][] = [
  [GRU_FORWARD, forwardKernel],
  [GRU_INFERENCE, inferenceKernel],
  [GRU_BACKWARD, backwardKernel],
];
