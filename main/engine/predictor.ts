/**
 * Predictions for the drawing pad and test-set evaluation of saved runs. Keeps the last loaded
 * run in memory so that predicting while a person draws costs one forward pass, not a load.
 */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams, Inspection, Prediction, TestResults } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { Split } from './data/dataset';
import { sliceSplit } from './data/dataset';
import { evaluateModel } from './evaluate';
import { classifyImages } from './classify';
import type { FastCell, FastPredict, RowStepper, StackWeights } from './wasm';
import { createFastPredict, createRowStepper, predictWith } from './wasm';
import { createJsStepper } from './inside/js-stepper';
import { inspect } from './inside/inspect';
import { FusedGRU, FusedSimpleRNN } from './rnn/fused-cell-layers';
import { FusedLSTM } from './rnn/fused-lstm-layer';
import { CELL_CLASSES, FEATURES, TIME_STEPS, buildSequenceModel } from './model';
import { modelFromFiles } from './model-io';
import type { RunStore } from '../store/store';

/** The fused layer classes the wasm fast path steps through, by the cell type it names them. */
const FAST_CELLS: readonly (readonly [new (...args: never[]) => tf.layers.Layer, FastCell])[] = [
  [FusedLSTM, 'lstm'],
  [FusedGRU, 'gru'],
  [FusedSimpleRNN, 'rnn'],
];

/**
 * The weights of a model of 1–4 fused recurrent layers of one cell type, then the linear Dense
 * `logits` head, as the row steppers take them; null for every other model (the legacy tfjs
 * GRU and SimpleRNN of older runs).
 */
export function stackWeightsOf(model: tf.LayersModel): StackWeights | null {
  const weighted = model.layers.filter((layer) => layer.weights.length > 0);
  const head = weighted.pop();
  const headConfig = head?.getConfig() as { activation?: string } | undefined;
  if (!head || head.name !== 'logits' || headConfig?.activation !== 'linear' || weighted.length === 0) return null;
  const cell = FAST_CELLS.find(([layerClass]) => weighted.every((layer) => layer instanceof layerClass))?.[1];
  if (!cell) return null;
  const layers = weighted.map((layer) => layer.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor]);
  const [headWeights, headBias] = head.getWeights();
  return { cell, layers, head: [headWeights, headBias] };
}

/** The engine-free single-image path for such a model on wasm; null for other models and backends. */
export function fastPathFor(model: tf.LayersModel): FastPredict | null {
  const weights = stackWeightsOf(model);
  return weights && createFastPredict(weights);
}

/** One image's answers through tf.layers, for the models and backends the fast path does not serve. */
function layersPredict(model: tf.LayersModel): FastPredict {
  const sequence = buildSequenceModel(model);
  return {
    predict(pixels) {
      const perRow = tf.tidy(() => {
        const x = tf.tensor3d(Float32Array.from(pixels), [1, TIME_STEPS, FEATURES]);
        return tf.softmax(sequence.predict(x) as tf.Tensor3D).arraySync()[0];
      });
      return { probabilities: perRow[TIME_STEPS - 1], perRow };
    },
    dispose: () => sequence.dispose(),
  };
}

interface LoadedRun {
  runId: string;
  /** RunStore.fingerprint of the files the model came from. */
  print: string;
  model: tf.LayersModel;
  /** One image's answers: the engine-free path where it serves, else `layersPredict`. */
  rows: FastPredict;
  /** The model's weights for the row steppers; null for legacy layers. */
  weights: StackWeights | null;
  /** The row stepper: wasm's (which also predicts), or on other backends a JavaScript one made on the first inspection. */
  stepper: RowStepper | null;
}

/**
 * The model files must be the model run.json describes: a folder whose model.json and
 * weights.bin agree with each other but come from another run would otherwise be served as this one.
 */
export function checkArchitecture(model: tf.LayersModel, hp: Hyperparams, runId: string): void {
  const recurrent = model.layers.filter((layer) => 'units' in (layer.getConfig() as object) && layer.name !== 'logits');
  const found = recurrent.map((layer) => `${layer.getClassName()}(${(layer.getConfig() as { units: number }).units})`);
  const accepted = CELL_CLASSES[hp.cell].map((className) => Array.from({ length: hp.layers }, () => `${className}(${hp.units})`));
  const expected = accepted[0];
  if (!accepted.some((names) => names.join(' ') === found.join(' '))) {
    throw new StudioError(
      'model-corrupt',
      `${runId}/model.json: holds ${found.join(', ') || 'no recurrent layer'}, but run.json describes ${expected.join(', ')}`,
    );
  }
}

