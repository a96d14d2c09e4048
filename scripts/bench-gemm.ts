/**
 * `npm run bench -- --gemm`: the rate of the matrix products a training step is made of, per
 * configuration, on one thread of the wasm backend (each of the two training threads takes half
 * the batch: 64 rows at batch 128). This is what bounds the larger configurations: past ~150
 * columns of K the step is almost all GEMM, and WebAssembly's SIMD is 128 bits wide (4 float
 * lanes; two FMA pipes give at most 16 FLOP per cycle), where PyTorch's OpenBLAS uses AVX2 or
 * AVX-512 on the same core (32–64 FLOP per cycle).
 */
import { chooseBackend } from '../main/engine/backend';
import { fmaPeakRate, productRate } from '../main/engine/wasm';
import { fmt } from './bench-modes';

/** [label, m, k, n]: the per-step product A_t·K (and for the GRU [h|1]·[U; b_h]) of each configuration. */
const SHAPES: [string, number, number, number][] = [
  ['LSTM 128, step [x|h|1]·K', 64, 28 + 128 + 1, 512],
  ['LSTM 128, 2nd layer step', 64, 128 + 128 + 1, 512],
  ['LSTM 256, step', 64, 28 + 256 + 1, 1024],
  ['LSTM 512, step', 64, 28 + 512 + 1, 2048],
  ['LSTM 128, backward dz·Uᵀ', 64, 512, 128],
  ['LSTM 128, weight grads Aᵀ·dz (as A·B)', 157, 28 * 64, 512],
  ['GRU 128, step [h|1]·[U; b]', 64, 129, 384],
  ['SimpleRNN 128, step', 64, 157, 128],
  ['LSTM 100, step', 64, 28 + 100 + 1, 400],
  // Column counts that are not a multiple of 8: the GEMM's padded tail panel.
  ['GRU 100, step [h|1]·[U; b]', 64, 101, 300],
  ['SimpleRNN 100, step', 64, 129, 100],
  ['LSTM 13, step', 64, 28 + 13 + 1, 52],
  ['GRU 100, weight grads (as A·B)', 101, 28 * 64, 300],
];

export async function runGemm(): Promise<void> {
  const choice = await chooseBackend(['wasm']);
  if (choice.backend !== 'wasm') throw new Error('--gemm needs the wasm backend');
  console.log('one thread, 300 ms per shape after a warm-up; the 128-bit SIMD ceiling is 16 FLOP per cycle per core');
  console.log('the ceiling: register-only multiply-adds, measured right before each product (this machine’s speed drifts)');
  for (const [label, m, k, n] of SHAPES) {
    const peak = fmaPeakRate(150);
    const rate = productRate(m, k, n);
    const share = peak === null ? '' : `  ${fmt((100 * rate.gflops) / peak)} % of ${fmt(peak, 1)}`;
    console.log(`${label.padEnd(44)} [${m}×${k}]·[${k}×${n}]  ${fmt(rate.gflops, 1)} GFLOP/s${share}`);
  }
}
