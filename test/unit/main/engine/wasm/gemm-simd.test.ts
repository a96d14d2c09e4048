import { describe, expect, it } from 'vitest';
import { GEMM_SCRATCH_BYTES, gemmSimd } from '../../../../../main/engine/wasm/gemm-simd';
import { mulberry32 } from '../../../../../main/engine/rng';

interface Case {
  m: number;
  n: number;
  k: number;
  transposedA: boolean;
}

/** Runs one product on a fresh memory full of random numbers; returns the worst relative error and whether bytes outside C changed. */
function check({ m, n, k, transposedA }: Case): { worst: number; outsideChanged: boolean } {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(((m * k + k * n + m * n) * 4 + GEMM_SCRATCH_BYTES + 4096) / 65536) });
  const all = new Float32Array(memory.buffer);
  const random = mulberry32(m * 7919 + n * 31 + k);
  for (let i = 0; i < all.length; i++) all[i] = random() * 2 - 1;
  const [a, b] = [64, 64 + m * k * 4];
  const c = b + k * n * 4;
  const scratch = c + m * n * 4;
  const [rs, cs] = transposedA ? [4, m * 4] : [k * 4, 4];
  const before = Uint8Array.from(new Uint8Array(memory.buffer));
  const gemm = gemmSimd(memory);
  if (!gemm) throw new Error('relaxed SIMD should compile on this Node');
  gemm.gemm(a, rs, cs, b, n * 4, c, n * 4, m, n, k, scratch);
  const f = new Float32Array(memory.buffer);
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let scale = 0;
      for (let p = 0; p < k; p++) {
        const term = f[(a + i * rs + p * cs) / 4] * f[b / 4 + p * n + j];
        sum += term;
        scale += Math.abs(term);
      }
      worst = Math.max(worst, Math.abs(sum - f[c / 4 + i * n + j]) / Math.max(scale, 1e-30));
    }
  }
  const after = new Uint8Array(memory.buffer);
  // The scratch right after C may change too.
  const outsideChanged = after.some((v, i) => (i < c || i >= scratch + GEMM_SCRATCH_BYTES) && v !== before[i]);
  return { worst, outsideChanged };
}

describe('the relaxed-SIMD GEMM', () => {
  // Blocks of 4 rows and single rows; one block of k, two blocks of 256, and blocks of 128
  // with a remainder; A read row-major and transposed.
  const cases: Case[] = [
    { m: 1, n: 8, k: 1, transposedA: false },
    { m: 7, n: 16, k: 33, transposedA: false },
    { m: 64, n: 512, k: 157, transposedA: false },
    { m: 66, n: 24, k: 300, transposedA: true },
    { m: 157, n: 64, k: 1100, transposedA: true },
    { m: 130, n: 8, k: 513, transposedA: false },
    // Wide B (a row stride of 4 KB, where panels are copied to the scratch) and a block of fewer than 16 rows after it.
    { m: 70, n: 1024, k: 285, transposedA: false },
    // n not a multiple of 8: the tail panel (alone, after full panels; blocks of 4 rows, single
    // rows and both; one block of k and several, accumulating through the tile).
    { m: 1, n: 1, k: 5, transposedA: false },
    { m: 3, n: 7, k: 40, transposedA: false },
    { m: 9, n: 13, k: 129, transposedA: false },
    { m: 64, n: 300, k: 101, transposedA: false },
    { m: 66, n: 100, k: 1792, transposedA: true },
    { m: 130, n: 405, k: 600, transposedA: true },
    { m: 17, n: 1027, k: 300, transposedA: false },
  ];
  it.each(cases)('gives A·B to float32 accuracy and writes only C: %o', (shape) => {
    const { worst, outsideChanged } = check(shape);
    // Relative to the sum of |terms|: float32 rounding grows with k, far below this bound.
    expect(worst).toBeLessThan(1e-6);
    expect(outsideChanged).toBe(false);
  });
});
