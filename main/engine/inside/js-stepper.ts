/**
 * The row stepper in plain JavaScript, for backends without the wasm one (tfjs-node, cpu): the
 * same combined K and cell maths (wasm/fast-cells.ts), with the product written out. One image
 * is 28 steps of a [1, F + H + 1]·[F + H + 1, G] product per layer, ~80 k multiply-adds for the
 * classic model, so a few milliseconds here and no tfjs dispatch per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { CellState, RowStepper, StackWeights } from '../wasm';
import { CELL_MATHS, headSoftmax } from '../wasm';

interface JsLayer {
  inputs: number;
  units: number;
  /** K, row-major [inputs + units + 1, width]. */
  k: Float32Array;
  width: number;
  /** [x | h | 1] and z, reused. */
  a: Float32Array;
  z: Float32Array;
}

/** z = a·K for one row. */
function multiply({ a, k, z, width }: JsLayer): void {
  z.fill(0);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    if (ai === 0) continue; // blank pixels: most of a digit's input row
    const row = i * width;
    for (let j = 0; j < width; j++) z[j] += ai * k[row + j];
  }
}

export function createJsStepper(weights: StackWeights): RowStepper {
  const maths = CELL_MATHS[weights.cell];
  const layers: JsLayer[] = weights.layers.map(([w, u, b]) => {
    const [inputs, units] = [w.shape[0] as number, u.shape[0] as number];
    const combined = tf.tidy(() => maths.combine(w, u, b));
    const k = combined.dataSync() as Float32Array;
    const width = combined.shape[1] as number;
    combined.dispose();
    return { inputs, units, k, width, a: new Float32Array(inputs + units + 1), z: new Float32Array(width) };
  });
  const [headWeights, headBias] = weights.head.map((t) => Float32Array.from(t.dataSync()));
  return {
    cell: weights.cell,
    units: layers.map(({ units }) => units),
    initialStates: () =>
      layers.map(({ units }): CellState => ({ h: new Float32Array(units), c: new Float32Array(maths.keepsCell ? units : 0) })),
    row(x, states, onStep) {
      let input: Float32Array = x;
      layers.forEach((layer, i) => {
        layer.a.set(input, 0);
        layer.a.set(states[i].h, layer.inputs);
        layer.a[layer.a.length - 1] = 1;
        multiply(layer);
        maths.step(layer.z, states[i]);
        onStep?.(i, layer.z, states[i]);
        input = states[i].h;
      });
      return input;
    },
    head: (h) => headSoftmax(h, headWeights, headBias),
    dispose: () => undefined,
  };
}
