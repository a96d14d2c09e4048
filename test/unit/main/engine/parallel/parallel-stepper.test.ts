import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparams } from '../../../../../common/api';
import { HyperparamsSchema } from '../../../../../common/api';
import { StudioError } from '../../../../../common/errors';
import { chooseBackend } from '../../../../../main/engine/backend';
import { findHelperBundle } from '../../../../../main/engine/parallel/grad-helper';
import { buildModel, makeOptimizer } from '../../../../../main/engine/model';
import { resetParallelNote } from '../../../../../main/engine/parallel/parallel-stepper';
import type { Split } from '../../../../../main/engine/data/dataset';
import { scoreSplit } from '../../../../../main/engine/score';
import type { Stepper } from '../../../../../main/engine/train-step';
import { createStepper } from '../../../../../main/engine/train-step';
import { mulberry32 } from '../../../../../main/engine/rng';
import type { Augmentation } from '../../../../../common/augment';

function randomBatch(n: number, seed: number) {
  const random = mulberry32(seed);
  return {
    pixels: Float32Array.from({ length: n * 784 }, () => random()),
    labels: Int32Array.from({ length: n }, () => Math.floor(random() * 10)),
  };
}

/** `count` random images as a split (bytes, as the dataset holds them). */
function randomSplit(count: number, seed: number): Split {
  const random = mulberry32(seed);
  const images = Uint8Array.from({ length: count * 784 }, () => Math.floor(random() * 256));
  return { images, labels: Uint8Array.from({ length: count }, () => Math.floor(random() * 10)), count };
}

/**
 * Trains `steps` batches with a fresh model; returns its weights and the step results, and
 * the stepper's score of `split` and that of the single-thread scorer, when given one.
 */
