/**
 * Which matrix multiply the wasm steps use: our fused-multiply-add GEMM (gemm-simd.wat) where the
 * runtime compiles relaxed SIMD, else XNNPACK. `LSTM_STUDIO_MATMUL=xnnpack` forces XNNPACK, to
 * measure or test that path; the environment is read here and nowhere else.
 */

/** True when the environment asks for XNNPACK's matmul instead of our GEMM. */
export function isXnnpackForced(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LSTM_STUDIO_MATMUL === 'xnnpack';
}
