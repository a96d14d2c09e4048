import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparams } from '../../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import { CELL_CLASSES, buildModel } from '../../../../main/engine/model';
import { modelToFiles } from '../../../../main/engine/model-io';
import { Predictor } from '../../../../main/engine/predictor';
import { RunStore } from '../../../../main/store/store';
import { makeRecord } from './run-fixtures';

const PIXELS = Array.from({ length: 784 }, (_, k) => (k % 7) / 7);

/** A model as runs saved before the fused GRU and SimpleRNN were built it: tfjs-layers' own cells. */
function legacyModel(cell: 'gru' | 'rnn', units: number): tf.LayersModel {
  const input = tf.input({ shape: [28, 28] });
  const recurrent = cell === 'gru' ? tf.layers.gru({ units, recurrentActivation: 'sigmoid' }) : tf.layers.simpleRNN({ units });
  const head = tf.layers.dense({ units: 10, name: 'logits' });
  return tf.model({ inputs: input, outputs: head.apply(recurrent.apply(input)) as tf.SymbolicTensor });
}

describe('Predictor with GRU and SimpleRNN runs', () => {
  let dir: string;
  let store: RunStore;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(path.join(os.tmpdir(), 'predictor-'));
    store = new RunStore(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function save(runId: string, model: tf.LayersModel, hp: Partial<Hyperparams>): Promise<void> {
    await store.saveRun(makeRecord(runId, { hyperparams: { ...DEFAULT_HYPERPARAMS, ...hp } }), await modelToFiles(model));
  }

  it.each(['gru', 'rnn'] as const)('builds new %s runs from the fused layer class', (cell) => {
    const model = buildModel({ ...DEFAULT_HYPERPARAMS, cell, units: 8 }, 1);
    expect(model.layers.map((l) => l.getClassName())).toContain(CELL_CLASSES[cell][0]);
    expect(CELL_CLASSES[cell][0]).toMatch(/^Fused/);
    model.dispose();
  });

  it.each(['gru', 'rnn'] as const)(
    'still predicts with a %s run saved with the tfjs-layers cell, the same as the model itself',
    async (cell) => {
      const model = legacyModel(cell, 6);
      await save(`legacy-${cell}`, model, { cell, units: 6 });
      const predictor = new Predictor(store);
      const { probabilities, perRow } = await predictor.predict(`legacy-${cell}`, PIXELS);
      const want = tf.tidy(() => tf.softmax(model.predict(tf.tensor3d(PIXELS, [1, 28, 28])) as tf.Tensor).dataSync());
      probabilities.forEach((p, k) => expect(p).toBeCloseTo(want[k], 5));
      expect(perRow).toHaveLength(28);
      predictor.dispose();
      model.dispose();
    },
  );

  it('predicts with a fused GRU run as its own model does, and refuses one whose run.json says SimpleRNN', async () => {
    const model = buildModel({ ...DEFAULT_HYPERPARAMS, cell: 'gru', units: 6 }, 2);
    await save('fused-gru', model, { cell: 'gru', units: 6 });
    await save('mislabelled', model, { cell: 'rnn', units: 6 });
    const predictor = new Predictor(store);
    const { probabilities } = await predictor.predict('fused-gru', PIXELS);
    const want = tf.tidy(() => tf.softmax(model.predict(tf.tensor3d(PIXELS, [1, 28, 28])) as tf.Tensor).dataSync());
    probabilities.forEach((p, k) => expect(p).toBeCloseTo(want[k], 5));
    await expect(predictor.predict('mislabelled', PIXELS)).rejects.toMatchObject({
      code: 'model-corrupt',
      message: expect.stringContaining('holds FusedGRU(6), but run.json describes FusedSimpleRNN(6)'),
    });
    predictor.dispose();
    model.dispose();
  });
});
