import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAdamCombined, canCombineAdam } from '../../../../../main/engine/wasm/adam-update';
import { chooseBackend } from '../../../../../main/engine/backend';
import type { PartGradients } from '../../../../../main/engine/gradients';
import { mulberry32 } from '../../../../../main/engine/rng';

function values(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

/** Two parts' gradients for step `step`: 12 and 5 floats (5 is not a multiple of 4). */
function parts(step: number): [PartGradients, PartGradients] {
  const part = (seed: number, count: number): PartGradients => ({
    grads: [tf.tensor2d(values(12, seed), [3, 4]), tf.tensor1d(values(5, seed + 1))],
    loss: 0,
    correct: 0,
    count,
  });
  return [part(100 + 10 * step, 3), part(200 + 10 * step, 2)];
}

/** Four steps on fresh variables with `update`; the variables and the optimizer's weights after. */
async function run(
  optimizer: tf.AdamOptimizer,
  tag: string,
  update: (vars: tf.Variable[], p: [PartGradients, PartGradients]) => void,
): Promise<number[][]> {
  const vars = tf.tidy(() => [
    tf.variable(tf.tensor2d(values(12, 1), [3, 4]), true, `${tag}-a`),
    tf.variable(tf.tensor1d(values(5, 2)), true, `${tag}-b`),
  ]);
  for (let step = 0; step < 4; step++) {
    const p = parts(step);
    update(vars, p);
    tf.dispose(p.flatMap((x) => x.grads));
  }
  const weights = await optimizer.getWeights();
  const out = [...vars, ...weights.map((w) => w.tensor)].map((t) => Array.from(t.dataSync()));
  tf.dispose([...vars, weights[0].tensor]);
  optimizer.dispose();
  return out;
}

describe('applyAdamCombined', () => {
  beforeAll(async () => {
    await chooseBackend(['wasm']);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('takes the steps tfjs Adam takes on the weighted sum of the parts, with the same state', async () => {
    const before = tf.memory().numTensors;
    const fused = tf.train.adam(0.01);
    expect(canCombineAdam(fused)).toBe(true);
    const got = await run(fused, 'fused', (vars, p) => applyAdamCombined(fused, vars, p));
    const stock = tf.train.adam(0.01);
    const want = await run(stock, 'stock', (vars, p) =>
      tf.tidy(() => {
        const named: tf.NamedTensorMap = {};
        vars.forEach((v, k) => {
          named[v.name] = tf.add(tf.mul(p[0].grads[k], 3 / 5), tf.mul(p[1].grads[k], 2 / 5));
        });
        (stock as tf.Optimizer).applyGradients(named);
      }),
    );
    expect(got.length).toBe(want.length);
    const worst = Math.max(...got.flatMap((row, k) => row.map((v, i) => Math.abs(v - want[k][i]) / Math.max(1e-3, Math.abs(want[k][i])))));
    expect(worst).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is not used for other optimizers or backends', async () => {
    const sgd = tf.train.sgd(0.1);
    expect(canCombineAdam(sgd)).toBe(false);
    sgd.dispose();
    await tf.setBackend('cpu');
    const adam = tf.train.adam(0.01);
    expect(canCombineAdam(adam)).toBe(false);
    adam.dispose();
  });
});
