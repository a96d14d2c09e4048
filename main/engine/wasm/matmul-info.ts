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

/** One product's measured rate. */
export interface ProductRate {
  m: number;
  k: number;
  n: number;
  /** Billions of floating-point operations (2·m·k·n per product) per second, this thread alone. */
  gflops: number;
}

/**
 * For the bench: how fast this thread's wasm matrix products run on [m, k]·[k, n] (the GEMM
 * where it serves n, else XNNPACK), over about `budgetMs` of repeats after one warm-up.
 * Needs the wasm backend.
 */
export function productRate(m: number, k: number, n: number, budgetMs = 300): ProductRate {
  const direct = WasmDirect.of(tf.backend() as unknown as DirectBackend);
  const [a, b, c] = [tf.randomUniform([m, k]), tf.randomUniform([k, n]), tf.zeros([m, n])];
  try {
    const [ra, rb, rc] = [a, b, c].map((t) => direct.tensorRegion(t));
    direct.matMul(ra, rb, rc);
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < budgetMs) {
      direct.matMul(ra, rb, rc);
      calls++;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { m, k, n, gflops: (2 * m * k * n * calls) / seconds / 1e9 };
  } finally {
    tf.dispose([a, b, c]);
  }
}

/**
 * For the bench: the GFLOP/s of register-only multiply-adds on this thread (gemm-simd.wat's
 * fmaPeak), the ceiling a product's rate is read against; null where the GEMM cannot run.
 */
export function fmaPeakRate(budgetMs = 300): number | null {
  const gemm = WasmDirect.of(tf.backend() as unknown as DirectBackend).gemm;
  if (!gemm) return null;
  const rounds = 1_000_000;
  gemm.fmaPeak(rounds);
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    gemm.fmaPeak(rounds);
    calls++;
  }
  return (80 * rounds * calls) / ((performance.now() - t0) / 1000) / 1e9;
}
