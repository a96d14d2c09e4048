/**
 * Copies between tensors and plain (often shared) Float32Arrays without a temporary array in
 * between on the wasm backend. The two training threads exchange every weight and gradient
 * each step (13 MB each way at LSTM 512 × 2); `dataSync()` and `slice()` made a fresh copy
 * of each, and those multi-megabyte temporaries, freed and reallocated every step, grew the
 * process's native heap by ~45 MB (the allocator keeps such blocks after the first is freed).
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendInternals } from './wasm-heap';
import { heapView } from './wasm-heap';

const onWasm = (): boolean => tf.getBackend() === 'wasm';

/** Copies `tensor`'s values into `target` (same length), from the wasm heap directly where it lives. */
export function copyTensorInto(tensor: tf.Tensor, target: Float32Array): void {
  if (!onWasm()) {
    target.set(tensor.dataSync() as Float32Array);
    return;
  }
  target.set(heapView(tf.backend() as unknown as WasmBackendInternals, tensor) as Float32Array);
}

/**
 * A tensor holding a copy of `values` (which may be overwritten afterwards): the wasm backend
 * copies them onto its heap as it makes the tensor; others keep a reference, so get a copy.
 */
export function tensorFromCopy(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(onWasm() ? values : values.slice(), shape);
}
