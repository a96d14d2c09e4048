/**
 * One image's recurrence, one step at a time, for each cell type: how a layer's weights become
 * ONE matrix K such that [x_t | h_{t−1} | 1]·K holds every pre-activation the step needs, and
 * the element-wise step that turns that product into the new state. Used by the engine-free
 * single-image path (fast-predict.ts); the maths is the sequence kernels' (lstm-sequence.ts,
 * gru-sequence.ts, rnn-sequence.ts), written for one row.
 */
import * as tf from '@tensorflow/tfjs';
import { stackWeights } from './sequence-tensors';

export type FastCell = 'lstm' | 'gru' | 'rnn';

/** A recurrent layer's own state between steps; `h` is also the layer's output. */
export interface CellState {
  h: Float32Array;
  /** The LSTM's cell state; empty for the other cells. */
  c: Float32Array;
}

export interface CellMaths {
  /** K's column count per unit. */
  readonly blocks: number;
  /** Whether the cell keeps a cell state c beside h (the LSTM). */
  readonly keepsCell: boolean;
  /** K, [F + H + 1, blocks·H], from the layer's kernel, recurrent kernel and bias. */
  combine(w: tf.Tensor, u: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** The new state from z = [x_t | h_{t−1} | 1]·K, in place. */
  step(z: Float32Array, state: CellState): void;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Keras's gate order i, f, o, g; bias [4H]. */
const LSTM: CellMaths = {
  blocks: 4,
  keepsCell: true,
  combine: stackWeights,
  step(z, { h, c }) {
    const units = h.length;
    for (let k = 0; k < units; k++) {
      const value = sigmoid(z[units + k]) * c[k] + sigmoid(z[k]) * Math.tanh(z[3 * units + k]);
      c[k] = value;
      h[k] = sigmoid(z[2 * units + k]) * Math.tanh(value);
    }
  },
};

/**
 * PyTorch's nn.GRU (gate order z, r, n; bias [2, 3H], input row then recurrent row). The reset
 * gate multiplies only the recurrent part of n, so K has four blocks: z and r with both biases
 * summed, then x·W_n + b_in and h·U_n + b_hn apart.
 */
const GRU: CellMaths = {
  blocks: 4,
  keepsCell: false,
  combine(w, u, b) {
    return tf.tidy(() => {
      const [features, units] = [w.shape[0] as number, u.shape[0] as number];
      const [wZr, wN] = tf.split(w, [2 * units, units], 1);
      const [uZr, uN] = tf.split(u, [2 * units, units], 1);
      const [bInput, bHidden] = tf.split(b, 2, 0).map((row) => tf.split(row, [2 * units, units], 1));
      const top = tf.concat([wZr, wN, tf.zeros([features, units])], 1);
      const middle = tf.concat([uZr, tf.zeros([units, units]), uN], 1);
      const bottom = tf.concat([tf.add(bInput[0], bHidden[0]), bInput[1], bHidden[1]], 1);
      return tf.concat([top, middle, bottom], 0);
    });
  },
  step(z, { h }) {
    const units = h.length;
    for (let k = 0; k < units; k++) {
      const update = sigmoid(z[k]);
      const reset = sigmoid(z[units + k]);
      const n = Math.tanh(z[2 * units + k] + reset * z[3 * units + k]);
      h[k] = (1 - update) * n + update * h[k];
    }
  },
};

/** h = tanh(x·W + h·U + b); bias [H]. */
const SIMPLE_RNN: CellMaths = {
  blocks: 1,
  keepsCell: false,
  combine: stackWeights,
  step(z, { h }) {
    for (let k = 0; k < h.length; k++) h[k] = Math.tanh(z[k]);
  },
};

export const CELL_MATHS: Record<FastCell, CellMaths> = { lstm: LSTM, gru: GRU, rnn: SIMPLE_RNN };
