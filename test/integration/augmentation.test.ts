import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperparamsInput, ProgressEvent, RunFinishedEvent, StartRequest, TrainEvent } from '../../common/api';
import { StartRequestSchema } from '../../common/api';
import { chooseBackend } from '../../main/engine/backend';
import { augmentBatch, augmentWorkspace } from '../../common/augment';
import { BatchSource, augmentPart, gatherBatch } from '../../main/engine/data/batches';
import type { MnistDataset } from '../../main/engine/data/dataset';
import { loadDataset, sliceSplit } from '../../main/engine/data/dataset';
import { trainRun } from '../../main/engine/engine';
import { evaluateModel } from '../../main/engine/evaluate';
import { modelFromFiles } from '../../main/engine/model-io';
import { fastAugmentWorkspace } from '../../main/engine/wasm';
import { RunStore } from '../../main/store/store';
import { engineContext } from '../support/engine-context';

const AUGMENT = { rotation: 15, shear: 10, aspect: 0.1, thickness: 0.8, elastic: 2 };

const request = (hp: HyperparamsInput = {}): StartRequest =>
  StartRequestSchema.parse({
    hyperparams: { units: 16, batchSize: 32, budget: 40, validationInterval: 20, learningRate: 0.01, seed: 5, ...hp },
    trainLimit: 1000,
    testLimit: 300,
  });

describe('training with augmentation (real MNIST, real engine)', () => {
  let root: string;
  let dataset: MnistDataset;
  let store: RunStore;

  beforeAll(async () => {
    await chooseBackend(['wasm']);
    root = mkdtempSync(path.join(os.tmpdir(), 'augment-test-'));
    dataset = await loadDataset({ dataDir: path.join(root, 'data') });
    store = new RunStore(path.join(root, 'runs'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const context = (events: TrainEvent[]) => engineContext(dataset, store, events);
  const progress = (events: TrainEvent[]) =>
    events.filter((e): e is ProgressEvent => e.type === 'progress').map((e) => [e.iteration, e.loss, e.accuracy, e.validation ?? null]);
  const finished = (events: TrainEvent[]) => events.at(-1) as RunFinishedEvent;

  it('repeats exactly for a seed, and trains on other images than without augmentation', async () => {
    const [a, b, plain]: TrainEvent[][] = [[], [], []];
    await trainRun('aug-a', request(AUGMENT), context(a));
    await trainRun('aug-b', request(AUGMENT), context(b));
    await trainRun('plain', request(), context(plain));
    expect(progress(a)).toEqual(progress(b));
    expect(finished(a).test).toEqual(finished(b).test);
    expect(progress(a)).not.toEqual(progress(plain));
  });

  it('augments training batches only: labels unchanged, the test score is the saved model on the raw test images', async () => {
    const train = sliceSplit(dataset.train, 0, 1000);
    const [plain, augmented] = [new BatchSource(train, 32, 5), new BatchSource(train, 32, 5, { ...AUGMENT })];
    for (let it = 0; it < 3; it++) {
      const p = plain.batch(it);
      const [pixels, labels] = [p.pixels.slice(), p.labels.slice()];
      const q = augmented.batch(it);
      // The batch carries the raw images and how to augment them; each stepper thread augments its part.
      expect(p.augment).toBeUndefined();
      expect(q.augment).toEqual({ augmentation: AUGMENT, seed: 5, iteration: it });
      expect(q.pixels).toEqual(pixels);
      augmentPart(q.pixels, 0, q.labels.length, q.augment!, augmentWorkspace());
      expect(q.labels).toEqual(labels);
      expect(q.pixels).not.toEqual(pixels);
      expect(q.pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    const events: TrainEvent[] = [];
    await trainRun('scored', request(AUGMENT), context(events));
    const model = await modelFromFiles(await store.loadModelFiles('scored'));
    const raw = await evaluateModel(model, sliceSplit(dataset.test, 0, 300));
    model.dispose();
    expect(finished(events).test.accuracy).toBe(raw.accuracy);
    expect(finished(events).test.loss).toBe(raw.loss);
  });

  it('augments real digits in WebAssembly exactly as the JavaScript does', () => {
    const count = 2000;
    const { pixels } = gatherBatch(
      dataset.train,
      Array.from({ length: count }, (_, i) => i),
    );
    for (const [i, augmentation] of [AUGMENT, { ...AUGMENT, thickness: -1.5, elastic: 0 }].entries()) {
      const [js, wasm] = [pixels.slice(), pixels.slice()];
      augmentBatch(js, count, augmentation, { seed: 11, iteration: i }, augmentWorkspace());
      augmentBatch(wasm, count, augmentation, { seed: 11, iteration: i }, fastAugmentWorkspace());
      // The first pixel that differs (-1: none); toEqual over 1.5 million values takes seconds.
      expect(wasm.findIndex((v, k) => !Object.is(v, js[k]))).toBe(-1);
      expect(js.findIndex((v, k) => v !== pixels[k])).toBeGreaterThanOrEqual(0);
    }
  });
});
