/**
 * A tf.layers layer around `lstmSequence`, registered for serialization so saved runs load
 * back with tf.loadLayersModel. Weights: kernel [F, 4H], recurrentKernel [H, 4H], bias [4H],
 * gate order i, f, o, g; the forget-gate slice of the bias starts at `forgetBias`.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmInference, lstmSequence } from './fused-lstm';
import type { CellWeights, FusedRecurrentArgs } from './fused-recurrent';
import { FusedRecurrent } from './fused-recurrent';

export interface FusedLSTMArgs extends FusedRecurrentArgs {
  forgetBias?: number;
}

export class FusedLSTM extends FusedRecurrent {
  static readonly className = 'FusedLSTM';
  readonly forgetBias: number;
  protected readonly gates = 4;

  constructor(args: FusedLSTMArgs) {
    super(args);
    this.forgetBias = args.forgetBias ?? 1;
  }

  /** Zeros except the forget gate's slice [H, 2H). */
  protected biasInit() {
    return { shape: [4 * this.units], values: new Float32Array(4 * this.units).fill(this.forgetBias, this.units, 2 * this.units) };
  }

  protected sequence(x: tf.Tensor3D, [w, u, b]: CellWeights, needsInputGrad: boolean): tf.Tensor {
    return lstmSequence(x, w, u, b as tf.Tensor1D, this.returnSequences, needsInputGrad);
  }

  protected inference(x: tf.Tensor3D, [w, u, b]: CellWeights): tf.Tensor {
    return lstmInference(x, w, u, b as tf.Tensor1D, this.returnSequences);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), forgetBias: this.forgetBias };
  }
}

tf.serialization.registerClass(FusedLSTM);
