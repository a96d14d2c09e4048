import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparams } from '../../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import { chooseBackend } from '../../../../main/engine/backend';
import { buildModel } from '../../../../main/engine/model';

const shapes = (model: tf.LayersModel) => model.getWeights().map((w) => w.shape);

describe('buildModel without initializers (the gradient helper)', () => {
  beforeAll(async () => {
    await chooseBackend(['wasm']);
  });

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`builds the same ${cell} weights' shapes, every value zero but the LSTM's forget bias`, () => {
      const hp: Hyperparams = { ...DEFAULT_HYPERPARAMS, cell, units: 12, layers: 2, dropout: 0.1 };
      const initialized = buildModel(hp, 3);
      const bare = buildModel(hp, 3, { initialize: false });
      expect(shapes(bare)).toEqual(shapes(initialized));
      const values = bare.getWeights().map((w) => Array.from(w.dataSync()));
      const kernels = values.filter((_, k) => bare.getWeights()[k].shape.length === 2 && bare.getWeights()[k].shape[0] !== 2);
      expect(kernels.flat().every((v) => v === 0)).toBe(true);
      // The initialized model's kernels are not zero: the option is what made them so.
      expect(
        initialized
          .getWeights()[0]
          .dataSync()
          .some((v) => v !== 0),
      ).toBe(true);
      if (cell === 'lstm') {
        const bias = bare.getWeights()[2].dataSync();
        expect(Array.from(bias.subarray(12, 24))).toEqual(new Array<number>(12).fill(DEFAULT_HYPERPARAMS.forgetBias));
      }
      initialized.dispose();
      bare.dispose();
    });
  }
});
