/**
 * The matrix-multiply module (gemm-simd.wat) instantiated on a WebAssembly memory. It needs
 * relaxed SIMD for its fused multiply-add: on by default in Electron's V8 and in Node 22+, and
 * behind a V8 flag in Node 20, which is turned on here before compiling (the flag only changes
 * which wasm instructions validate). Null where it still cannot compile.
 */
import { setFlagsFromString } from 'node:v8';
import { GEMM_SIMD_BASE64 } from './gemm-simd.generated';
import { perMemory } from './wasm-module';

/** The module's export; every pointer is a byte offset into the memory it was given. */
export interface GemmSimd {
  /**
   * C[m, n] = A[m, k] · B[k, n]: A(i, k) at a + i·rs + k·cs, B and C row-major with row strides
   * ldb and ldc (all in bytes); any n (the last n mod 8 columns go through a padded panel
   * and tile in the scratch). `scratch`: GEMM_SCRATCH_BYTES the kernel may overwrite.
   */
  gemm(
    a: number,
    rs: number,
    cs: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    scratch: number,
  ): void;
  /** For the bench: `rounds` × 80 FLOP of register-only multiply-adds (the core's FMA ceiling in wasm). */
  fmaPeak(rounds: number): number;
}

/** The scratch the GEMM needs: one panel of B, 256 rows of 8 floats, then a 4 × 8 tile of C. */
export const GEMM_SCRATCH_BYTES = 256 * 8 * 4 + 4 * 8 * 4;

/** Turns on relaxed SIMD where it is still behind V8's flag (Node 20) and the module needs it. */
function enableRelaxedSimd(bytes: Uint8Array<ArrayBuffer>): void {
  if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** The GEMM on `memory` (one instance per memory), or null where relaxed SIMD cannot run. */
export const gemmSimd = perMemory<GemmSimd>(GEMM_SIMD_BASE64, enableRelaxedSimd);
