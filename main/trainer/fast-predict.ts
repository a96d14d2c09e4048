/**
 * One-image prediction for the classic model (one FusedLSTM layer, then the Dense `logits` head)
 * on the wasm backend, without tf.layers or the tfjs engine: a drawing-pad prediction is 28
 * tiny steps, and the engine's per-op dispatch (tensor tracking, kernel lookup, tidy scopes)
 * cost more than their arithmetic. The matrix products still run on XNNPACK through the
 * backend's own BatchMatMul kernel, called directly on heap buffers; the gates, the cell and
 * the softmax are plain JavaScript. Other models (GRU, SimpleRNN, stacked layers) and other
 * backends keep the tf.layers path (`createFastPredict` returns null for them).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { Prediction } from '../../preload/api';
import { StudioError } from '../errors';
import { FusedLSTM } from './fused-lstm-layer';
import { CLASSES, FEATURES, TIME_STEPS } from './model';
import type { WasmBackendInternals } from './wasm-heap';
import { heapView } from './wasm-heap';

/** Predicts one image: 784 pixels, 0–1, row-major → softmax for the whole image and after each row. */
export interface FastPredict {
  predict(pixels: ArrayLike<number>): Prediction;
  /** Frees the weight tensors it holds. */
  dispose(): void;
}

/** Weights as held for the fast path; g-block columns doubled as in fused-lstm.ts (`gateScale`). */
interface Weights {
  units: number;
  /** [F, 4H] tensor, g block doubled. */
  kernel: tf.Tensor2D;
  /** [H, 4H] tensor, g block doubled. */
  recurrent: tf.Tensor2D;
  /** [4H], g block doubled. */
  bias: Float32Array;
  /** [H, 10] tensor. */
  head: tf.Tensor2D;
  /** [10]. */
  headBias: Float32Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The layers that carry weights, when the model is exactly FusedLSTM → linear Dense `logits`. */
function classicLayers(model: tf.LayersModel): [FusedLSTM, tf.layers.Layer] | null {
  const weighted = model.layers.filter((layer) => layer.weights.length > 0);
  if (weighted.length !== 2) return null;
  const [lstm, head] = weighted;
  const headConfig = head.getConfig() as { activation?: string };
  if (!(lstm instanceof FusedLSTM) || head.name !== 'logits' || headConfig.activation !== 'linear') return null;
  return [lstm, head];
}

/** Reads the weights once, doubling the g block so that one σ form serves all four gates. */
function readWeights(lstm: FusedLSTM, head: tf.layers.Layer): Weights {
  const units = lstm.units;
  const scale = new Float32Array(4 * units).fill(1, 0, 3 * units).fill(2, 3 * units);
  const [w, u, b] = lstm.getWeights();
  const [hw, hb] = head.getWeights();
  const bias = b.dataSync().map((v, j) => v * scale[j]);
  return tf.tidy(() => ({
    units,
    kernel: tf.keep(tf.mul(w, scale) as tf.Tensor2D),
    recurrent: tf.keep(tf.mul(u, scale) as tf.Tensor2D),
    bias: Float32Array.from(bias),
    head: tf.keep(tf.clone(hw) as tf.Tensor2D),
    headBias: Float32Array.from(hb.dataSync()),
  }));
}

/** Heap-level helpers: every buffer made here is freed here, so tfjs's tensor count never moves. */
class Heap {
  private readonly matMulKernel: tf.KernelFunc;

  constructor(private readonly backend: WasmBackendInternals) {
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    if (!kernel) throw new Error('wasm backend has no BatchMatMul kernel');
    this.matMulKernel = kernel.kernelFunc;
  }

  /** A [rows, cols] float32 buffer on the heap holding `values`. */
  upload(values: ArrayLike<number>, rows: number, cols: number): TensorInfo {
    const info = this.backend.makeOutput([rows, cols], 'float32');
    heapView(this.backend, info).set(values);
    return info;
  }