async function train(
  hp: Hyperparams,
  makeStepper: (m: tf.LayersModel, o: tf.Optimizer) => Stepper,
  steps = 3,
  split?: Split,
  augmentation?: Augmentation,
) {
  const model = buildModel(hp, 11);
  const optimizer = makeOptimizer(hp);
  const stepper = makeStepper(model, optimizer);
  try {
    const results = [];
    for (let i = 0; i < steps; i++) {
      const batch = randomBatch(hp.batchSize, i);
      const augment = augmentation ? { augment: { augmentation, seed: 11, iteration: i } } : {};
      results.push(await stepper.step({ ...batch, ...augment }, true));
    }
    const scores = split ? { stepper: await stepper.score(split), single: scoreSplit(model, split) } : null;
    return { weights: model.getWeights().map((w) => Float32Array.from(w.dataSync())), results, scores };
  } finally {
    stepper.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

describe('createStepper with a helper thread', () => {
  let dir: string;
  const hp = HyperparamsSchema.parse({ units: 16, batchSize: 9, learningRate: 0.01, seed: 11 });
  const parallel = (extra = {}) => ({ hyperparams: hp, seed: 11, backend: 'wasm' as const, ...extra });

  beforeAll(async () => {
    await chooseBackend(['wasm']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-stepper-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in helper script: says ready, then runs `onRequest` for each request of type `type`. */
  function fakeHelper(name: string, onRequest: string, type = 'step'): URL {
    const file = path.join(dir, `${name}.mjs`);
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => { if (m.type === '${type}') { ${onRequest} } });\n`,
    );
    return pathToFileURL(file);
  }

  it('finds the built helper bundle', () => {
    expect(findHelperBundle()?.pathname).toMatch(/out\/worker\/grad-worker\.mjs$/);
  });

  it('trains to the same weights as one thread, to float rounding', async () => {
    const one = await train(hp, (m, o) => createStepper(m, o));
    const two = await train(hp, (m, o) => createStepper(m, o, parallel()));
    two.weights.forEach((w, k) => {
      const worst = w.reduce((max, v, i) => Math.max(max, Math.abs(v - one.weights[k][i])), 0);
      expect(worst).toBeLessThan(1e-5);
    });
    two.results.forEach((r, i) => {
      expect(r.loss).toBeCloseTo(one.results[i].loss, 5);
      expect(r.accuracy).toBeCloseTo(one.results[i].accuracy, 6);
    });
  });

  it('augments each thread’s part as one thread augments the whole batch', async () => {
    const augmentation = { rotation: 20, shear: 10, aspect: 0.2, thickness: 1, elastic: 2 };
    const one = await train(hp, (m, o) => createStepper(m, o), 3, undefined, augmentation);
    const two = await train(hp, (m, o) => createStepper(m, o, parallel()), 3, undefined, augmentation);
    const plain = await train(hp, (m, o) => createStepper(m, o, parallel()));
    two.weights.forEach((w, k) => {
      const worst = w.reduce((max, v, i) => Math.max(max, Math.abs(v - one.weights[k][i])), 0);
      expect(worst).toBeLessThan(1e-5);
    });
    two.results.forEach((r, i) => expect(r.loss).toBeCloseTo(one.results[i].loss, 5));
    expect(two.results.map((r) => r.loss)).not.toEqual(plain.results.map((r) => r.loss));
  });

  for (const count of [777, 501]) {
    it(`scores a split of ${count} images (several rounds, the last one odd) as one thread does`, async () => {
      const split = randomSplit(count, 5);
      const { scores } = await train(hp, (m, o) => createStepper(m, o, parallel()), 2, split);
      expect(scores?.stepper.loss).toBeCloseTo(scores?.single.loss ?? Number.NaN, 5);
      expect(scores?.stepper.accuracy).toBe(scores?.single.accuracy);
    });
  }

  it('fails a validation pass with worker-crashed when the helper dies in it', async () => {
    const helperUrl = fakeHelper('dies-scoring', 'process.exit(4);', 'score');
    const run = train(hp, (m, o) => createStepper(m, o, parallel({ helperUrl })), 0, randomSplit(10, 6));
    await expect(run).rejects.toMatchObject({ code: 'worker-crashed', message: expect.stringMatching(/exit code 4/) });
  });

  for (const optimizer of ['sgd', 'rmsprop'] as const) {
    it(`trains with ${optimizer} to the same weights as one thread`, async () => {
      const other = { ...hp, optimizer };
      const one = await train(other, (m, o) => createStepper(m, o));
      const two = await train(other, (m, o) => createStepper(m, o, { ...parallel(), hyperparams: other }));
      two.weights.forEach((w, k) => {
        const worst = w.reduce((max, v, i) => Math.max(max, Math.abs(v - one.weights[k][i])), 0);
        expect(worst).toBeLessThan(1e-5);
      });
    });
  }

  it('is deterministic for a given seed, with dropout', async () => {
    const withDropout = { ...hp, dropout: 0.3, layers: 2 };
    const options = { ...parallel(), hyperparams: withDropout };
    const a = await train(withDropout, (m, o) => createStepper(m, o, options));
    const b = await train(withDropout, (m, o) => createStepper(m, o, options));
    expect(a.weights).toEqual(b.weights);
  });

  it('leaves the tensor count flat', async () => {
    const before = tf.memory().numTensors;
    await train(hp, (m, o) => createStepper(m, o, parallel()));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails the step with worker-crashed when the helper dies', async () => {
    const helperUrl = fakeHelper('dies', 'process.exit(3);');
    const run = train(hp, (m, o) => createStepper(m, o, parallel({ helperUrl })));
    await expect(run).rejects.toThrow(StudioError);
    await expect(run).rejects.toMatchObject({ code: 'worker-crashed', message: expect.stringMatching(/exit code 3/) });
  });

  it('fails the step with worker-crashed when the helper stops answering', async () => {
    const helperUrl = fakeHelper('stalls', '');
    const run = train(hp, (m, o) => createStepper(m, o, parallel({ helperUrl, stepTimeoutMs: 300 })));
    await expect(run).rejects.toMatchObject({ code: 'worker-crashed', message: expect.stringMatching(/did not answer/) });
  });

  it('trains on one thread, and says so once, when the helper cannot start', async () => {
    resetParallelNote();
    const notes: string[] = [];
    const helperUrl = pathToFileURL(path.join(dir, 'nowhere.mjs'));
    const options = parallel({ helperUrl, onNote: (m: string) => notes.push(m) });
    const one = await train(hp, (m, o) => createStepper(m, o));
    const fallback = await train(hp, (m, o) => createStepper(m, o, options));
    await train(hp, (m, o) => createStepper(m, o, options));
    expect(fallback.weights).toEqual(one.weights);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/one thread/);
  });
});
