import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperparamsInput, ProgressEvent, StartRequest, TrainEvent } from '../../common/api';
import { StartRequestSchema } from '../../common/api';
import { chooseBackend } from '../../main/engine/backend';
import type { MnistDataset } from '../../main/engine/data/dataset';
import { loadDataset } from '../../main/engine/data/dataset';
import { DivergedError, trainRun } from '../../main/engine/engine';
import { Predictor } from '../../main/engine/predictor';
import { RunStore } from '../../main/store/store';
import { engineContext } from '../support/engine-context';

const SMALL: HyperparamsInput = { units: 16, batchSize: 32, budget: 60, validationInterval: 30, learningRate: 0.01, seed: 7 };

function request(hyperparams: HyperparamsInput, extra: Partial<StartRequest> = {}): StartRequest {
  return StartRequestSchema.parse({ hyperparams: { ...SMALL, ...hyperparams }, trainLimit: 2000, testLimit: 500, ...extra });
}

describe('trainRun', () => {
  let root: string;
  let dataset: MnistDataset;
  let store: RunStore;

  beforeAll(async () => {
    await chooseBackend(['wasm']);
    root = mkdtempSync(path.join(os.tmpdir(), 'engine-test-'));
    dataset = await loadDataset({ dataDir: path.join(root, 'data') });
    store = new RunStore(path.join(root, 'runs'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Runs to the end, collecting events; `stopAt` asks for a stop once that iteration reports. */
  async function run(runId: string, req: StartRequest, stopAt?: number): Promise<TrainEvent[]> {
    const events: TrainEvent[] = [];
    let stop = false;
    const ctx = engineContext(dataset, store, events, {
      versions: { test: '1' },
      emit: (e) => {
        events.push(e);
        if (stopAt !== undefined && e.type === 'progress' && e.iteration >= stopAt) stop = true;
      },
      isStopRequested: () => stop,
    });
    await trainRun(runId, req, ctx);
    return events;
  }

  it('learns: the loss falls and test accuracy ends far above chance', async () => {
    const events = await run('learns', request({ budget: 150 }));
    const progress = events.filter((e): e is ProgressEvent => e.type === 'progress');
    const first = progress[0];
    const last = progress.at(-1)!;
    expect(last.validation!.loss).toBeLessThan(first.loss * 0.6);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.test.count).toBe(500);
    expect(done.test.accuracy).toBeGreaterThan(0.6); // chance is 0.1
  });

  it('emits started, progress every 10 iterations with validation at the interval, then done', async () => {
    const events = await run('order', request({}));
    expect(events[0]).toMatchObject({ type: 'started', totalIterations: 60, backend: 'wasm', seed: 7 });
    const progress = events.filter((e): e is ProgressEvent => e.type === 'progress');
    expect(progress.map((e) => e.iteration)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(progress.filter((e) => e.validation).map((e) => e.iteration)).toEqual([30, 60]);
    expect(progress.at(-1)!.etaMs).toBe(0);
    expect(events.at(-1)!.type).toBe('done');
  });

  it('counts epochs as passes over the training images', async () => {
    const events = await run('epochs', request({ budgetUnit: 'epochs', budget: 1, batchSize: 64 }, { trainLimit: 640 }));
    expect(events[0]).toMatchObject({ type: 'started', totalIterations: 10 });
  });

  it('stops within one batch of being asked and still saves the partial run', async () => {
    // The stop is asked for while iteration 20 reports, so 20 is the last batch trained.
    const events = await run('stopped', request({ budget: 500 }), 20);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', stopped: true, iterations: 20 });
    const record = await store.loadRecord('stopped');
    expect(record.stopped).toBe(true);
    expect(record.iterations).toBe(20);
  });

  it('stops a run whose loss diverges with a clear "diverged" error', async () => {
    await expect(run('diverged', request({ learningRate: 10, optimizer: 'rmsprop', units: 64 }))).rejects.toMatchObject({
      code: 'diverged',
      message: expect.stringMatching(/diverged at iteration \d+: the loss reached \d+.*learning rate \(10\)/),
    });
    await expect(store.loadRecord('diverged')).rejects.toMatchObject({ code: 'not-found' });
    // Its history up to the blow-up comes with the error.
    const err = (await run('diverged-2', request({ learningRate: 10, optimizer: 'rmsprop', units: 64 })).catch(
      (e: unknown) => e,
    )) as DivergedError;
    expect(err).toBeInstanceOf(DivergedError);
    const last = err.history.train.at(-1)!;
    expect(last.loss).toBeGreaterThan(100);
    expect(err.message).toContain(`iteration ${last.iteration}:`);
  });

  it('repeats a seeded run exactly on the same backend', async () => {
    const losses = async (runId: string) =>
      (await run(runId, request({ budget: 40 }))).filter((e): e is ProgressEvent => e.type === 'progress').map((e) => [e.loss, e.accuracy]);
    expect(await losses('seed-a')).toEqual(await losses('seed-b'));
  });

  it('trains GRU, SimpleRNN, stacked and dropout variants', async () => {
    for (const hp of [{ cell: 'gru' }, { cell: 'rnn' }, { layers: 2 }, { dropout: 0.3 }] as HyperparamsInput[]) {
      const events = await run(`variant-${Object.values(hp).join('-')}`, request({ ...hp, budget: 20 }));
      expect(events.at(-1)!.type).toBe('done');
    }
  });

  it('saves a run whose reloaded model predicts exactly what the trained one did', async () => {
    const events = await run('saved', request({ budget: 30 }));
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error('run failed');
    const predictor = new Predictor(store);
    const evaluated = await predictor.evaluate('saved', dataset.test, 500);
    expect(evaluated.accuracy).toBe(done.test.accuracy);
    expect(evaluated.confusion).toEqual(done.test.confusion);
    const pixels = Array.from(dataset.test.images.subarray(0, 784), (v) => v / 255);
    const prediction = await predictor.predict('saved', pixels);
    expect(prediction.perRow).toHaveLength(28);
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(prediction.probabilities).toEqual(prediction.perRow[27]);
    predictor.dispose();
  });

  it('leaves the tensor count where it found it', async () => {
    const before = tf.memory().numTensors;
    await run('tensors', request({ budget: 30 }));
    expect(tf.memory().numTensors).toBe(before);
  });
});
