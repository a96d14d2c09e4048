/**
 * The element-wise part of one LSTM time step, forward and backward, composed from tfjs ops:
 * the path of every backend but wasm (which runs the whole recurrence as one kernel,
 * lstm-sequence.ts).
 *
 * `s` is σ of a step's pre-activations, [B, 4H], gate order i, f, o, g, with the g block taken
 * at 2z so that g = 2s_g − 1 = tanh(z) (see fused-lstm.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** Gate `k` (0 i, 1 f, 2 o, 3 g's σ) of `s`, [B, H]. Slices, not tf.split: wasm's Split copies its whole input per piece. */
function gate(s: tf.Tensor, k: number): tf.Tensor {
  const units = (s.shape[1] as number) / 4;
  return tf.slice(s, [0, k * units], [s.shape[0], units]);
}

/** Forward element-wise step: the new cell state c, tanh(c) and h, each [B, H]. */
export function cellForward(s: tf.Tensor, cPrev: tf.Tensor): { c: tf.Tensor; tanhC: tf.Tensor; h: tf.Tensor } {
  const g = tf.sub(tf.mul(gate(s, 3), 2), 1);
  const c = tf.add(tf.mul(gate(s, 1), cPrev), tf.mul(gate(s, 0), g));
  // tanh(x) = 2σ(2x) − 1, the same arithmetic as the wasm kernels (whose Tanh is a scalar loop).
  const tanhC = tf.sub(tf.mul(tf.sigmoid(tf.mul(c, 2)), 2), 1);
  return { c, tanhC, h: tf.mul(gate(s, 2), tanhC) };
}

/** Backward element-wise step: dz w.r.t. the pre-activations, [B, 4H], and the gradient for cPrev, [B, H]. */
export function cellBackward(
  dh: tf.Tensor,
  dcNext: tf.Tensor,
  s: tf.Tensor,
  cPrev: tf.Tensor,
  tanhC: tf.Tensor,
): { dz: tf.Tensor; dcPrev: tf.Tensor } {
  const [i, f, o, sg] = [0, 1, 2, 3].map((k) => gate(s, k));
  const g = tf.sub(tf.mul(sg, 2), 1);
  const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tanhC))));
  const sigmoidDeriv = (x: tf.Tensor) => tf.mul(x, tf.sub(1, x));
  const dz = tf.concat(
    [
      tf.mul(tf.mul(dc, g), sigmoidDeriv(i)),
      tf.mul(tf.mul(dc, cPrev), sigmoidDeriv(f)),
      tf.mul(tf.mul(dh, tanhC), sigmoidDeriv(o)),
      tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
    ],
    1,
  );
  return { dz, dcPrev: tf.mul(dc, f) };
}
