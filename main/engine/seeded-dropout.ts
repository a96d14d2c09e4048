/**
 * Dropout whose mask sequence is reproducible. tf.layers.dropout with a fixed seed draws the SAME
 * mask on every call (so it drops the same units forever); this layer advances the seed per call.
 */
import * as tf from '@tensorflow/tfjs';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  /** Training-mode calls so far; a resumed run sets it so the mask sequence carries on. */
  callCount = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, this.seed + this.callCount++);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
