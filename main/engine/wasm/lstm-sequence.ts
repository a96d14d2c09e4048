/**
 * The whole LSTM recurrence, forward and backward, as one wasm-backend kernel each.
 *
 * Per-step tfjs ops cost more in engine bookkeeping (~30 µs each: tracking, scopes, the saved
 * tensors of a customGrad) than their arithmetic at this size. These kernels run the 28 steps
 * in one call: each step's matmul and sigmoids go straight to XNNPACK on regions of the heap
 * (wasm-direct.ts), and the rest of a step is one SIMD loop (lstm-cell-loops.ts).
 *
 * Each step multiplies A_t = [x_t | h_{t−1} | 1] (B × (F + H + 1)) by K = [W; U; b], so the
 * input projection, the recurrence and the bias are one matmul. The A_t of all steps, kept
 * for the backward pass, then give every weight gradient at once: dzᵀ · A = [dW; dU; db]ᵀ.
 *
 * Layout: time-major, rows t·B … t·B + B − 1 hold step t. Gate order i, f, o, g; `s` is σ of
 * the pre-activations with the g block's taken at 2z, so g = 2σ(2z) − 1 = tanh(z) (the caller
 * doubles K's g block, see fused-lstm-wasm.ts).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { NO_STATE, cellLoopsFor } from './lstm-cell-loops';
import { addOutputGrad, copyRows, fillInputs, weightGradsByXnnpack } from './sequence-heap';
import type { DirectBackend, Region } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

export const SEQUENCE_FORWARD = 'LstmSequenceForward';
export const SEQUENCE_INFERENCE = 'LstmSequenceInference';
export const SEQUENCE_BACKWARD = 'LstmSequenceBackward';

interface Dims {
  steps: number;
  batch: number;
  features: number;
  units: number;
}

type KernelArgs = Parameters<KernelFunc>[0];

const FLOAT = 4;

/** Byte offsets of one step's buffers; each holds B rows. */
interface StepPlace {
  /** [B, F + H + 1]: x_t, h_{t−1}, 1. */
  a: number;
  /** [B, F + H + 1] of step t + 1, where h_t goes; null at the last step. */
  aNext: number | null;
  /** [B, 4H] σ of the gates. */
  s: number;
  c: number;
  cPrev: number | null;
  tanhC: number;
  /** [B, H]. */
  h: number;
}

/**
 * One forward step: s = σ(A_t·K), c = f·cPrev + i·g, tanhC = 2σ(2c) − 1, h = o·tanhC (into
 * `h` and into A_{t+1}). `scratch` is a [B, H] buffer for σ(2c).
 */
function forwardStep(direct: WasmDirect, dims: Dims, k: Region, at: StepPlace, scratch: number): void {
  const { batch, features, units } = dims;
  const width = features + units + 1;
  const loops = cellLoopsFor(direct, units);
  const s = direct.region(at.s, 0, batch, 4 * units);
  direct.matMul(direct.region(at.a, 0, batch, width), k, s);
  direct.sigmoid(s, s);
  loops.cellState(at.s, at.cPrev ?? NO_STATE, at.c, scratch, batch, units);
  const sc = direct.region(scratch, 0, batch, units);
  direct.sigmoid(sc, sc);
  loops.cellOutput(at.s, scratch, at.tanhC, at.h, batch, units);
  if (at.aNext === null) return;
  copyRows(direct.view(at.h, batch * units), direct.view(at.aNext, batch * width), batch, units, width, features);
}

/**
 * Runs all steps. With `keep`, every step's A, s, c and tanhC get their own rows of full-length
 * buffers (for the backward pass); without, one step's worth is reused and only h is complete.
 * @returns h [T·B, H], then (with `keep`) A [T·B, F+H+1], s [T·B, 4H], c and tanhC [T·B, H]
 */
