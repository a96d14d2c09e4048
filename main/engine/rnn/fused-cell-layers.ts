/**
 * tf.layers layers around `gruSequence` and `rnnSequence`, registered for serialization so
 * saved runs load back with tf.loadLayersModel. Weights as Keras names and shapes them:
 * GRU kernel [F, 3H], recurrent_kernel [H, 3H], bias [2, 3H] (reset_after); SimpleRNN kernel
 * [F, H], recurrent_kernel [H, H], bias [H]. Biases start at zero.
 */
import * as tf from '@tensorflow/tfjs';
import { gruInference, gruSequence } from './fused-gru';
import type { CellWeights } from './fused-recurrent';
import { FusedRecurrent } from './fused-recurrent';
import { rnnInference, rnnSequence } from './fused-simple-rnn';

export class FusedGRU extends FusedRecurrent {
  static readonly className = 'FusedGRU';
  protected readonly gates = 3;

  protected biasInit() {
    return { shape: [2, 3 * this.units], values: new Float32Array(6 * this.units) };
  }

  protected sequence(x: tf.Tensor3D, [w, u, b]: CellWeights, needsInputGrad: boolean): tf.Tensor {
    return gruSequence(x, w, u, b, this.returnSequences, needsInputGrad);
  }

  protected inference(x: tf.Tensor3D, [w, u, b]: CellWeights): tf.Tensor {
    return gruInference(x, w, u, b, this.returnSequences);
  }
}

export class FusedSimpleRNN extends FusedRecurrent {
  static readonly className = 'FusedSimpleRNN';
  protected readonly gates = 1;

  protected biasInit() {
    return { shape: [this.units], values: new Float32Array(this.units) };
  }

  protected sequence(x: tf.Tensor3D, [w, u, b]: CellWeights, needsInputGrad: boolean): tf.Tensor {
    return rnnSequence(x, w, u, b as tf.Tensor1D, this.returnSequences, needsInputGrad);
  }

  protected inference(x: tf.Tensor3D, [w, u, b]: CellWeights): tf.Tensor {
    return rnnInference(x, w, u, b as tf.Tensor1D, this.returnSequences);
  }
}

tf.serialization.registerClass(FusedGRU);
tf.serialization.registerClass(FusedSimpleRNN);
