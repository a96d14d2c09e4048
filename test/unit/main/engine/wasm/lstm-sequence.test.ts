import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { lstmInference, lstmSequence } from '../../../../../main/engine/rnn/fused-lstm';
import { mulberry32 } from '../../../../../main/engine/rng';
import { MATMUL_PATHS, useMatmulPath } from '../../../../support/matmul-paths';

const [batch, steps, features, units] = [5, 6, 7, 8];

function values(n: number, seed: number, scale: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
}

const DATA = {
  x: values(batch * steps * features, 1, 1),
  w: values(features * 4 * units, 2, 0.5),
  u: values(units * 4 * units, 3, 0.5),
  b: values(4 * units, 4, 0.5),
  probe: values(batch * steps * units, 5, 1),
};

/** Output and gradients of a weighted sum of the output, on the current backend, as plain arrays. */
function run(returnSequences: boolean, needsInputGrad: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor3d(DATA.x, [batch, steps, features]);
    const w = tf.tensor2d(DATA.w, [features, 4 * units]);
    const u = tf.tensor2d(DATA.u, [units, 4 * units]);
    const b = tf.tensor1d(DATA.b);
    const f = (...a: tf.Tensor[]) => lstmSequence(a[0] as tf.Tensor3D, a[1], a[2], a[3] as tf.Tensor1D, returnSequences, needsInputGrad);
    const y = f(x, w, u, b);
    const probe = tf.tensor(DATA.probe.subarray(0, y.size), y.shape);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), probe)))([x, w, u, b]);
    return [y, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);
}

// Each product goes to our relaxed-SIMD GEMM where it can run, else to XNNPACK: both paths.
describe.each(MATMUL_PATHS)('the wasm LSTM sequence kernels, matrix products by %s', (matmul) => {
  useMatmulPath(matmul);

  for (const returnSequences of [false, true]) {
    it(`match the composed ops of the cpu backend (returnSequences ${returnSequences})`, async () => {
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const wasm = run(returnSequences, true);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
      const cpu = run(returnSequences, true);
      wasm.forEach((got, k) => expect(maxDiff(got, cpu[k])).toBeLessThan(1e-5));
    });
  }

  // 6: JavaScript loops instead of SIMD, and no GEMM for dh (6 columns); 5: no GEMM at all (20 gate columns).
  it.each([6, 5])('match the cpu backend with %i units (not a multiple of 4 or 8)', async (odd) => {
    const pass = () =>
      tf.tidy(() => {
        const x = tf.tensor3d(DATA.x, [batch, steps, features]);
        const w = tf.tensor2d(DATA.w.subarray(0, features * 4 * odd), [features, 4 * odd]);
        const u = tf.tensor2d(DATA.u.subarray(0, odd * 4 * odd), [odd, 4 * odd]);
        const b = tf.tensor1d(DATA.b.subarray(0, 4 * odd));
        const f = (...a: tf.Tensor[]) => tf.sum(lstmSequence(a[0] as tf.Tensor3D, a[1], a[2], a[3] as tf.Tensor1D, true, true));
        return tf
          .grads(f)([x, w, u, b])
          .map((t) => Float32Array.from(t.dataSync()));
      });
    await tf.setBackend('wasm');
    const wasm = pass();
    await tf.setBackend('cpu');
    const cpu = pass();
    wasm.forEach((got, k) => expect(maxDiff(got, cpu[k])).toBeLessThan(1e-5));
  });

  it('give the same weight gradients, and zeros for the input, without the input gradient', async () => {
    await tf.setBackend('wasm');
    const full = run(false, true);
    const lean = run(false, false);
    expect(lean[1].every((v) => v === 0)).toBe(true);
    [0, 2, 3, 4].forEach((k) => expect(maxDiff(lean[k], full[k])).toBe(0));
  });

  for (const returnSequences of [false, true]) {
    it(`give the training forward pass's output on the inference path (returnSequences ${returnSequences})`, async () => {
      await tf.setBackend('wasm');
      // One image (the drawing pad) and an evaluation-sized chunk.
      for (const n of [1, 300]) {
        const before = tf.memory().numTensors;
        const [lean, full] = tf.tidy(() => {
          const x = tf.randomUniform([n, steps, features], 0, 1, 'float32', 6) as tf.Tensor3D;
          const [w, u] = [tf.tensor2d(DATA.w, [features, 4 * units]), tf.tensor2d(DATA.u, [units, 4 * units])];
          const b = tf.tensor1d(DATA.b);
          return [lstmInference(x, w, u, b, returnSequences), lstmSequence(x, w, u, b, returnSequences)].map((t) =>
            Float32Array.from(t.dataSync()),
          );
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(maxDiff(lean, full)).toBeLessThan(1e-5);
      }
    });
  }
});
