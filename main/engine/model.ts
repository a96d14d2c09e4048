/**
 * Builds the recurrent classifier from Hyperparams: each image is read row by row, 28 time
 * steps of 28 pixels, through `layers` stacked recurrent layers, and the last step's output
 * goes to Dense(10) logits. No I/O, no training.
 */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../common/api';
import { FusedGRU, FusedSimpleRNN } from './rnn/fused-cell-layers';
import { FusedLSTM } from './rnn/fused-lstm-layer';
import { SeededDropout } from './seeded-dropout';
import { CLASSES, FEATURES, TIME_STEPS } from '../../common/mnist';

/** Image rows = time steps; pixels per row = features per step. */
export { CLASSES, FEATURES, TIME_STEPS };

interface RecurrentSpec {
  units: number;
  returnSequences: boolean;
  forgetBias: number;
  seed: number;
  name: string;
}

/** Keras/PyTorch-peer initialisation (Glorot kernel, orthogonal recurrent), seeded. */
function tfjsArgs(spec: RecurrentSpec) {
  return {
    units: spec.units,
    returnSequences: spec.returnSequences,
    // tfjs defaults to hard-sigmoid; the classic model (and PyTorch) use the real sigmoid.
    recurrentActivation: 'sigmoid' as const,
    kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: spec.seed + 1, gain: 1 }),
    name: spec.name,
  };
}

interface RecurrentKind {
  className: string;
  make: (spec: RecurrentSpec) => tf.layers.Layer;
}

/** One factory per cell type: our fused layers (same maths, one kernel per pass on wasm). */
const RECURRENT: Record<Hyperparams['cell'], RecurrentKind> = {
  lstm: { className: FusedLSTM.className, make: (spec) => new FusedLSTM(spec) },
  gru: { className: FusedGRU.className, make: (spec) => new FusedGRU(spec) },
  rnn: { className: FusedSimpleRNN.className, make: (spec) => new FusedSimpleRNN(spec) },
};

/**
 * The tfjs-layers classes that runs saved before the fused GRU and SimpleRNN were built from:
 * they still load, predict and resume (tfjs's GRU resets before the recurrent product, as
 * Keras's reset_after=False does, so its weights are not interchangeable with FusedGRU's).
 */
const LEGACY: Record<Hyperparams['cell'], RecurrentKind[]> = {
  lstm: [],
  gru: [{ className: 'GRU', make: (spec) => tf.layers.gru(tfjsArgs(spec)) }],
  rnn: [{ className: 'SimpleRNN', make: (spec) => tf.layers.simpleRNN(tfjsArgs(spec)) }],
};

/** The layer classes a saved model.json may name for each cell type: the fused one first, then legacy ones. */
export const CELL_CLASSES: Record<Hyperparams['cell'], string[]> = Object.fromEntries(
  Object.entries(RECURRENT).map(([cell, kind]) => [cell, [kind.className, ...LEGACY[cell as Hyperparams['cell']].map((k) => k.className)]]),
) as Record<Hyperparams['cell'], string[]>;

const ALL_KINDS: RecurrentKind[] = [...Object.values(RECURRENT), ...Object.values(LEGACY).flat()];

export interface BuildOptions {
  /**
   * False for a model whose weights are overwritten before use (the gradient helper's): its
   * layers start at zeros instead of running the initializers. The orthogonal one is a QR
   * factorisation whose temporaries (2,048 × 2,048 for LSTM 512) raise the wasm heap's
   * high-water mark by ~140 MB, and a wasm heap never gives memory back.
   */
  initialize?: boolean;
}

/** Applies `layer` to `x`, its weights at zeros when `initialize` is false (see BuildOptions). */
function applyLayer(layer: tf.layers.Layer, x: tf.SymbolicTensor, initialize: boolean): tf.SymbolicTensor {
  layer.setFastWeightInitDuringBuild(!initialize);
  return layer.apply(x) as tf.SymbolicTensor;
}

/**
 * The classifier: input [batch, 28, 28] (pixels 0–1) → logits [batch, 10].
 * Dropout, when set, is applied to each recurrent layer's input with its own seed.
 */
export function buildModel(hp: Hyperparams, seed: number, { initialize = true }: BuildOptions = {}): tf.LayersModel {
  // Layers initialise their weights as they are applied, hence the whole build is quiet.
  return quietly(() => {
    const input = tf.input({ shape: [TIME_STEPS, FEATURES], name: 'rows' });
    let x: tf.SymbolicTensor = input;
    for (let i = 0; i < hp.layers; i++) {
      if (hp.dropout > 0) {
        x = new SeededDropout({ rate: hp.dropout, seed: seed + 7919 * (i + 1), name: `dropout_${i}` }).apply(x) as tf.SymbolicTensor;
      }
      const spec = {
        units: hp.units,
        returnSequences: i < hp.layers - 1,
        forgetBias: hp.forgetBias,
        seed: seed + 101 * i,
        name: `recurrent_${i}`,
      };
      x = applyLayer(RECURRENT[hp.cell].make(spec), x, initialize);
    }
    const head = tf.layers.dense({
      units: CLASSES,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 999 }),
      name: 'logits',
    });
    return tf.model({ inputs: input, outputs: applyLayer(head, x, initialize), name: `${hp.cell}_classifier` });
  });
}

/**
 * A twin of `model` whose last recurrent layer returns every step, with the same Dense head on
 * each: input [batch, 28, 28] → logits [batch, 28, 10], i.e. the answer after each row read.
 */
export function buildSequenceModel(model: tf.LayersModel): tf.LayersModel {
  return quietly(() => {
    const input = tf.input({ shape: [TIME_STEPS, FEATURES] });
    let x: tf.SymbolicTensor = input;
    model.layers.forEach((layer, i) => {
      const kind = ALL_KINDS.find((r) => r.className === layer.getClassName());
      if (!kind) return;
      const units = (layer.getConfig() as { units: number }).units;
      const twin = kind.make({ units, returnSequences: true, forgetBias: 0, seed: 0, name: `seq_${i}` });
      x = applyLayer(twin, x, false);
      twin.setWeights(layer.getWeights());
    });
    // Dense on [batch, 28, H] works on the last axis: one matmul for all rows, where
    // timeDistributed would unstack, run 28 small matmuls and stack again.
    const dense = tf.layers.dense({ units: CLASSES });
    x = applyLayer(dense, x, false);
    dense.setWeights(model.getLayer('logits').getWeights());
    return tf.model({ inputs: input, outputs: x });
  });
}

/** Builds the optimizer that Hyperparams names. */
export function makeOptimizer(hp: Hyperparams): tf.Optimizer {
  switch (hp.optimizer) {
    case 'adam':
      return tf.train.adam(hp.learningRate);
    case 'sgd':
      return tf.train.sgd(hp.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(hp.learningRate, 0.9);
  }
}

/** Runs `fn` with tfjs's "Orthogonal initializer … slowness may result" console noise muted. */
function quietly<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('Orthogonal initializer')) warn(...args);
  };
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}
