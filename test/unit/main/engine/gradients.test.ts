import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperparamsInput } from '../../../../common/api';
import { HyperparamsSchema } from '../../../../common/api';
import { chooseBackend } from '../../../../main/engine/backend';
import { combineGradients, combineScores, partGradients } from '../../../../main/engine/gradients';
import { buildModel } from '../../../../main/engine/model';
import { mulberry32 } from '../../../../main/engine/rng';

/** A seeded batch of `n` random images and labels. */
function randomBatch(n: number, seed: number) {
  const random = mulberry32(seed);
  return {
    pixels: Float32Array.from({ length: n * 784 }, () => random()),
    labels: Int32Array.from({ length: n }, () => Math.floor(random() * 10)),
  };
}

/** Largest |a − b| relative to the largest |b|, over all weights. */
function relativeError(a: tf.Tensor[], b: tf.Tensor[]): number {
  return tf.tidy(() => {
    let worst = 0;
    a.forEach((g, k) => {
      const scale = Math.max(1e-12, tf.max(tf.abs(b[k])).dataSync()[0]);
      worst = Math.max(worst, tf.max(tf.abs(tf.sub(g, b[k]))).dataSync()[0] / scale);
    });
    return worst;
  });
}

describe('combineGradients', () => {
  beforeAll(async () => {
    await chooseBackend(['wasm']);
  });

  const models: [string, HyperparamsInput][] = [
    ['an LSTM', { cell: 'lstm', units: 16 }],
    ['a stacked GRU', { cell: 'gru', units: 8, layers: 2 }],
    ['a SimpleRNN', { cell: 'rnn', units: 12 }],
  ];
  for (const [name, hp] of models) {
    it(`gives the full-batch gradient from two unequal halves for ${name}`, () => {
      const model = buildModel(HyperparamsSchema.parse(hp), 3);
      const batch = randomBatch(13, 5);
      const full = partGradients(model, batch, true);
      const cut = 7;
      const first = partGradients(model, { pixels: batch.pixels.subarray(0, cut * 784), labels: batch.labels.subarray(0, cut) }, true);
      const second = partGradients(model, { pixels: batch.pixels.subarray(cut * 784), labels: batch.labels.subarray(cut) }, true);
      const combined = combineGradients([first, second]);
      expect(combined.map((g) => g.shape)).toEqual(full.grads.map((g) => g.shape));
      expect(relativeError(combined, full.grads)).toBeLessThan(1e-5);
      const scores = combineScores([first, second]);
      expect(scores.loss).toBeCloseTo(full.loss, 5);
      expect(scores.accuracy).toBeCloseTo(full.correct / 13, 6);
      tf.dispose([...combined, ...full.grads, ...first.grads, ...second.grads]);
      model.dispose();
    });
  }

  it('leaves no tensors behind once the gradients are disposed', () => {
    const model = buildModel(HyperparamsSchema.parse({ units: 8 }), 1);
    const before = tf.memory().numTensors;
    const part = partGradients(model, randomBatch(4, 1), false);
    expect(part.correct).toBeNaN();
    tf.dispose(part.grads);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
