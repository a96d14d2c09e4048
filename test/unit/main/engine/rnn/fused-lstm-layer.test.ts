import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HyperparamsSchema } from '../../../../../common/api';
import { FusedLSTM } from '../../../../../main/engine/rnn/fused-lstm-layer';
import { buildModel } from '../../../../../main/engine/model';

/** Whether the layer will compute its input gradient (private; read for the test). */
const needsInputGrad = (layer: tf.layers.Layer) => (layer as unknown as { hasTrainableUpstream(): boolean }).hasTrainableUpstream();

describe('FusedLSTM', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('skips the input gradient only where no trainable weight feeds the layer', () => {
    const model = buildModel(HyperparamsSchema.parse({ units: 8, layers: 3, dropout: 0.2 }), 1);
    const recurrent = model.layers.filter((layer) => layer instanceof FusedLSTM);
    expect(recurrent.map(needsInputGrad)).toEqual([false, true, true]);
    model.dispose();
  });

  it('computes its input gradient when used outside a model graph', () => {
    const layer = new FusedLSTM({ units: 4 });
    layer.apply(tf.zeros([1, 3, 2]));
    expect(needsInputGrad(layer)).toBe(true);
    layer.dispose();
  });

  it('still gives every weight of a stacked model a gradient', () => {
    // The first layer's input gradient is skipped; the second layer's must still reach the first.
    const model = buildModel(HyperparamsSchema.parse({ units: 8, layers: 2 }), 2);
    const x = tf.randomUniform([4, 28, 28], 0, 1, 'float32', 3);
    const { grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
    for (const g of Object.values(grads)) expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, ...Object.values(grads)]);
    model.dispose();
  });
});
