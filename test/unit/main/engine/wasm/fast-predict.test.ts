import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparams } from '../../../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../../../common/api';
import { chooseBackend } from '../../../../../main/engine/backend';
import { fastPathFor as createFastPredict } from '../../../../../main/engine/predictor';
import { buildModel, buildSequenceModel } from '../../../../../main/engine/model';
import type { ModelShape } from '../../../../support/random-model';
import { mnistTestImages, randomModel } from '../../../../support/random-model';

type Shape = ModelShape & Pick<Hyperparams, 'dropout'>;
const mnistImages = mnistTestImages;

/** The tf.layers path the predictor used before: 28 × 10 softmax rows. */
function layersPerRow(sequence: tf.LayersModel, pixels: Float32Array): number[][] {
  return tf.tidy(() => tf.softmax(sequence.predict(tf.tensor3d(pixels, [1, 28, 28])) as tf.Tensor3D).arraySync()[0]);
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, t) => row.map((v, k) => Math.abs(v - b[t][k]))));
}

// The predictor picks the classic model and hands its weights to the wasm fast path.
describe("createFastPredict (through the predictor's fastPathFor)", () => {
  beforeAll(async () => {
    await chooseBackend(['wasm']);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  const shapes: Shape[] = [
    { cell: 'lstm', units: 8, layers: 1, dropout: 0 },
    { cell: 'lstm', units: 128, layers: 1, dropout: 0 },
    { cell: 'lstm', units: 13, layers: 3, dropout: 0.2 },
    { cell: 'gru', units: 8, layers: 1, dropout: 0 },
    { cell: 'gru', units: 100, layers: 2, dropout: 0 },
    { cell: 'rnn', units: 7, layers: 1, dropout: 0 },
    { cell: 'rnn', units: 64, layers: 2, dropout: 0.1 },
  ];
  for (const shape of shapes) {
    it(`gives the tf.layers path's probabilities on real MNIST images: ${shape.cell} ${shape.units} × ${shape.layers}, dropout ${shape.dropout}`, () => {
      const model = randomModel(shape, 11 + shape.units, 0.4);
      const sequence = buildSequenceModel(model);
      const fast = createFastPredict(model);
      expect(fast).not.toBeNull();
      const before = tf.memory().numTensors;
      for (const pixels of mnistImages(4)) {
        const prediction = fast?.predict(pixels);
        expect(prediction?.perRow).toHaveLength(28);
        expect(maxDiff(prediction?.perRow ?? [], layersPerRow(sequence, pixels))).toBeLessThan(1e-5);
        expect(prediction?.probabilities).toEqual(prediction?.perRow[27]);
      }
      expect(tf.memory().numTensors).toBe(before);
      fast?.dispose();
      sequence.dispose();
      model.dispose();
    });
  }

  it("declines older runs' tfjs GRU and SimpleRNN layers (their maths differs)", () => {
    for (const layer of [tf.layers.gru({ units: 8 }), tf.layers.simpleRNN({ units: 8 })]) {
      const input = tf.input({ shape: [28, 28] });
      const head = tf.layers.dense({ units: 10, name: 'logits' });
      const model = tf.model({ inputs: input, outputs: head.apply(layer.apply(input)) as tf.SymbolicTensor });
      expect(createFastPredict(model)).toBeNull();
      model.dispose();
    }
  });

  it('declines every backend but wasm', async () => {
    const model = buildModel({ ...DEFAULT_HYPERPARAMS, units: 8, layers: 1, cell: 'gru' }, 1);
    await tf.setBackend('cpu');
    expect(createFastPredict(model)).toBeNull();
    await tf.setBackend('wasm');
    model.dispose();
  });
});
