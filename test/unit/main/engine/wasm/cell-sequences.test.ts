import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gruComposed, gruInference, gruSequence } from '../../../../../main/engine/rnn/fused-gru';
import { rnnComposed, rnnInference, rnnSequence } from '../../../../../main/engine/rnn/fused-simple-rnn';
import { mulberry32 } from '../../../../../main/engine/rng';
import { MATMUL_PATHS, useMatmulPath } from '../../../../support/matmul-paths';

type Sequence = (x: tf.Tensor3D, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor, returnSequences: boolean, needsInputGrad?: boolean) => tf.Tensor;

interface Cell {
  name: string;
  gates: number;
  biasShape: (units: number) => number[];
  sequence: Sequence;
  inference: (x: tf.Tensor3D, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor, returnSequences: boolean) => tf.Tensor;
  composed: (x: tf.Tensor3D, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor, returnSequences: boolean) => tf.Tensor;
}

const CELLS: Cell[] = [
  { name: 'GRU', gates: 3, biasShape: (h) => [2, 3 * h], sequence: gruSequence, inference: gruInference, composed: gruComposed },
  {
    name: 'SimpleRNN',
    gates: 1,
    biasShape: (h) => [h],
    sequence: (x, w, u, b, r, n) => rnnSequence(x, w, u, b as tf.Tensor1D, r, n),
    inference: (x, w, u, b, r) => rnnInference(x, w, u, b as tf.Tensor1D, r),
    composed: rnnComposed,
  },
];

const [batch, steps, features] = [5, 6, 7];

function values(n: number, seed: number, scale: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);
}

/** Inputs for a cell with `units`: x, W, U, b, and a probe to weight the output with. */
function inputs(cell: Cell, units: number, n = batch) {
  const x = tf.tensor3d(values(n * steps * features, 1, 1), [n, steps, features]);
  const w = tf.tensor2d(values(features * cell.gates * units, 2, 0.6), [features, cell.gates * units]);
  const u = tf.tensor2d(values(units * cell.gates * units, 3, 0.6), [units, cell.gates * units]);
  const shape = cell.biasShape(units);
  const b = tf.tensor(
    values(
      shape.reduce((p, q) => p * q),
      4,
      0.5,
    ),
    shape,
  );
  return { x, w, u, b };
}

/** Output and gradients of a probe-weighted sum of the output, as plain arrays. */
function run(cell: Cell, f: Sequence, units: number, returnSequences: boolean, needsInputGrad = true): Float32Array[] {
  return tf.tidy(() => {
    const { x, w, u, b } = inputs(cell, units);
    const g = (...a: tf.Tensor[]) => f(a[0] as tf.Tensor3D, a[1], a[2], a[3], returnSequences, needsInputGrad);
    const y = g(x, w, u, b);
    const probe = tf.tensor(values(y.size, 5, 1), y.shape);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(g(...a), probe)))([x, w, u, b]);
    return [y, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

describe.each(CELLS)('the $name reference composition', (cell) => {
  it('matches tfjs-layers where the maths is the same, and takes the bias shape Keras gives it', async () => {
    await tf.setBackend('cpu');
    if (cell.name !== 'SimpleRNN') return;
    // tfjs's SimpleRNN has exactly this maths: same weights, same output.
    const layer = tf.layers.simpleRNN({ units: 4, returnSequences: true, recurrentInitializer: 'glorotUniform' });
    const { x } = inputs(cell, 4);
    const want = layer.apply(x) as tf.Tensor;
    const [w, u, b] = layer.getWeights();
    expect(
      maxDiff(Float32Array.from(rnnComposed(x as tf.Tensor3D, w, u, b, true).dataSync()), Float32Array.from(want.dataSync())),
    ).toBeLessThan(1e-5);
  });
});

// Each product goes to our relaxed-SIMD GEMM where it can run, else to XNNPACK: both paths.
describe.each(MATMUL_PATHS)('the wasm GRU and SimpleRNN sequence kernels, matrix products by %s', (matmul) => {
  useMatmulPath(matmul);

  describe.each(CELLS)('$name', (cell) => {
    // 8: the GEMM's fast blocking; 5 and 6: not a multiple of 8 (XNNPACK and the transposes).
    for (const units of [8, 5, 6]) {
      for (const returnSequences of [false, true]) {
        it(`forward values and every gradient match the cpu backend's composed ops (${units} units, returnSequences ${returnSequences})`, async () => {
          await tf.setBackend('wasm');
          const before = tf.memory().numTensors;
          const wasm = run(cell, cell.sequence, units, returnSequences);
          expect(tf.memory().numTensors).toBe(before);
          await tf.setBackend('cpu');
          const cpu = run(cell, cell.composed, units, returnSequences);
          wasm.forEach((got, k) => expect(maxDiff(got, cpu[k]), `output ${k}`).toBeLessThan(2e-5));
        });
      }
    }

    it('give the same weight gradients, and zeros for the input, without the input gradient', async () => {
      await tf.setBackend('wasm');
      const full = run(cell, cell.sequence, 8, false, true);
      const lean = run(cell, cell.sequence, 8, false, false);
      expect(lean[1].every((v) => v === 0)).toBe(true);
      [0, 2, 3, 4].forEach((k) => expect(maxDiff(lean[k], full[k])).toBe(0));
    });

    it('give the training pass output on the inference path, for one image and for a large chunk', async () => {
      await tf.setBackend('wasm');
      for (const n of [1, 300]) {
        for (const returnSequences of [false, true]) {
          const before = tf.memory().numTensors;
          const [lean, full] = tf.tidy(() => {
            const { x, w, u, b } = inputs(cell, 8, n);
            return [cell.inference(x, w, u, b, returnSequences), cell.sequence(x, w, u, b, returnSequences)].map((t) =>
              Float32Array.from(t.dataSync()),
            );
          });
          expect(tf.memory().numTensors).toBe(before);
          expect(maxDiff(lean, full)).toBeLessThan(1e-6);
        }
      }
    });
  });
});
