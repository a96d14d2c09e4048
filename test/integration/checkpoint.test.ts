import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperparamsInput, ProgressEvent, RunFinishedEvent, StartRequest, TrainEvent } from '../../common/api';
import { StartRequestSchema } from '../../common/api';
import { chooseBackend } from '../../main/engine/backend';
import { restoreCheckpoint } from '../../main/engine/checkpoint';
import { listResumable, readCheckpointState } from '../../main/store/checkpoint-files';
import type { MnistDataset } from '../../main/engine/data/dataset';
import { loadDataset } from '../../main/engine/data/dataset';
import type { EngineContext } from '../../main/engine/engine';
import { trainRun } from '../../main/engine/engine';
import { RunStore } from '../../main/store/store';
import { engineContext } from '../support/engine-context';

const request = (hp: HyperparamsInput = {}): StartRequest =>
  StartRequestSchema.parse({
    hyperparams: { units: 16, batchSize: 32, budget: 60, validationInterval: 30, learningRate: 0.01, seed: 11, dropout: 0.2, ...hp },
    trainLimit: 1000,
    testLimit: 300,
    checkpointInterval: 20,
  });

class Crash extends Error {}

describe('checkpoints', () => {
  let root: string;
  let dataset: MnistDataset;
  let store: RunStore;

  beforeAll(async () => {
    await chooseBackend(['wasm']);
    root = mkdtempSync(path.join(os.tmpdir(), 'checkpoint-test-'));
    dataset = await loadDataset({ dataDir: path.join(root, 'data') });
    store = new RunStore(path.join(root, 'runs'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Trains; with `crashAt`, dies like a killed process when that iteration reports. */
  function context(events: TrainEvent[], crashAt?: number): EngineContext {
    return engineContext(dataset, store, events, {
      emit: (e) => {
        if (crashAt !== undefined && e.type === 'progress' && e.iteration >= crashAt) throw new Crash('killed');
        events.push(e);
      },
    });
  }

  const progressOf = (events: TrainEvent[]) => events.filter((e): e is ProgressEvent => e.type === 'progress');

  const cases: [string, HyperparamsInput][] = [
    ['', {}],
    [' (with augmentation: the same images after the resume)', { rotation: 12, shear: 8, aspect: 0.1, thickness: 0.6, elastic: 1.5 }],
  ];
  it.each(cases)('continues a crashed run from its last checkpoint exactly as if it had never stopped%s', async (_, hp) => {
    const [straightId, crashedId] = [`straight${hp.rotation ?? ''}`, `crashed${hp.rotation ?? ''}`];
    const straight: TrainEvent[] = [];
    await trainRun(straightId, request(hp), context(straight));

    const first: TrainEvent[] = [];
    await expect(trainRun(crashedId, request(hp), context(first, 50))).rejects.toBeInstanceOf(Crash);
    expect((await readCheckpointState(store, crashedId)).iteration).toBe(40);
    expect((await listResumable(store)).map((r) => [r.runId, r.iteration, r.totalIterations])).toEqual([[crashedId, 40, 60]]);

    const resumed: TrainEvent[] = [];
    const restored = await restoreCheckpoint(store, crashedId);
    await trainRun(crashedId, restored.state.request, context(resumed), restored);

    expect(resumed[0]).toMatchObject({ type: 'started', resumedFrom: { iteration: 40 } });
    // Same batches, same optimizer state, same dropout masks: the same numbers.
    const tail = (events: TrainEvent[]) =>
      progressOf(events)
        .filter((e) => e.iteration > 40)
        .map((e) => [e.iteration, e.loss, e.accuracy]);
    expect(tail(resumed)).toEqual(tail(straight));
    const final = (events: TrainEvent[]) => (events.at(-1) as RunFinishedEvent).test;
    expect(final(resumed).accuracy).toBe(final(straight).accuracy);
    const record = await store.loadRecord(crashedId);
    expect(record.history.train.map((p) => p.iteration)).toEqual([10, 20, 30, 40, 50, 60]);
    // A finished run is no longer resumable, and its checkpoint is gone.
    expect(await listResumable(store)).toEqual([]);
    await expect(readCheckpointState(store, crashedId)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('keeps the previous checkpoint when a newer one is only half written', async () => {
    await expect(trainRun('half', request(), context([], 30))).rejects.toBeInstanceOf(Crash);
    // What a kill in the middle of the next save leaves: a hidden temp folder beside the checkpoint.
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const temp = path.join(store.runDir('half'), '.checkpoint.0123456789ab.tmp');
    mkdirSync(temp);
    writeFileSync(path.join(temp, 'weights.bin'), Buffer.alloc(10));
    expect((await readCheckpointState(store, 'half')).iteration).toBe(20);
    const restored = await restoreCheckpoint(store, 'half');
    expect(restored.state.iteration).toBe(20);
    restored.model.dispose();
    restored.optimizer.dispose();
  });

  it('puts back a checkpoint a save set aside when the process was killed between its two renames', async () => {
    await expect(trainRun('aside', request(), context([], 30))).rejects.toBeInstanceOf(Crash);
    // What a quit mid-save leaves (swapInto renamed the old checkpoint aside, then the worker was
    // killed before the new one was renamed in): no checkpoint/, an old .aside.tmp beside it.
    const { renameSync, utimesSync } = await import('node:fs');
    const aside = path.join(store.runDir('aside'), '.checkpoint.0123456789ab.aside.tmp');
    renameSync(path.join(store.runDir('aside'), 'checkpoint'), aside);
    const fresh = await readCheckpointState(store, 'aside').catch((err: unknown) => err);
    expect(fresh).toMatchObject({ code: 'not-found' }); // young: a save may be running right now
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(aside, anHourAgo, anHourAgo);
    expect((await listResumable(store)).find((r) => r.runId === 'aside')?.iteration).toBe(20);
    const restored = await restoreCheckpoint(store, 'aside');
    expect(restored.state.iteration).toBe(20);
    restored.model.dispose();
    restored.optimizer.dispose();
  });

  it('refuses a damaged checkpoint with a message naming the file', async () => {
    await expect(trainRun('damaged', request(), context([], 30))).rejects.toBeInstanceOf(Crash);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(store.runDir('damaged'), 'checkpoint', 'optimizer.bin'), Buffer.alloc(12));
    await expect(restoreCheckpoint(store, 'damaged')).rejects.toMatchObject({
      code: 'model-corrupt',
      message: expect.stringContaining('damaged/checkpoint/optimizer.bin'),
    });
    writeFileSync(path.join(store.runDir('damaged'), 'checkpoint', 'state.json'), '{"formatVersion":1,"iteration":"x"}');
    await expect(restoreCheckpoint(store, 'damaged')).rejects.toMatchObject({
      code: 'model-corrupt',
      message: expect.stringContaining('damaged/checkpoint/state.json'),
    });
  });

  it('leaves no tensors behind after save and restore', async () => {
    const before = tf.memory().numTensors;
    await expect(trainRun('tensors', request(), context([], 30))).rejects.toBeInstanceOf(Crash);
    const restored = await restoreCheckpoint(store, 'tensors');
    await trainRun('tensors', restored.state.request, context([]), restored);
    expect(tf.memory().numTensors).toBe(before);
  });
});