  /** a·b on XNNPACK, copied into `into` (views of the heap go stale when it grows), then freed. */
  matMulInto(a: TensorInfo, b: TensorInfo, into: Float32Array): void {
    const backend = this.backend as unknown as tf.KernelBackend;
    const out = this.matMulKernel({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    into.set(heapView(this.backend, out));
    this.free(out);
  }

  free(info: TensorInfo): void {
    this.backend.disposeData(info.dataId);
  }
}

/**
 * One LSTM step for batch 1, in place: z = xw row `t` + bias + hU, then c and h (h into `hs`
 * row `t`). Same arithmetic as the LstmStepInference kernel (lstm-cell.ts).
 */
function step(w: Weights, xw: Float32Array, hU: Float32Array | null, c: Float32Array, hs: Float32Array, t: number): void {
  const units = w.units;
  const row = t * 4 * units;
  const z = (j: number) => xw[row + j] + w.bias[j] + (hU ? hU[j] : 0);
  for (let k = 0; k < units; k++) {
    const g = 2 * sigmoid(z(3 * units + k)) - 1;
    const value = sigmoid(z(units + k)) * c[k] + sigmoid(z(k)) * g;
    c[k] = value;
    hs[t * units + k] = sigmoid(z(2 * units + k)) * (2 * sigmoid(2 * value) - 1);
  }
}

/** The h after every row, [T·H], row-major. */
function recurrence(heap: Heap, w: Weights, pixels: ArrayLike<number>): Float32Array {
  const units = w.units;
  const xw = new Float32Array(TIME_STEPS * 4 * units);
  const x = heap.upload(pixels, TIME_STEPS, FEATURES);
  try {
    heap.matMulInto(x, w.kernel, xw);
  } finally {
    heap.free(x);
  }
  const c = new Float32Array(units);
  const hs = new Float32Array(TIME_STEPS * units);
  const hU = new Float32Array(4 * units);
  step(w, xw, null, c, hs, 0);
  for (let t = 1; t < TIME_STEPS; t++) {
    const h = heap.upload(hs.subarray((t - 1) * units, t * units), 1, units);
    try {
      heap.matMulInto(h, w.recurrent, hU);
    } finally {
      heap.free(h);
    }
    step(w, xw, hU, c, hs, t);
  }
  return hs;
}

/** Dense head on every row's h, then a softmax per row: 28 × 10 probabilities. */
function headSoftmax(heap: Heap, w: Weights, hs: Float32Array): number[][] {
  const logits = new Float32Array(TIME_STEPS * CLASSES);
  const h = heap.upload(hs, TIME_STEPS, w.units);
  try {
    heap.matMulInto(h, w.head, logits);
  } finally {
    heap.free(h);
  }
  return Array.from({ length: TIME_STEPS }, (_, t) => {
    const row = Array.from({ length: CLASSES }, (_, k) => logits[t * CLASSES + k] + w.headBias[k]);
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((v) => v / sum);
  });
}

/**
 * The fast path for `model`, or null where it does not apply (not wasm, not the classic model).
 * The returned object holds its own copies of the weights: dispose it with the model.
 */
export function createFastPredict(model: tf.LayersModel): FastPredict | null {
  const layers = classicLayers(model);
  if (tf.getBackend() !== 'wasm' || !layers) return null;
  const heap = new Heap(tf.backend() as unknown as WasmBackendInternals);
  const weights = readWeights(...layers);
  return {
    predict(pixels) {
      // The heap buffer is not zeroed: a short input must not read leftovers as pixels.
      if (pixels.length !== TIME_STEPS * FEATURES) throw new StudioError('invalid-input', `predict: expected ${TIME_STEPS * FEATURES} pixels, got ${pixels.length}`);
      const perRow = headSoftmax(heap, weights, recurrence(heap, weights, pixels));
      return { probabilities: perRow[TIME_STEPS - 1], perRow };
    },
    dispose() {
      tf.dispose([weights.kernel, weights.recurrent, weights.head]);
    },
  };
}
