/**
 * One-image prediction for the studio's models (1–4 stacked fused LSTM, GRU or SimpleRNN
 * layers, then the Dense `logits` head) on the wasm backend, without tf.layers or the tfjs
 * engine: a drawing-pad prediction is 28 tiny steps per layer, and the engine's per-op dispatch
 * (tensor tracking, kernel lookup, output allocation, and the layers recombining their weights
 * on every call) cost more than their arithmetic. Each step of each layer is one XNNPACK
 * matmul, [x_t | h_{t−1} | 1] · K (fast-cells.ts), on buffers this object owns, so the weights
 * stay combined and packed between predictions; the cell maths, the head and the softmax are
 * plain JavaScript. Other models and other backends keep the tf.layers path: the predictor
 * (predictor.ts) decides which models qualify and hands over their weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Prediction } from '../../../common/api';
import { StudioError } from '../../../common/errors';
import { CLASSES, FEATURES, TIME_STEPS } from '../../../common/mnist';
import type { CellMaths, CellState, FastCell } from './fast-cells';
import { CELL_MATHS } from './fast-cells';
import type { DirectBackend } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

export type { FastCell };

/** Predicts one image: 784 pixels, 0–1, row-major → softmax for the whole image and after each row. */
export interface FastPredict {
  predict(pixels: ArrayLike<number>): Prediction;
  /** Frees the buffers it holds. */
  dispose(): void;
}

/** A model's weights as the fast path takes them: the recurrent layers in order, then the head. */
export interface StackWeights {
  cell: FastCell;
  /** Per layer: input kernel, recurrent kernel, bias, shaped as the fused layers keep them. */
  layers: readonly (readonly [tf.Tensor, tf.Tensor, tf.Tensor])[];
  /** [units, 10] and [10]. */
  head: readonly [tf.Tensor, tf.Tensor];
}

/** The softmax of the head's logits for one h: [10] probabilities. */
export function headSoftmax(h: Float32Array, weights: Float32Array, bias: Float32Array): number[] {
  const logits = Array.from(bias);
  for (let k = 0; k < h.length; k++) {
    const hk = h[k];
    for (let j = 0; j < CLASSES; j++) logits[j] += hk * weights[k * CLASSES + j];
  }
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((x, y) => x + y, 0);
  return exps.map((v) => v / sum);
}

/** One layer's heap buffers: K, the input row [x | h | 1] and the product z. */
interface LayerBuffers {
  inputs: number;
  units: number;
  k: tf.Tensor;
  a: tf.Tensor;
  z: tf.Tensor;
}

function layerBuffers(maths: CellMaths, [w, u, b]: readonly [tf.Tensor, tf.Tensor, tf.Tensor]): LayerBuffers {
  const [inputs, units] = [w.shape[0] as number, u.shape[0] as number];
  return {
    inputs,
    units,
    k: tf.tidy(() => tf.keep(maths.combine(w, u, b))),
    a: tf.zeros([1, inputs + units + 1]),
    z: tf.zeros([1, maths.blocks * units]),
  };
}

/** Runs one step of one layer on `x` (its input at this step); the layer's state is updated in place. Returns z. */
function layerStep(direct: WasmDirect, maths: CellMaths, layer: LayerBuffers, x: ArrayLike<number>, state: CellState): Float32Array {
  const [kRegion, aRegion, zRegion] = [layer.k, layer.a, layer.z].map((t) => direct.tensorRegion(t));
  const row = direct.view(aRegion.offset, aRegion.cols);
  row.set(x, 0);
  row.set(state.h, layer.inputs);
  row[aRegion.cols - 1] = 1;
  direct.matMul(aRegion, kRegion, zRegion);
  const z = direct.view(zRegion.offset, zRegion.cols);
  maths.step(z, state);
  return z;
}

/**
 * A model's recurrence one row at a time, for callers that look inside it (the inspector): the
 * same steps `predict` takes, with each layer's pre-activations shown on the way.
 */
export interface RowStepper {
  readonly cell: FastCell;
  /** Units of each recurrent layer. */
  readonly units: readonly number[];
  /** Zero states, one per layer (h, and c for the LSTM). */
  initialStates(): CellState[];
  /**
   * Feeds one row of 28 pixels through every layer, updating `states` in place; `onStep` sees
   * each layer's z = [x_t | h_{t−1} | 1]·K (valid only during the call) and its new state.
   * Returns the top layer's h.
   */
  row(x: Float32Array, states: CellState[], onStep?: (layer: number, z: Float32Array, state: CellState) => void): Float32Array;
  /** Softmax of the head for the top layer's h: [10]. */
  head(h: Float32Array): number[];
  dispose(): void;
}

/**
 * The wasm stepper for a model's weights, or null off the wasm backend. It holds its own
 * combined copies of the weights: dispose it with the model.
 */
export function createRowStepper(weights: StackWeights): RowStepper | null {
  if (tf.getBackend() !== 'wasm') return null;
  const maths = CELL_MATHS[weights.cell];
  const layers = weights.layers.map((w) => layerBuffers(maths, w));
  const [headWeights, headBias] = weights.head.map((t) => Float32Array.from(t.dataSync()));
  const direct = WasmDirect.of(tf.backend() as unknown as DirectBackend);
  return {
    cell: weights.cell,
    units: layers.map(({ units }) => units),
    initialStates: () => layers.map(({ units }) => ({ h: new Float32Array(units), c: new Float32Array(maths.keepsCell ? units : 0) })),
    row(x, states, onStep) {
      let input: Float32Array = x;
      layers.forEach((layer, i) => {
        const z = layerStep(direct, maths, layer, input, states[i]);
        onStep?.(i, z, states[i]);
        input = states[i].h;
      });
      return input;
    },
    head: (h) => headSoftmax(h, headWeights, headBias),
    dispose: () => tf.dispose(layers.flatMap(({ k, a, z }) => [k, a, z])),
  };
}

/** Predicts through a stepper: the answer after each of the 28 rows, and the last as the whole image's. */
export function predictWith(stepper: RowStepper, pixels: ArrayLike<number>): Prediction {
  // The buffers are reused: a short input must not read the last image's pixels.
  if (pixels.length !== TIME_STEPS * FEATURES)
    throw new StudioError('invalid-input', `predict: expected ${TIME_STEPS * FEATURES} pixels, got ${pixels.length}`);
  const states = stepper.initialStates();
  const pixelRows = Float32Array.from(pixels);
  const perRow: number[][] = [];
  for (let t = 0; t < TIME_STEPS; t++) perRow.push(stepper.head(stepper.row(pixelRows.subarray(t * FEATURES, (t + 1) * FEATURES), states)));
  return { probabilities: perRow[TIME_STEPS - 1], perRow };
}

/**
 * The fast path for a model's weights, or null off the wasm backend. The returned object holds
 * its own combined copies of the weights: dispose it with the model.
 */
export function createFastPredict(weights: StackWeights): FastPredict | null {
  const stepper = createRowStepper(weights);
  if (!stepper) return null;
  return { predict: (pixels) => predictWith(stepper, pixels), dispose: () => stepper.dispose() };
}