function runForward(backend: DirectBackend, x: TensorInfo, k: TensorInfo, keep: boolean): TensorInfo[] {
  const [batch, steps, features] = x.shape;
  const units = k.shape[1] / 4;
  const dims = { steps, batch, features, units };
  const width = features + units + 1;
  const rowsKept = keep ? steps * batch : batch;
  const h = backend.makeOutput([steps * batch, units], 'float32');
  const kept = [
    [rowsKept, width],
    [rowsKept, 4 * units],
    [rowsKept, units],
    [rowsKept, units],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  // Without `keep`: the next step's A, the previous step's c, and always the σ(2c) scratch.
  const work = [
    [keep ? 0 : batch, width],
    [keep ? 0 : batch, units],
    [batch, units],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  const direct = WasmDirect.of(backend);
  try {
    const [aBase, sBase, cBase, tBase] = kept.map((info) => direct.offsetOf(info));
    const [aSpare, cSpare, scratch] = work.map((info) => direct.offsetOf(info));
    const rowOf = (base: number, t: number, cols: number) => base + (keep ? t * batch * cols * FLOAT : 0);
    // Without `keep`, A and c alternate between two buffers so a step reads the last one's.
    const aAt = (t: number) => (keep || t % 2 === 0 ? rowOf(aBase, t, width) : aSpare);
    const cAt = (t: number) => (keep || t % 2 === 0 ? rowOf(cBase, t, units) : cSpare);
    const xView = () => direct.view(direct.offsetOf(x), batch * steps * features);
    // One alias for K for the whole pass: XNNPACK packs a right-hand matrix once per id.
    const kRegion = direct.region(direct.offsetOf(k), 0, width, 4 * units);
    direct.view(aAt(0), batch * width).fill(0);
    for (let t = 0; t < steps; t++) {
      fillInputs(direct.view(aAt(t), batch * width), xView(), width, dims, t);
      const place: StepPlace = {
        a: aAt(t),
        aNext: t < steps - 1 ? aAt(t + 1) : null,
        s: rowOf(sBase, t, 4 * units),
        c: cAt(t),
        cPrev: t > 0 ? cAt(t - 1) : null,
        tanhC: rowOf(tBase, t, units),
        h: direct.offsetOf(h) + t * batch * units * FLOAT,
      };
      forwardStep(direct, dims, kRegion, place, scratch);
    }
  } finally {
    direct.releaseAll();
    for (const info of work) backend.disposeData(info.dataId);
    if (!keep) for (const info of kept) backend.disposeData(info.dataId);
  }
  return keep ? [h, ...kept] : [h];
}

/** Training forward: x [B, T, F], k = [W; U; b] g-doubled [F+H+1, 4H] → h, A, s, c, tanhC (see `runForward`). */
const forwardKernel: KernelFunc = (args: KernelArgs) => {
  const { x, k } = args.inputs as { x: TensorInfo; k: TensorInfo };
  return runForward(args.backend as unknown as DirectBackend, x, k, true);
};

/** Inference forward: x [B, T, F], k as above → the h of every step, [T·B, H]. */
const inferenceKernel: KernelFunc = (args: KernelArgs) => {
  const { x, k } = args.inputs as { x: TensorInfo; k: TensorInfo };
  return runForward(args.backend as unknown as DirectBackend, x, k, false);
};

/** Byte offsets of the backward pass's buffers; dz is written over `s` (see the backward kernel). */
interface BackwardPlaces {
  dy: number;
  s: number;
  c: number;
  tanhC: number;
  /** dzᵀ [4H, T·B], for XNNPACK's weight-gradient product; null when our GEMM reads dz itself. */
  dzT: number | null;
  dh: Region;
  dc: number;
  uT: Region;
}

/**
 * The 28 steps backwards: dh_t = dy_t + dz_{t+1}·Uᵀ, then the step's dz (and its columns of
 * dzᵀ, when there is one) and the dc for the step before. `sequence`: dy has every step's rows, not only the last's.
 */
function backwardSteps(direct: WasmDirect, dims: Omit<Dims, 'features'>, at: BackwardPlaces, sequence: boolean): void {
  const { steps, batch, units } = dims;
  const gates = 4 * units;
  const cells = batch * units;
  const rowOf = (base: number, t: number, cols: number) => base + t * batch * cols * FLOAT;
  const loops = cellLoopsFor(direct, units);
  direct.view(at.dc, cells).fill(0);
  for (let t = steps - 1; t >= 0; t--) {
    if (t < steps - 1) direct.matMul(direct.region(at.s, (t + 1) * batch, batch, gates), at.uT, at.dh);
    const dh = direct.view(at.dh.offset, cells);
    if (t === steps - 1) dh.fill(0);
    addOutputGrad(direct, dh, at.dy, t, steps, sequence);
    const cPrev = t > 0 ? rowOf(at.c, t - 1, units) : NO_STATE;
    const transposed = at.dzT === null ? null : { offset: at.dzT, column: t * batch, columns: steps * batch };
    const step = rowOf(at.s, t, gates);
    loops.cellBackward(at.dh.offset, at.dc, step, cPrev, rowOf(at.tanhC, t, units), step, batch, units, transposed);
  }
}

/**
 * Backward: dz of every step, then every weight gradient as ONE product over all steps,
 * [dW; dU; db] = Aᵀ · dz (our GEMM reads A transposed in place; XNNPACK: see above).
 * Inputs: dy ([B, H] for the last step only, or time-major [T·B, H] for every step), a, s, c,
 * tanhC (from the forward kernel) and uT [4H, H] (U transposed, NOT g-doubled). Attribute:
 * `batch`. Output: grads = [dW; dU; db] [F + H + 1, 4H].
 *
 * dz is written OVER s, step by step (a step's cell loop reads its four gates before it writes
 * their four dz; nothing reads s after this pass): s holds dz [T·B, 4H] afterwards, for the
 * caller's input gradient. One [T·B, 4H] buffer less at the pass's memory peak (14 MB per
 * layer and thread at LSTM 512, batch 128).
 */
const backwardKernel: KernelFunc = (args: KernelArgs) => {
  const inputs = args.inputs as Record<'dy' | 'a' | 's' | 'c' | 'tanhC' | 'uT', TensorInfo>;
  const units = inputs.uT.shape[1];
  const [rows, width] = inputs.a.shape;
  const { batch } = args.attrs as { batch: number };
  const backend = args.backend as unknown as DirectBackend;
  const gates = 4 * units;
  const direct = WasmDirect.of(backend);
  const byGemm = direct.hasGemmFor(gates);
  const [grads, dh, dc] = [
    [width, gates],
    [batch, units],
    [batch, units],
  ].map((shape) => backend.makeOutput(shape, 'float32'));
  // XNNPACK reads dzᵀ instead of dz.
  const dzT = byGemm ? null : backend.makeOutput([gates, rows], 'float32');
  try {
    const base = (info: TensorInfo) => direct.offsetOf(info);
    const places: BackwardPlaces = {
      dy: base(inputs.dy),
      s: base(inputs.s),
      c: base(inputs.c),
      tanhC: base(inputs.tanhC),
      dzT: dzT && base(dzT),
      dh: direct.region(base(dh), 0, batch, units),
      dc: base(dc),
      uT: direct.region(base(inputs.uT), 0, gates, units),
    };
    backwardSteps(direct, { steps: rows / batch, batch, units }, places, inputs.dy.shape[0] === rows);
    const a = direct.region(base(inputs.a), 0, rows, width);
    if (dzT) weightGradsByXnnpack(direct, backend, a, direct.region(base(dzT), 0, gates, rows), direct.tensorRegion(grads));
    else direct.matMulTransposedA(a, direct.region(base(inputs.s), 0, rows, gates), direct.tensorRegion(grads));
  } finally {
    direct.releaseAll();
    for (const info of [dh, dc, ...(dzT ? [dzT] : [])]) backend.disposeData(info.dataId);
  }
  return [grads];
};

/** The LSTM's kernels, for registration (sequence-kernels.ts). */
export const LSTM_KERNELS: [string, KernelFunc][] = [
  [SEQUENCE_FORWARD, forwardKernel],
  [SEQUENCE_INFERENCE, inferenceKernel],
  [SEQUENCE_BACKWARD, backwardKernel],
];
