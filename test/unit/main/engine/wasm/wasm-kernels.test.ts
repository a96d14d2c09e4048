import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../../../main/engine/backend';
import { currentWasmKernels, patchWasmKernels, restoreWasmKernels } from '../../../../../main/engine/wasm/wasm-kernels';

/** Runs `fn` with tfjs's own wasm kernels, then puts the patched ones back. */
function unpatched<T>(originals: ReturnType<typeof currentWasmKernels>, fn: () => T): T {
  const patched = currentWasmKernels();
  restoreWasmKernels(originals);
  try {
    return fn();
  } finally {
    restoreWasmKernels(patched);
  }
}

describe('patchWasmKernels', () => {
  let originals: ReturnType<typeof currentWasmKernels>;

  beforeAll(async () => {
    // Capture the stock kernels before chooseBackend patches them.
    await import('@tensorflow/tfjs-backend-wasm');
    originals = currentWasmKernels();
    const choice = await chooseBackend(['wasm']);
    expect(choice.backend).toBe('wasm');
    patchWasmKernels();
  });

  afterAll(() => restoreWasmKernels(currentWasmKernels()));

  it('replaces the matmul, slice and identity kernels', () => {
    const now = currentWasmKernels();
    expect(now.map((k) => k.kernelName)).toEqual(['BatchMatMul', '_FusedMatMul', 'Slice', 'Identity']);
    now.forEach((k, i) => expect(k.kernelFunc).not.toBe(originals[i].kernelFunc));
  });

  const a = () => tf.randomNormal([2, 37, 19], 0, 1, 'float32', 1);
  const cases: [string, () => tf.Tensor][] = [
    [
      'matMul, A transposed',
      () => tf.matMul(tf.randomNormal([19, 37], 0, 1, 'float32', 1), tf.randomNormal([19, 23], 0, 1, 'float32', 2), true, false),
    ],
    [
      'matMul, B transposed',
      () => tf.matMul(tf.randomNormal([37, 19], 0, 1, 'float32', 1), tf.randomNormal([23, 19], 0, 1, 'float32', 2), false, true),
    ],
    [
      'matMul, both transposed, batched',
      () => tf.matMul(tf.randomNormal([2, 19, 37], 0, 1, 'float32', 1), tf.randomNormal([2, 23, 19], 0, 1, 'float32', 2), true, true),
    ],
    [
      'fused matMul with bias and relu, B transposed',
      () =>
        tf.fused.matMul({
          a: tf.randomNormal([37, 19], 0, 1, 'float32', 1),
          b: tf.randomNormal([23, 19], 0, 1, 'float32', 2),
          transposeB: true,
          bias: tf.randomNormal([23], 0, 1, 'float32', 3),
          activation: 'relu',
        }),
    ],
    ['slice of rows', () => tf.slice(tf.randomNormal([40, 16], 0, 1, 'float32', 4), [7, 0], [9, 16])],
    ['slice of columns', () => tf.slice(tf.randomNormal([40, 16], 0, 1, 'float32', 4), [3, 5], [20, 7])],
    ['slice of a vector', () => tf.slice(tf.randomNormal([40], 0, 1, 'float32', 4), [11], [13])],
    ['slice of int32', () => tf.slice(tf.range(0, 60, 1, 'int32').reshape([6, 10]), [1, 2], [4, 5])],
    ['slice of rank 3 (falls back to the original)', () => tf.slice(a(), [1, 3, 2], [1, 10, 5])],
  ];

  /** Largest difference relative to max(1, |reference|). */
  function worstDifference(got: tf.Tensor, want: tf.Tensor): number {
    expect(got.shape).toEqual(want.shape);
    const [g, w] = [got.dataSync(), want.dataSync()];
    return Math.max(...Array.from(g, (v, i) => Math.abs(v - w[i]) / Math.max(1, Math.abs(w[i]))));
  }

  /** `make()` on the pure-JS cpu backend: the reference arithmetic. */
  async function onCpu(make: () => tf.Tensor): Promise<tf.Tensor> {
    await tf.setBackend('cpu');
    const values = tf.tidy(() => make().arraySync());
    const shape = tf.tidy(() => make().shape);
    await tf.setBackend('wasm');
    return tf.tensor(values as number[], shape);
  }

  // Same products and sums; XNNPACK may add them in another order, so allow float32 rounding.
  for (const [name, make] of cases) {
    it(`gives the same numbers as the stock kernel and the cpu backend: ${name}`, async () => {
      const reference = await onCpu(make);
      const patched = tf.tidy(() => make());
      const stock = unpatched(originals, () => tf.tidy(() => make()));
      expect(worstDifference(patched, reference)).toBeLessThan(1e-5);
      // The stock fused kernel is wrong with a transposed operand and a bias (below).
      if (!name.startsWith('fused')) expect(worstDifference(patched, stock)).toBeLessThan(1e-5);
      tf.dispose([reference, patched, stock]);
    });
  }

  it('fixes the stock fused matMul, which adds the bias wrongly when B is transposed', async () => {
    const make = cases.find(([name]) => name.startsWith('fused'))![1];
    const reference = await onCpu(make);
    const stock = unpatched(originals, () => tf.tidy(() => make()));
    expect(worstDifference(stock, reference)).toBeGreaterThan(0.1);
    tf.dispose([reference, stock]);
  });

  it('clones by sharing the buffer, which lives until its last holder is disposed', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const buffers = backend.numDataIds();
    const copy = tf.clone(x);
    expect(backend.numDataIds()).toBe(buffers);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1);
    tf.tidy(() => {
      expect(tf.clone(tf.tensor1d(['a', 'b'], 'string')).dataSync()).toEqual(['a', 'b']);
    });
  });

  it('frees its intermediate transposes', () => {
    const x = tf.randomNormal([30, 20]);
    const y = tf.randomNormal([10, 20]);
    tf.matMul(x, y, false, true).dispose();
    const before = tf.memory();
    tf.matMul(x, y, false, true).dispose();
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(tf.memory().numTensors).toBe(before.numTensors);
  });
});
