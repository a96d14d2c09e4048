/**
 * Heap-level pieces shared by the whole-sequence kernels (LSTM, GRU, SimpleRNN): filling a
 * step's input rows, handing h on to the next step's rows, and the weight gradients of all
 * steps as one product.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { transposeInto } from './lstm-cell-loops';
import type { DirectBackend, Region } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

/**
 * Copies step t of x ([B, T, F], batch-major) into columns 0 … F − 1 of `a` ([B, width]) and a 1
 * into its last column; the columns between are the caller's (h_{t−1}).
 */
export function fillInputs(
  a: Float32Array,
  x: Float32Array,
  width: number,
  shape: { batch: number; steps: number; features: number },
  t: number,
): void {
  const { batch, steps, features } = shape;
  for (let b = 0; b < batch; b++) {
    a.set(x.subarray((b * steps + t) * features, (b * steps + t + 1) * features), b * width);
    a[b * width + width - 1] = 1;
  }
}

/** Copies `rows` rows of `units` values from `from` into `to`'s rows (`width` wide) at column `column`. */
export function copyRows(from: Float32Array, to: Float32Array, rows: number, units: number, width: number, column: number): void {
  for (let b = 0; b < rows; b++) to.set(from.subarray(b * units, (b + 1) * units), b * width + column);
}

/**
 * Every weight gradient by XNNPACK, which has no fast transposed product: dzᵀ · A (A is the
 * smaller operand, so it is the one XNNPACK packs), transposed into `grads` after.
 */
export function weightGradsByXnnpack(direct: WasmDirect, backend: DirectBackend, a: Region, dzT: Region, grads: Region): void {
  const gradsT = backend.makeOutput([grads.cols, grads.rows], 'float32');
  try {
    direct.matMul(dzT, a, direct.tensorRegion(gradsT));
    const from = direct.view(direct.offsetOf(gradsT), grads.rows * grads.cols);
    transposeInto(from, direct.view(grads.offset, grads.rows * grads.cols), grads.cols, grads.rows, { column: 0, columns: grads.cols });
  } finally {
    backend.disposeData(gradsT.dataId);
  }
}

/**
 * grads = Aᵀ · dz over all steps ([rows, width]ᵀ · [rows, G] → [width, G]): our GEMM reads A
 * transposed in place where it serves G columns; otherwise dz is transposed here for XNNPACK.
 */
export function weightGrads(backend: DirectBackend, a: Region, dz: Region, grads: TensorInfo): void {
  const direct = WasmDirect.of(backend);
  if (direct.hasGemmFor(dz.cols)) {
    direct.matMulTransposedA(a, dz, direct.tensorRegion(grads));
    return;
  }
  const dzT = backend.makeOutput([dz.cols, dz.rows], 'float32');
  try {
    const from = direct.view(dz.offset, dz.rows * dz.cols);
    transposeInto(from, direct.view(direct.offsetOf(dzT), dz.rows * dz.cols), dz.rows, dz.cols, { column: 0, columns: dz.rows });
    weightGradsByXnnpack(direct, backend, a, direct.region(direct.offsetOf(dzT), 0, dz.cols, dz.rows), direct.tensorRegion(grads));
  } finally {
    backend.disposeData(dzT.dataId);
  }
}

/**
 * Adds step t's output gradient to `dh` ([B, H]): with `sequence` the dy at byte `dy` holds
 * every step's rows (time-major), else only the last step's, and earlier steps get none.
 */
export function addOutputGrad(direct: WasmDirect, dh: Float32Array, dy: number, t: number, steps: number, sequence: boolean): void {
  if (!sequence && t !== steps - 1) return;
  const rows = direct.view(dy + (sequence ? t : 0) * dh.length * 4, dh.length);
  for (let j = 0; j < dh.length; j++) dh[j] += rows[j];
}
