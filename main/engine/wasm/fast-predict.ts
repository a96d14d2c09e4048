/**
 * One-image prediction for the classic model (one FusedLSTM layer, then the Dense `logits` head)
 * on the wasm backend, without tf.layers or the tfjs engine: a drawing-pad prediction is 28
 * tiny steps, and the engine's per-op dispatch (tensor tracking, kernel lookup, output
 * allocation) cost more than their arithmetic. Each step is one XNNPACK matmul,
 * [x_t | h_{t−1} | 1] · [W; U; b], on buffers this object owns (so the weights stay packed
 * between predictions); the gates, the cell, the head and the softmax are plain JavaScript.
 * Other models (GRU, SimpleRNN, stacked layers) and other backends keep the tf.layers path:
 * the predictor (predictor.ts) decides which models are classic and hands over their weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Prediction } from '../../../common/api';
import { StudioError } from '../../../common/errors';
import { combinedWeights } from './fused-lstm-wasm';
import { CLASSES, FEATURES, TIME_STEPS } from '../../../common/mnist';
import type { DirectBackend } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

/** Predicts one image: 784 pixels, 0–1, row-major → softmax for the whole image and after each row. */
export interface FastPredict {
  predict(pixels: ArrayLike<number>): Prediction;
  /** Frees the buffers it holds. */
  dispose(): void;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The classic model's weights: one LSTM layer (input kernel, recurrent kernel, bias) and the Dense head. */
export interface ClassicWeights {
  units: number;
  /** [28, 4·units], [units, 4·units], [4·units], in Keras's gate order i, f, c, o. */
  lstm: readonly [tf.Tensor, tf.Tensor, tf.Tensor];
  /** [units, 10] and [10]. */
  head: readonly [tf.Tensor, tf.Tensor];
}

/** The softmax of the head's logits for one h: [10] probabilities. */
function headSoftmax(h: Float32Array, weights: Float32Array, bias: Float32Array): number[] {
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

/**
 * The gates from z = A_t·K (g block at 2z), then c and h in place; the same arithmetic as the
 * sequence kernels (lstm-sequence.ts).
 */
function cellStep(z: Float32Array, c: Float32Array, h: Float32Array): void {
  const units = c.length;
  for (let k = 0; k < units; k++) {
    const g = 2 * sigmoid(z[3 * units + k]) - 1;
    const value = sigmoid(z[units + k]) * c[k] + sigmoid(z[k]) * g;
    c[k] = value;
    h[k] = sigmoid(z[2 * units + k]) * (2 * sigmoid(2 * value) - 1);
  }
}

/**
 * The fast path for a classic model's weights, or null off the wasm backend. The returned
 * object holds its own copies of the weights: dispose it with the model.
 */
export function createFastPredict(weights: ClassicWeights): FastPredict | null {
  if (tf.getBackend() !== 'wasm') return null;
  const { units } = weights;
  const width = FEATURES + units + 1;
  const [w, u, b] = weights.lstm;
  const [headWeights, headBias] = weights.head.map((t) => Float32Array.from(t.dataSync()));
  // K, A_t and z live on the heap for the predictor's lifetime.
  const k = tf.tidy(() => tf.keep(combinedWeights(w, u, b)));
  const [a, z] = [tf.zeros([1, width]), tf.zeros([1, 4 * units])];
  const direct = WasmDirect.of(tf.backend() as unknown as DirectBackend);
  return {
    predict(pixels) {
      // The buffers are reused: a short input must not read the last image's pixels.
      if (pixels.length !== TIME_STEPS * FEATURES)
        throw new StudioError('invalid-input', `predict: expected ${TIME_STEPS * FEATURES} pixels, got ${pixels.length}`);
      const [kRegion, aRegion, zRegion] = [k, a, z].map((t) => direct.tensorRegion(t));
      const c = new Float32Array(units);
      const h = new Float32Array(units);
      const perRow: number[][] = [];
      for (let t = 0; t < TIME_STEPS; t++) {
        const row = direct.view(aRegion.offset, width);
        for (let f = 0; f < FEATURES; f++) row[f] = pixels[t * FEATURES + f];
        row.set(h, FEATURES);
        row[width - 1] = 1;
        direct.matMul(aRegion, kRegion, zRegion);
        cellStep(direct.view(zRegion.offset, 4 * units), c, h);
        perRow.push(headSoftmax(h, headWeights, headBias));
      }
      return { probabilities: perRow[TIME_STEPS - 1], perRow };
    },
    dispose() {
      tf.dispose([k, a, z]);
    },
  };
}
