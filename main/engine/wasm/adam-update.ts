/**
 * The optimizer update of a two-thread step when it is Adam on wasm: ONE SIMD pass per
 * variable (training-simd.wat) that also combines the two halves' gradients, where tfjs runs
 * ~17 ops per variable (the combination, then Adam). This runs on the trainer thread while
 * the helper thread waits, so it is the serial part of every step. The state stays where
 * tfjs's AdamOptimizer keeps it (moments by position, beta powers, step count), so
 * getWeights/setWeights, checkpoints and resuming are unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { DirectBackend } from './wasm-direct';
import { WasmDirect } from './wasm-direct';

const ADAM_COMBINED = 'AdamCombined';

/** One part of a batch: its gradients in the variables' order, and how many images it had. */
export interface GradientPart {
  grads: readonly tf.Tensor[];
  count: number;
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** AdamOptimizer's fields (private or protected in its typings) that the update reads and writes. */
interface AdamState {
  accumulatedFirstMoment: (Slot | undefined)[];
  accumulatedSecondMoment: (Slot | undefined)[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  incrementIterations(): void;
}

interface UpdateAttrs {
  /** Each part's share of the batch. */
  w1: number;
  w2: number;
  beta1: number;
  beta2: number;
  learningRate: number;
  epsilon: number;
  /** 1 − β1^t and 1 − β2^t. */
  c1: number;
  c2: number;
}

/** x, m, v and the two parts' gradients → the new x, m and v. */
const adamCombinedKernel: KernelFunc = (args) => {
  const { x, m, v, g1, g2 } = args.inputs as Record<'x' | 'm' | 'v' | 'g1' | 'g2', TensorInfo>;
  const a = args.attrs as unknown as UpdateAttrs;
  const backend = args.backend as unknown as DirectBackend;
  const outputs = [x, m, v].map((t) => backend.makeOutput([...t.shape], 'float32'));
  const direct = WasmDirect.of(backend);
  const simd = direct.simdModule;
  if (!simd) throw new Error('AdamCombined needs WebAssembly SIMD');
  const at = (t: TensorInfo) => direct.offsetOf(t);
  const n = x.shape.reduce((p, d) => p * d, 1);
  simd.adam(
    at(x),
    at(m),
    at(v),
    at(g1),
    at(g2),
    ...(outputs.map(at) as [number, number, number]),
    n,
    a.w1,
    a.w2,
    a.beta1,
    a.beta2,
    a.learningRate,
    a.epsilon,
    a.c1,
    a.c2,
  );
  return outputs;
};

/** Registers the kernel for the wasm backend; later calls are no-ops. */
export function registerAdamKernel(): void {
  if (!tf.getKernel(ADAM_COMBINED, 'wasm'))
    tf.registerKernel({ kernelName: ADAM_COMBINED, backendName: 'wasm', kernelFunc: adamCombinedKernel });
}

/** Whether `applyAdamCombined` can run for `optimizer` here: Adam, wasm, SIMD. */
export function canCombineAdam(optimizer: tf.Optimizer): optimizer is tf.AdamOptimizer {
  // Not instanceof: tfjs optimizers answer it by duck typing, so an SGD optimizer "is" an AdamOptimizer.
  const isAdam =
    optimizer.getClassName() === tf.AdamOptimizer.className && (optimizer as unknown as Partial<AdamState>).accBeta1 instanceof tf.Variable;
  if (!isAdam || tf.getBackend() !== 'wasm' || !tf.getKernel(ADAM_COMBINED, 'wasm')) return false;
  return WasmDirect.of(tf.backend() as unknown as DirectBackend).simdModule !== null;
}

/** A zero-filled, non-trainable moment slot for `value`, as tfjs's Adam makes it. */
function slotFor(value: tf.Variable, suffix: string): Slot {
  return { originalName: `${value.name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
}

/**
 * One Adam step on `variables` with the batch gradient combined from two parts, each part's
 * gradients in `variables` order (see gradients.ts).
 */
export function applyAdamCombined(
  optimizer: tf.AdamOptimizer,
  variables: tf.Variable[],
  parts: readonly [GradientPart, GradientPart],
): void {
  const state = optimizer as unknown as AdamState;
  const total = parts[0].count + parts[1].count;
  tf.tidy(() => {
    const attrs: UpdateAttrs = {
      w1: parts[0].count / total,
      w2: parts[1].count / total,
      beta1: state.beta1,
      beta2: state.beta2,
      learningRate: state.learningRate,
      epsilon: state.epsilon,
      c1: 1 - state.accBeta1.dataSync()[0],
      c2: 1 - state.accBeta2.dataSync()[0],
    };
    variables.forEach((x, i) => {
      const m = (state.accumulatedFirstMoment[i] ??= slotFor(x, 'm')).variable;
      const v = (state.accumulatedSecondMoment[i] ??= slotFor(x, 'v')).variable;
      const inputs = { x, m, v, g1: parts[0].grads[i], g2: parts[1].grads[i] };
      const [xNext, mNext, vNext] = tf.engine().runKernel<tf.Tensor[]>(ADAM_COMBINED, inputs, attrs as unknown as tf.NamedAttrMap);
      m.assign(mNext);
      v.assign(vNext);
      x.assign(xNext);
    });
    state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
    state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
  });
  state.incrementIterations();
}
