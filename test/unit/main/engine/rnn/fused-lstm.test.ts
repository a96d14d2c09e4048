import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmSequence } from '../../../../../main/engine/rnn/fused-lstm';

/** The textbook LSTM written with plain ops, differentiated by tfjs's autograd. Gate order i, f, o, g. */
function referenceLstm(x: tf.Tensor3D, w: tf.Tensor2D, u: tf.Tensor2D, b: tf.Tensor1D, returnSequences: boolean): tf.Tensor {
  const [batch, steps] = x.shape;
  const units = u.shape[0];
  let h = tf.zeros([batch, units]);
  let c = tf.zeros([batch, units]);
  const outputs: tf.Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, x.shape[2]]), [batch, x.shape[2]]);
    const z = tf.add(tf.add(tf.matMul(xt, w), tf.matMul(h, u)), b);
    const [zi, zf, zo, zg] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    outputs.push(h);
  }
  return returnSequences ? tf.stack(outputs, 1) : h;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('lstmSequence', () => {
  const [batch, steps, features, units] = [3, 5, 4, 6];
  let x: tf.Tensor3D, w: tf.Tensor2D, u: tf.Tensor2D, b: tf.Tensor1D;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    x = tf.randomNormal([batch, steps, features], 0, 1, 'float32', 1) as tf.Tensor3D;
    w = tf.randomNormal([features, 4 * units], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    u = tf.randomNormal([units, 4 * units], 0, 0.5, 'float32', 3) as tf.Tensor2D;
    b = tf.randomNormal([4 * units], 0, 0.5, 'float32', 4) as tf.Tensor1D;
  });

  for (const returnSequences of [false, true]) {
    describe(`with returnSequences ${returnSequences}`, () => {
      it('computes the same output as the textbook LSTM', () => {
        const ours = lstmSequence(x, w, u, b, returnSequences);
        const reference = referenceLstm(x, w, u, b, returnSequences);
        expect(ours.shape).toEqual(reference.shape);
        expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);
      });

      it('computes the same gradients for the input and every weight', () => {
        // A weighted sum makes every output element matter differently.
        const probe = (y: tf.Tensor) => tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', 9)));
        const ours = tf.grads((...a: tf.Tensor[]) =>
          probe(lstmSequence(a[0] as tf.Tensor3D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, a[3] as tf.Tensor1D, returnSequences)),
        );
        const reference = tf.grads((...a: tf.Tensor[]) =>
          probe(referenceLstm(a[0] as tf.Tensor3D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, a[3] as tf.Tensor1D, returnSequences)),
        );
        const got = ours([x, w, u, b]);
        const want = reference([x, w, u, b]);
        got.forEach((g, k) => {
          expect(g.shape).toEqual(want[k].shape);
          expect(maxAbsDiff(g, want[k])).toBeLessThan(1e-4);
        });
      });
    });
  }

  it('leaves no tensors behind after a forward and backward pass', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((a: tf.Tensor) => tf.sum(lstmSequence(x, a as tf.Tensor2D, u, b, false)))([w]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