export class Predictor {
  private loaded: LoadedRun | null = null;

  constructor(private readonly store: RunStore) {}

  private async load(runId: string): Promise<LoadedRun> {
    // Three stats per call instead of re-reading the run: a deleted or replaced run is noticed
    // at once and goes through the full, validating load below.
    const print = await this.store.fingerprint(runId).catch(() => null);
    if (print !== null && this.loaded?.runId === runId && this.loaded.print === print) return this.loaded;
    const model = await this.readModel(runId);
    const weights = stackWeightsOf(model);
    // On wasm one stepper serves predictions and the inside view; elsewhere tf.layers predicts.
    const stepper = weights && createRowStepper(weights);
    const rows = stepper
      ? { predict: (pixels: ArrayLike<number>) => predictWith(stepper, pixels), dispose: () => undefined }
      : layersPredict(model);
    const next: LoadedRun = { runId, print: print ?? '', model, rows, weights, stepper };
    this.dispose();
    this.loaded = next;
    return next;
  }

  /** The run's model from its files, validated and checked against run.json's architecture. */
  private async readModel(runId: string): Promise<tf.LayersModel> {
    const files = await this.store.loadModelFiles(runId);
    const record = await this.store.loadRecord(runId);
    const model = await modelFromFiles(files).catch((err: unknown) => {
      throw err instanceof StudioError ? new StudioError(err.code, `${runId}/${err.message}`) : err;
    });
    try {
      checkArchitecture(model, record.hyperparams, runId);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return model;
  }

  /**
   * The digit each image is read as ([n × 784], 0–1), for scoring a run on the person's digits.
   * A run other than the one the pad uses is loaded for this call alone, so scoring every saved
   * run does not evict the pad's model.
   */
  async classify(runId: string, pixels: Float32Array): Promise<number[]> {
    const print = await this.store.fingerprint(runId).catch(() => null);
    const loaded = print !== null && this.loaded?.runId === runId && this.loaded.print === print ? this.loaded : null;
    const model = loaded?.model ?? (await this.readModel(runId));
    try {
      return classifyImages(model, pixels);
    } finally {
      if (!loaded) model.dispose();
    }
  }

  /**
   * @param pixels 784 values, 0–1, white ink on black, row-major
   * @returns softmax over 0–9 for the whole image, and after each of the 28 rows
   */
  async predict(runId: string, pixels: ArrayLike<number>): Promise<Prediction> {
    const { rows } = await this.load(runId);
    return rows.predict(pixels);
  }

  /**
   * Inside the network for one image at recurrent layer `layer` (default: the top one).
   * @throws StudioError 'invalid-input' for a run whose layers cannot be looked inside (legacy tfjs layers) or a layer it lacks
   */
  async inspect(runId: string, pixels: ArrayLike<number>, layer?: number): Promise<Inspection> {
    const loaded = await this.load(runId);
    if (!loaded.weights) {
      throw new StudioError(
        'invalid-input',
        `${runId} was trained with the older tfjs ${loaded.model.layers.find((layer) => layer.weights.length > 0)?.getClassName() ?? ''} layers, which the inside view cannot step through; train it again to look inside`,
      );
    }
    loaded.stepper ??= createRowStepper(loaded.weights) ?? createJsStepper(loaded.weights);
    return inspect(loaded.stepper, loaded.weights, pixels, layer);
  }

  /** Scores a saved run on the test split (or its first `limit` images). */
  async evaluate(runId: string, test: Split, limit?: number): Promise<TestResults> {
    const { model } = await this.load(runId);
    return evaluateModel(model, limit ? sliceSplit(test, 0, Math.min(limit, test.count)) : test);
  }

  dispose(): void {
    this.loaded?.model.dispose();
    this.loaded?.rows.dispose();
    this.loaded?.stepper?.dispose();
    this.loaded = null;
  }
}
