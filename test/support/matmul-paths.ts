/**
 * The two ways the wasm kernels compute a matrix product: our relaxed-SIMD GEMM where it can
 * run, else XNNPACK. Kernel tests run under both (`describe.each(MATMUL_PATHS)` + `useMatmulPath`).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect } from 'vitest';
import { chooseBackend } from '../../main/engine/backend';
import type { DirectBackend } from '../../main/engine/wasm/wasm-direct';
import { WasmDirect } from '../../main/engine/wasm/wasm-direct';

export const MATMUL_PATHS = ['our GEMM', 'XNNPACK'] as const;

/** In a describe block: the wasm backend, its products on `path` for the block's tests, the GEMM restored after. */
export function useMatmulPath(path: (typeof MATMUL_PATHS)[number]): void {
  let direct: WasmDirect;
  let gemm: WasmDirect['gemm'];
  beforeAll(async () => {
    await chooseBackend(['wasm']);
    direct = WasmDirect.of(tf.backend() as unknown as DirectBackend);
    gemm = direct.gemm;
    if (path === 'our GEMM') expect(gemm, 'relaxed SIMD should compile on this Node').not.toBeNull();
    else direct.gemm = null;
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
    direct.gemm = gemm;
  });
}
