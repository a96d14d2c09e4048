/** For the bench: which matrix multiply this thread's wasm backend uses, in words. */
import * as tf from '@tensorflow/tfjs';
import { isXnnpackForced } from './matmul-choice';
import type { DirectBackend } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

/** The matrix multiply in use on `backend` (the helper thread decides the same way); null off wasm. */
export function matrixProductsInUse(backend: string): string | null {
  if (backend !== 'wasm') return null;
  if (WasmDirect.of(tf.backend() as unknown as DirectBackend).gemm)
    return 'our relaxed-SIMD GEMM (fused multiply-add; XNNPACK for single rows)';
  return isXnnpackForced() ? 'XNNPACK (LSTM_STUDIO_MATMUL=xnnpack)' : 'XNNPACK (this runtime cannot compile relaxed SIMD)';
}
