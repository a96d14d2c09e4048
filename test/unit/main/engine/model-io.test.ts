import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import type { RunRecord } from '../../../../common/api';
import { StudioError } from '../../../../common/errors';
import { modelFromFiles, modelToFiles } from '../../../../main/engine/model-io';
import { RunStore, expectedWeightBytes } from '../../../../main/store/store';
import type { ModelFiles } from '../../../../main/store/store';

/**
 * The app's shape of model, tiny: [batch, 28, 28] → LSTM(units) → Dense(10) logits. Layers are
 * named as the app names them, so two sizes differ in weight shapes only, not in weight names.
 */
function tinyModel(units: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units, inputShape: [28, 28], recurrentActivation: 'sigmoid', name: 'recurrent_0' }));
  model.add(tf.layers.dense({ units: 10, name: 'logits' }));
  return model;
}

/** A tiny model's files; the model itself is disposed. */
async function filesOf(units: number): Promise<ModelFiles> {
  const model = tinyModel(units);
  const files = await modelToFiles(model);
  model.dispose();
  return files;
}

function record(runId: string): RunRecord {
  return {
    formatVersion: 1,
    runId,
    name: runId,
    createdAt: new Date().toISOString(),
    hyperparams: { ...DEFAULT_HYPERPARAMS, units: 8 },
    seed: 1,
    backend: 'cpu',
    iterations: 0,
    stopped: false,
    testAccuracy: null,
    testCount: null,
    versions: { tfjs: tf.version.tfjs },
    elapsedMs: 0,
    history: { train: [], validation: [] },
    test: null,
  };
}

/** Runs `model` on a fixed random batch of 3 images. */
function predict(model: tf.LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(tf.randomUniform([3, 28, 28], 0, 1, 'float32', 7)) as tf.Tensor).dataSync() as Float32Array);
}

let root: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'model-io-test-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('modelToFiles()', () => {
  it('puts every weight in one weights.bin of the size the manifest declares', async () => {
    const model = tinyModel(8);
    const files = await modelToFiles(model);
    expect(files.modelJson.weightsManifest).toHaveLength(1);
    expect(files.modelJson.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // LSTM kernel [28, 32] + recurrent [8, 32] + bias [32], Dense kernel [8, 10] + bias [10], float32.
    const expected = (28 * 32 + 8 * 32 + 32 + 8 * 10 + 10) * 4;
    expect(files.weights.byteLength).toBe(expected);
    expect(expectedWeightBytes(files.modelJson)).toBe(expected);
    model.dispose();
  });
});

describe('modelFromFiles()', () => {
  it('gives identical predictions after save → store → load', async () => {
    const model = tinyModel(8);
    const store = new RunStore(path.join(root, 'runs'));
    await store.saveRun(record('round-trip'), await modelToFiles(model));
    const loaded = await modelFromFiles(await store.loadModelFiles('round-trip'));
    expect(Array.from(predict(loaded))).toEqual(Array.from(predict(model)));
    model.dispose();
    loaded.dispose();
  });

  it('throws model-corrupt "incompatible" for weights from a smaller model, leaving no variables behind', async () => {
    const small = await filesOf(8);
    const large = await filesOf(16);
    // The 16-unit topology with the 8-unit manifest and weights: each file is valid on its own.
    const mixed = { modelJson: { ...small.modelJson, modelTopology: large.modelJson.modelTopology }, weights: small.weights };
    const variablesBefore = Object.keys(tf.engine().registeredVariables).length;
    const err = await modelFromFiles(mixed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect(err).toMatchObject({ code: 'model-corrupt', message: expect.stringMatching(/incompatible.*[Ss]hape/) });
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(variablesBefore);
  });

  it('throws model-corrupt "incompatible" when the weights name layers the topology lacks', async () => {
    const files = await filesOf(8);
    const renamed = JSON.parse(JSON.stringify(files.modelJson.modelTopology).replaceAll('recurrent_0', 'other')) as Record<string, unknown>;
    const err = await modelFromFiles({ ...files, modelJson: { ...files.modelJson, modelTopology: renamed } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'model-corrupt', message: expect.stringMatching(/incompatible.*recurrent_0/) });
  });

  it('throws model-corrupt naming a layer type it does not know', async () => {
    const files = await filesOf(8);
    const topology = JSON.parse(JSON.stringify(files.modelJson.modelTopology).replace('"LSTM"', '"Mystery"')) as Record<string, unknown>;
    const err = await modelFromFiles({ ...files, modelJson: { ...files.modelJson, modelTopology: topology } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'model-corrupt', message: expect.stringMatching(/^model\.json: .*Mystery/) });
  });

  it('throws model-corrupt for weights shorter than the manifest says', async () => {
    const files = await filesOf(8);
    const err = await modelFromFiles({ ...files, weights: files.weights.subarray(0, 100) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'model-corrupt', message: expect.stringMatching(/weights\.bin: truncated/) });
  });
});
